package dev.flint.ops;

/**
 * The arithmetic that shape rules do on sizes, so that each rule in {@link Shapes} is written once and
 * serves both eager shapes ({@link #EAGER}: sizes are plain ints) and the compiler's symbolic shapes
 * (sizes such as {@code B} or {@code B*T}), as derivative rules serve both through {@link Algebra}.
 *
 * <p>Note [Dimension algebra]: a size is an {@code int} in both worlds, so shapes stay {@code int[]}
 * and eager code pays nothing. For the compiler an int is a code: values below {@link #SYMBOLIC}
 * are themselves; larger ones name an interned symbolic size (the processor's {@code Dim}). Interning
 * makes equal sizes equal codes, so rules compare sizes with {@code ==}, and {@code 1}, {@code -1}
 * and negatives keep their meaning; but they must add, multiply, divide and order sizes through this
 * interface, and print them with {@link #show}.
 */
public interface DimAlgebra {
  /** Codes from here up stand for symbolic sizes (no eager tensor has a dim this large in practice). */
  int SYMBOLIC = 1 << 30;

  /** Plain ints: the sizes of tensors at run time. */
  DimAlgebra EAGER = new DimAlgebra() {
    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public int subtract(int a, int b) {
      return a - b;
    }

    @Override
    public int multiply(int a, int b) {
      long r = (long) a * b;
      if (r != (int) r) {
        throw new ShapeError("a size of " + r + " elements overflows int");
      }
      return (int) r;
    }

    @Override
    public int divide(int a, int b) {
      return b != 0 && a % b == 0 ? a / b : -1;
    }

    @Override
    public boolean exceeds(int a, int b) {
      return a > b;
    }

    @Override
    public int known(String op, int d) {
      return d;
    }

    @Override
    public String show(int d) {
      return Integer.toString(d);
    }
  };

  /** {@code a + b}. */
  int add(int a, int b);

  /** {@code a - b}. */
  int subtract(int a, int b);

  /** {@code a * b}. */
  int multiply(int a, int b);

  /** {@code a / b} when it divides exactly (for every value of the symbols), else -1. */
  int divide(int a, int b);

  /** Whether {@code a > b} certainly holds (symbolic sizes may be refused only when they certainly do not fit). */
  boolean exceeds(int a, int b);

  /** The plain value of {@code d}, or a {@link ShapeError} naming {@code op} when it is symbolic. */
  int known(String op, int d);

  /** How a size reads in messages: {@code 784}, {@code B}, {@code B*T}. */
  String show(int d);

  /** How a shape reads in messages: {@code [B, T, 64]}. */
  default String str(int[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(show(shape[i]));
    }
    return sb.append(']').toString();
  }

  /** The number of elements of {@code shape}. */
  default int numel(int[] shape) {
    int n = 1;
    for (int s : shape) {
      n = multiply(n, s);
    }
    return n;
  }
}

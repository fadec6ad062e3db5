package dev.flint.processor.ir;

import java.util.Arrays;

/**
 * The type of an IR value: its element kind and its shape. The shape holds plain sizes; the batch
 * dimension is a stand-in size that the processor recognizes afterwards (see Note [Symbolic sizes] in
 * {@link Symbolic}).
 */
public record TensorType(Elem elem, int[] shape) {

  /** What the elements are: the model's floating dtype (FLOAT32 or FLOAT64, chosen at run time), INT64, or BOOL. */
  public enum Elem {
    FLOAT("f"), INT64("i64"), BOOL("bool");

    private final String prefix;

    Elem(String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }
  }

  public TensorType {
    shape = shape.clone();
  }

  public static TensorType floating(int... shape) {
    return new TensorType(Elem.FLOAT, shape);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int i) {
    return shape[i < 0 ? i + shape.length : i];
  }

  public TensorType withShape(int[] newShape) {
    return new TensorType(elem, newShape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorType t && t.elem == elem && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return elem.hashCode() * 31 + Arrays.hashCode(shape);
  }

  /** As users read it, given the same value's type in the second lowering (Note [Symbolic sizes]). */
  public String display(TensorType twin) {
    return twin == null || twin.rank() != rank() ? display() : elem.prefix() + Symbolic.shape(shape, twin.shape);
  }

  /** As users read it, with batch-sized dims as B: {@code f[B, 20]}. */
  public String display() {
    return elem.prefix() + Symbolic.shape(shape);
  }

  @Override
  public String toString() {
    return elem.prefix() + Arrays.toString(shape);
  }
}

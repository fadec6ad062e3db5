package dev.flint.processor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * The type of an IR value: its element kind and its shape, whose sizes are {@link Dim}s ({@code B},
 * {@code 784}, {@code B*T}). The op table's rules see the shape as {@link #shape()}, the dims' int
 * codes (Note [Symbolic sizes]).
 */
public record TensorType(Elem elem, List<Dim> dims) {

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
    dims = List.copyOf(dims);
  }

  /** A type from dim codes, as the op table's rules compute them. */
  public TensorType(Elem elem, int[] shape) {
    this(elem, decode(shape));
  }

  public static TensorType floating(int... shape) {
    return new TensorType(Elem.FLOAT, shape);
  }

  private static List<Dim> decode(int[] shape) {
    List<Dim> out = new ArrayList<>();
    for (int code : shape) {
      out.add(Dim.of(code));
    }
    return out;
  }

  /** The shape as dim codes (a copy). */
  public int[] shape() {
    int[] out = new int[dims.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dims.get(i).code();
    }
    return out;
  }

  public int rank() {
    return dims.size();
  }

  /** Dim {@code i}, counting negative indexes from the end. */
  public Dim dim(int i) {
    return dims.get(i < 0 ? i + dims.size() : i);
  }

  public TensorType withShape(int[] newShape) {
    return new TensorType(elem, newShape);
  }

  /** The number of elements. */
  public Dim numel() {
    Dim n = Dim.constant(1);
    for (Dim d : dims) {
      n = n.times(d);
    }
    return n;
  }

  /** The symbols the shape names. */
  public java.util.Set<String> symbols() {
    java.util.Set<String> out = new java.util.TreeSet<>(Dim::compareSymbols);
    dims.forEach(d -> out.addAll(d.symbols()));
    return out;
  }

  /** A shape as users read it: {@code [B, T, 64]}. */
  public static String show(List<Dim> dims) {
    return dims.toString();
  }

  /** The shape as users read it: {@code [B, T, 64]}. */
  public String shapeText() {
    return show(dims);
  }

  /** As users read it: {@code f[B, 20]}. */
  public String display() {
    return elem.prefix() + shapeText();
  }

  @Override
  public String toString() {
    return display();
  }
}

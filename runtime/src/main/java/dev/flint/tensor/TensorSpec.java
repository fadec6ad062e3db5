package dev.flint.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor's shape and dtype without its data: one entry of a compiled model's state-dict schema
 * ({@code CompiledMlp.stateSchema()}), known at compile time.
 */
public final class TensorSpec {
  private final int[] shape;
  private final DType dtype;

  private TensorSpec(DType dtype, int[] shape) {
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.shape = shape.clone();
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("a negative size in shape " + Arrays.toString(shape));
      }
    }
  }

  /** A spec of {@code dtype} and {@code shape} ({@code TensorSpec.of(DType.FLOAT32, 20, 10)}). */
  public static TensorSpec of(DType dtype, int... shape) {
    return new TensorSpec(dtype, shape);
  }

  /** The spec of an existing tensor. */
  public static TensorSpec of(Tensor t) {
    return new TensorSpec(t.dtype(), t.shape());
  }

  public int[] shape() {
    return shape.clone();
  }

  public DType dtype() {
    return dtype;
  }

  /** The number of elements. */
  public long numel() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec s && s.dtype == dtype && Arrays.equals(s.shape, shape);
  }

  @Override
  public int hashCode() {
    return 31 * dtype.hashCode() + Arrays.hashCode(shape);
  }

  /** {@code FLOAT32[20, 10]}. */
  @Override
  public String toString() {
    return dtype + Arrays.toString(shape);
  }
}

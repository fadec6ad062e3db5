package dev.flint.nn;

import dev.flint.kernel.Kernels;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;

/** Conversions between tensors and the contiguous double arrays the fused sequence kernels work on. */
final class DoubleArrays {
  private DoubleArrays() {}

  /** The values of {@code t} as a contiguous row-major double array (t's own storage when it already is one). */
  static double[] of(Tensor t) {
    if (t.dtype() == DType.FLOAT64 && t.isContiguous() && t.offset() == 0 && t.storage().size() == t.numel()) {
      return t.storage().doubles();
    }
    return Kernels.cast(t, DType.FLOAT64).storage().doubles();
  }

  /** A copy of the values of {@code t}, safe from later in-place writes to t. */
  static double[] copyOf(Tensor t) {
    return Kernels.cast(t, DType.FLOAT64).storage().doubles();   // cast always copies
  }

  /** A new tensor of {@code dtype} and {@code shape} holding {@code values}. */
  static Tensor toTensor(double[] values, int[] shape, DType dtype) {
    Tensor t = Tensor.of(values, shape);
    return dtype == DType.FLOAT64 ? t : Kernels.cast(t, dtype);
  }
}

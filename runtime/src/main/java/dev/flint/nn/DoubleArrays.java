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
    return copyOf(t);
  }

  /** A copy of the values of {@code t}, safe from later in-place writes to t. */
  static double[] copyOf(Tensor t) {
    Tensor c = t.contiguous();
    double[] out = new double[c.numel()];
    if (c.dtype() == DType.FLOAT32) {   // the common case, without the generic cast's per-element dispatch
      float[] f = c.storage().floats();
      for (int i = 0; i < out.length; i++) {
        out[i] = f[c.offset() + i];
      }
      return out;
    }
    if (c.dtype() == DType.FLOAT64) {
      System.arraycopy(c.storage().doubles(), c.offset(), out, 0, out.length);
      return out;
    }
    return Kernels.cast(c, DType.FLOAT64).storage().doubles();
  }

  /** A new tensor of {@code dtype} and {@code shape} holding {@code values}. */
  static Tensor toTensor(double[] values, int[] shape, DType dtype) {
    if (dtype == DType.FLOAT32) {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      return Tensor.of(f, shape);
    }
    Tensor t = Tensor.of(values, shape);
    return dtype == DType.FLOAT64 ? t : Kernels.cast(t, dtype);
  }
}

package dev.flint.kernel;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;

/**
 * The squared error of two contiguous float tensors of one shape and dtype in one pass each way:
 * Σ (x − y)² forward, and c · (x − y) backward, for {@code MSELoss}'s fused path. The composed
 * form (sub, mul, mean in the op table) is the reference it is tested against.
 */
final class SquaredError {
  private SquaredError() {}

  static double sum(Tensor x, Tensor y) {
    int n = x.numel();
    double s = 0;
    if (x.dtype() == DType.FLOAT32) {
      float[] a = x.storage().floats();
      float[] b = y.storage().floats();
      int ao = x.offset();
      int bo = y.offset();
      for (int i = 0; i < n; i++) {
        float d = a[ao + i] - b[bo + i];
        s += d * d;
      }
    } else {
      double[] a = x.storage().doubles();
      double[] b = y.storage().doubles();
      int ao = x.offset();
      int bo = y.offset();
      for (int i = 0; i < n; i++) {
        double d = a[ao + i] - b[bo + i];
        s += d * d;
      }
    }
    return s;
  }

  static Tensor gradient(Tensor x, Tensor y, double c, Tensor out) {
    int n = x.numel();
    if (x.dtype() == DType.FLOAT32) {
      float[] a = x.storage().floats();
      float[] b = y.storage().floats();
      float[] o = out.storage().floats();
      int ao = x.offset();
      int bo = y.offset();
      int oo = out.offset();
      float cf = (float) c;
      for (int i = 0; i < n; i++) {
        o[oo + i] = cf * (a[ao + i] - b[bo + i]);
      }
    } else {
      double[] a = x.storage().doubles();
      double[] b = y.storage().doubles();
      double[] o = out.storage().doubles();
      int ao = x.offset();
      int bo = y.offset();
      int oo = out.offset();
      for (int i = 0; i < n; i++) {
        o[oo + i] = c * (a[ao + i] - b[bo + i]);
      }
    }
    return out;
  }
}

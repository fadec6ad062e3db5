package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorActivations;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Layouts;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Softmax and log-softmax along a dim, computed stably: the slice's maximum is subtracted before
 * exponentiating, and sums accumulate in double; and softmax's backward.
 */
final class Softmax {
  private Softmax() {}

  static Tensor softmax(Tensor x, int dim, boolean log, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    DType outType = DTypes.toFloat(x.dtype());
    Tensor o = Elementwise.prepare(out, outType, shape, log ? "logSoftmax" : "softmax");
    if (x.numel() == 0) {
      return o;
    }
    if (shape.length == 0) {
      o.storage().setDouble(0, log ? 0 : 1);
      return o;
    }
    int d = Shapes.dim(log ? "logSoftmax" : "softmax", dim, shape.length);
    int len = shape[d];
    int xStep = Internals.stridesRef(x)[d];
    int oStep = Internals.stridesRef(o)[d];
    if (x.dtype() == DType.FLOAT32 && d == shape.length - 1 && x.isContiguous() && o.isContiguous()) {
      // rows of the last dim, one after another (attention's scores): no index arrays
      float[] xd = x.storage().floats();
      float[] od = o.storage().floats();
      int xo = x.offset();
      int oo = o.offset();
      Parallel.forRange(x.numel() / len, 8L * x.numel(), (from, to) -> {
        for (int i = from; i < to; i++) {
          rowF32(xd, xo + i * len, od, oo + i * len, 1, len, log);
        }
      });
      return o;
    }
    int[] outer = Reduce.remove(shape, d);
    int[] xOuter = Reduce.remove(Internals.stridesRef(x), d);
    int[] oOuter = Reduce.remove(Internals.stridesRef(o), d);
    int[] oAt = new int[Layouts.numel(outer)];
    Layouts.forEachIndex(outer, oOuter, 0, (i, at) -> oAt[i] = at);
    Storage xs = x.storage();
    Storage os = o.storage();
    if (x.dtype() == DType.FLOAT32 && xStep == 1) {
      float[] xd = xs.floats();
      float[] od = os.floats();
      int[] xAt = new int[oAt.length];
      Layouts.forEachIndex(outer, xOuter, x.offset(), (i, at) -> xAt[i] = at);
      Parallel.forRange(oAt.length, 8L * x.numel(), (from, to) -> {   // rows are independent
        for (int i = from; i < to; i++) {
          rowF32(xd, xAt[i], od, oAt[i], oStep, len, log);
        }
      });
      return o;
    }
    double[] row = new double[len];
    Layouts.forEachIndex(outer, xOuter, x.offset(), (i, at) -> {
      for (int k = 0; k < len; k++) {
        row[k] = xs.getDouble(at + k * xStep);
      }
      softmaxRow(row, len, log);
      for (int k = 0; k < len; k++) {
        os.setDouble(oAt[i] + k * oStep, row[k]);
      }
    });
    return o;
  }

  /**
   * SOFTMAX's input gradient {@code y·(g − Σ_dim g·y)} from the output gradient g and the output y (one
   * shape): one pass per slice, the dot product accumulated in double and each result rounded once.
   * Slices along a contiguous last dim run here; other layouts take the composition of kernels it fuses.
   */
  static Tensor backward(Tensor g, Tensor y, int dim, Tensor out) {
    int[] shape = Internals.shapeRef(y);
    if (!Arrays.equals(Internals.shapeRef(g), shape)) {
      throw new IllegalArgumentException("softmaxBackward: expected the gradient and the output of one shape, but got "
          + Shapes.str(Internals.shapeRef(g)) + " and " + Shapes.str(shape));
    }
    DType t = DTypes.toFloat(DTypes.promote(g, y));
    Tensor o = Elementwise.prepare(out, t, shape, "softmaxBackward");
    int d = Shapes.dim("softmaxBackward", dim, Math.max(shape.length, 1));
    int numel = o.numel();
    boolean rows = shape.length > 0 && d == shape.length - 1 && g.isContiguous() && y.isContiguous()
        && g.dtype() == t && y.dtype() == t;
    if (numel == 0) {
      return o;
    }
    if (!rows) {
      Tensor gt = g.dtype() == t ? g : Kernels.cast(g, t);
      Tensor yt = y.dtype() == t ? y : Kernels.cast(y, t);
      int[] dims = shape.length == 0 ? new int[0] : new int[] {d};
      Tensor r = Kernels.mul(yt, Kernels.sub(gt, Kernels.sum(Kernels.mul(gt, yt), dims, true)));
      Kernels.copy(r, o);
      return o;
    }
    int len = shape[d];
    int count = numel / len;
    int go = g.offset();
    int yo = y.offset();
    int oo = o.offset();
    if (t == DType.FLOAT32) {
      float[] gs = g.storage().floats();
      float[] ys = y.storage().floats();
      float[] os = o.storage().floats();
      Parallel.forRange(count, 4L * numel, (from, to) -> {
        for (int r = from; r < to; r++) {
          int at = r * len;
          double dot = dotF32(gs, go + at, ys, yo + at, len);
          for (int k = 0; k < len; k++) {
            os[oo + at + k] = (float) (ys[yo + at + k] * (gs[go + at + k] - dot));
          }
        }
      });
    } else {
      double[] gs = g.storage().doubles();
      double[] ys = y.storage().doubles();
      double[] os = o.storage().doubles();
      Parallel.forRange(count, 4L * numel, (from, to) -> {
        for (int r = from; r < to; r++) {
          int at = r * len;
          double dot = dotF64(gs, go + at, ys, yo + at, len);
          for (int k = 0; k < len; k++) {
            os[oo + at + k] = ys[yo + at + k] * (gs[go + at + k] - dot);
          }
        }
      });
    }
    return o;
  }

  // Four running sums: one chain of dependent additions would make the dot product latency-bound.
  private static double dotF32(float[] a, int ai, float[] b, int bi, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = 0;
    for (; k + 4 <= n; k += 4) {
      s0 += (double) a[ai + k] * b[bi + k];
      s1 += (double) a[ai + k + 1] * b[bi + k + 1];
      s2 += (double) a[ai + k + 2] * b[bi + k + 2];
      s3 += (double) a[ai + k + 3] * b[bi + k + 3];
    }
    for (; k < n; k++) {
      s0 += (double) a[ai + k] * b[bi + k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static double dotF64(double[] a, int ai, double[] b, int bi, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = 0;
    for (; k + 4 <= n; k += 4) {
      s0 += a[ai + k] * b[bi + k];
      s1 += a[ai + k + 1] * b[bi + k + 1];
      s2 += a[ai + k + 2] * b[bi + k + 2];
      s3 += a[ai + k + 3] * b[bi + k + 3];
    }
    for (; k < n; k++) {
      s0 += a[ai + k] * b[bi + k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static void rowF32(float[] x, int xi, float[] o, int oi, int oStep, int len, boolean log) {
    if (oStep == 1 && VectorTier.active()) {
      rowF32Vector(x, xi, o, oi, len, log);
      return;
    }
    float max = Float.NEGATIVE_INFINITY;
    for (int k = 0; k < len; k++) {
      float v = x[xi + k];
      max = v > max || v != v ? v : max;
    }
    double sum = 0;
    if (log) {
      for (int k = 0; k < len; k++) {
        sum += FastMath.expToDouble(x[xi + k] - max);
      }
      double lse = max + Math.log(sum);
      for (int k = 0; k < len; k++) {
        o[oi + k * oStep] = (float) (x[xi + k] - lse);
      }
      return;
    }
    for (int k = 0; k < len; k++) {   // one exp per element: keep e^(x - max) in the output, then scale
      float e = (float) FastMath.expToDouble(x[xi + k] - max);
      o[oi + k * oStep] = e;
      sum += e;
    }
    float inv = (float) (1 / sum);
    for (int k = 0; k < len; k++) {
      o[oi + k * oStep] *= inv;
    }
  }

  /**
   * {@link #rowF32} with a contiguous output on the Vector API tier: the same max, exponentials and sum
   * (bit for bit; the exponentials on lanes), and the same scaling; the log form, like the scalar loop,
   * sums the exponentials in double before rounding anything.
   */
  private static void rowF32Vector(float[] x, int xi, float[] o, int oi, int len, boolean log) {
    float max = VectorActivations.max(x, xi, len);
    double sum = VectorActivations.expShifted(x, xi, max, log ? null : o, oi, len);
    if (log) {
      double lse = max + Math.log(sum);
      for (int k = 0; k < len; k++) {
        o[oi + k] = (float) (x[xi + k] - lse);
      }
      return;
    }
    float inv = (float) (1 / sum);
    for (int k = 0; k < len; k++) {
      o[oi + k] *= inv;
    }
  }

  private static void softmaxRow(double[] row, int len, boolean log) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < len; k++) {
      max = row[k] > max || row[k] != row[k] ? row[k] : max;
    }
    if (max == Double.NEGATIVE_INFINITY) {
      max = 0;   // an all -inf row: exp(-inf - 0) = 0, giving NaN like PyTorch rather than -inf - -inf
    }
    double sum = 0;
    for (int k = 0; k < len; k++) {
      sum += Math.exp(row[k] - max);
    }
    double lse = max + Math.log(sum);
    for (int k = 0; k < len; k++) {
      row[k] = log ? row[k] - lse : Math.exp(row[k] - lse);
    }
  }
}

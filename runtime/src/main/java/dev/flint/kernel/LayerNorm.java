package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorNorms;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Layer normalization's core over rows of the last dim, {@code x̂ = (x − μ)·σ⁻¹} with {@code σ = √(biased
 * variance + eps)}, and its input gradient {@code (g − mean(g) − x̂·mean(g·x̂))·σ⁻¹}, each one call over the
 * rows (the composition took eleven kernels forward and over twenty backward, each a pass over the whole
 * tensor). The backward recomputes μ and σ from x, so the forward saves nothing but its input.
 *
 * <p>Statistics are two-pass (the mean, then the squared deviations from it) and accumulate in double; FLOAT32
 * rounds each result once. On the Vector API tier ({@link VectorNorms}) FLOAT32 rows sum on float lanes
 * (at most a few hundred elements per lane sum) and add the lane sums in double: the results agree with
 * the loops here to a few float ulps, not bit for bit.
 */
final class LayerNorm {
  private LayerNorm() {}

  static Tensor forward(Tensor x, double eps, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    DType t = DTypes.toFloat(x.dtype());
    Tensor o = Elementwise.prepare(out, t, shape, "layerNorm");
    int numel = o.numel();
    if (numel == 0) {
      return o;
    }
    Tensor xc = dense(x, t);
    int n = shape.length == 0 ? 1 : shape[shape.length - 1];
    int rows = numel / n;
    int xo = xc.offset();
    int oo = o.offset();
    if (t == DType.FLOAT32) {
      float[] xs = xc.storage().floats();
      float[] os = o.storage().floats();
      if (Parallel.worthSplitting(8L * numel)) {
        Parallel.forRange(rows, 8L * numel, (from, to) -> forwardF32(xs, xo, os, oo, from, to, n, eps));
      } else {
        forwardF32(xs, xo, os, oo, 0, rows, n, eps);   // no lambda (no allocation) when it runs here
      }
    } else {
      double[] xs = xc.storage().doubles();
      double[] os = o.storage().doubles();
      Parallel.forRange(rows, 8L * numel, (from, to) -> forwardF64(xs, xo, os, oo, from, to, n, eps));
    }
    return o;
  }

  static Tensor backward(Tensor g, Tensor x, double eps, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    if (!Arrays.equals(Internals.shapeRef(g), shape)) {
      throw new IllegalArgumentException("layerNormBackward: expected the gradient and the input of one shape, but got "
          + Shapes.str(Internals.shapeRef(g)) + " and " + Shapes.str(shape));
    }
    DType t = DTypes.toFloat(DTypes.promote(g, x));
    Tensor o = Elementwise.prepare(out, t, shape, "layerNormBackward");
    int numel = o.numel();
    if (numel == 0) {
      return o;
    }
    Tensor gc = dense(g, t);
    Tensor xc = dense(x, t);
    int n = shape.length == 0 ? 1 : shape[shape.length - 1];
    int rows = numel / n;
    int go = gc.offset();
    int xo = xc.offset();
    int oo = o.offset();
    if (t == DType.FLOAT32) {
      float[] gs = gc.storage().floats();
      float[] xs = xc.storage().floats();
      float[] os = o.storage().floats();
      if (Parallel.worthSplitting(12L * numel)) {
        Parallel.forRange(rows, 12L * numel, (from, to) -> backwardF32(gs, go, xs, xo, os, oo, from, to, n, eps));
      } else {
        backwardF32(gs, go, xs, xo, os, oo, 0, rows, n, eps);
      }
    } else {
      double[] gs = gc.storage().doubles();
      double[] xs = xc.storage().doubles();
      double[] os = o.storage().doubles();
      Parallel.forRange(rows, 12L * numel, (from, to) -> backwardF64(gs, go, xs, xo, os, oo, from, to, n, eps));
    }
    return o;
  }

  private static void forwardF64(double[] x, int xo, double[] o, int oo, int from, int to, int n, double eps) {
    for (int r = from; r < to; r++) {
      int xi = xo + r * n;
      int oi = oo + r * n;
      double mean = 0;
      for (int k = 0; k < n; k++) {
        mean += x[xi + k];
      }
      mean /= n;
      double sq = 0;
      for (int k = 0; k < n; k++) {
        double c = x[xi + k] - mean;
        sq += c * c;
      }
      double rstd = 1 / Math.sqrt(sq / n + eps);
      for (int k = 0; k < n; k++) {
        o[oi + k] = (x[xi + k] - mean) * rstd;
      }
    }
  }

  private static void forwardF32(float[] x, int xo, float[] o, int oo, int from, int to, int n, double eps) {
    if (VectorTier.active()) {
      VectorNorms.layerNorm(x, xo + from * n, o, oo + from * n, to - from, n, eps);
      return;
    }
    for (int r = from; r < to; r++) {
      int xi = xo + r * n;
      int oi = oo + r * n;
      double mean = 0;
      for (int k = 0; k < n; k++) {
        mean += x[xi + k];
      }
      mean /= n;
      double sq = 0;
      for (int k = 0; k < n; k++) {
        double c = x[xi + k] - mean;
        sq += c * c;
      }
      double rstd = 1 / Math.sqrt(sq / n + eps);
      for (int k = 0; k < n; k++) {
        o[oi + k] = (float) ((x[xi + k] - mean) * rstd);
      }
    }
  }

  private static void backwardF64(double[] g, int go, double[] x, int xo, double[] o, int oo, int from, int to, int n,
      double eps) {
    for (int r = from; r < to; r++) {
      int gi = go + r * n;
      int xi = xo + r * n;
      int oi = oo + r * n;
      double mean = 0;
      for (int k = 0; k < n; k++) {
        mean += x[xi + k];
      }
      mean /= n;
      double sq = 0;
      for (int k = 0; k < n; k++) {
        double c = x[xi + k] - mean;
        sq += c * c;
      }
      double rstd = 1 / Math.sqrt(sq / n + eps);
      double sg = 0;
      double sgc = 0;   // Σ g·(x − μ) = σ·Σ g·x̂
      for (int k = 0; k < n; k++) {
        double gk = g[gi + k];
        sg += gk;
        sgc += gk * (x[xi + k] - mean);
      }
      double meanG = sg / n;
      double slope = rstd * rstd * sgc / n;   // mean(g·x̂)/σ, the coefficient of (x − μ) before the last σ⁻¹
      for (int k = 0; k < n; k++) {
        o[oi + k] = (g[gi + k] - meanG - (x[xi + k] - mean) * slope) * rstd;
      }
    }
  }

  private static void backwardF32(float[] g, int go, float[] x, int xo, float[] o, int oo, int from, int to, int n,
      double eps) {
    if (VectorTier.active()) {
      VectorNorms.layerNormBackward(g, go + from * n, x, xo + from * n, o, oo + from * n, to - from, n, eps);
      return;
    }
    for (int r = from; r < to; r++) {
      int gi = go + r * n;
      int xi = xo + r * n;
      int oi = oo + r * n;
      double mean = 0;
      for (int k = 0; k < n; k++) {
        mean += x[xi + k];
      }
      mean /= n;
      double sq = 0;
      for (int k = 0; k < n; k++) {
        double c = x[xi + k] - mean;
        sq += c * c;
      }
      double rstd = 1 / Math.sqrt(sq / n + eps);
      double sg = 0;
      double sgc = 0;
      for (int k = 0; k < n; k++) {
        double gk = g[gi + k];
        sg += gk;
        sgc += gk * (x[xi + k] - mean);
      }
      double meanG = sg / n;
      double slope = rstd * rstd * sgc / n;
      for (int k = 0; k < n; k++) {
        o[oi + k] = (float) ((g[gi + k] - meanG - (x[xi + k] - mean) * slope) * rstd);
      }
    }
  }

  private static Tensor dense(Tensor t, DType type) {
    Tensor c = t.dtype() == type ? t : Kernels.cast(t, type);
    return c.isContiguous() ? c : Kernels.clone(c);
  }
}

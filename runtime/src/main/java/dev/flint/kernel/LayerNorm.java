package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorNorms;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Layer normalization over rows of the last dim, {@code x̂ = (x − μ)·σ⁻¹} with {@code σ = √(biased variance +
 * eps)}, optionally followed by {@code ·w + b} (w and b {@code [n]}); its input gradient
 * {@code (g' − mean(g') − x̂·mean(g'·x̂))·σ⁻¹} with {@code g' = g·w} (or g); and the weight gradient
 * {@code Σ_rows g·x̂}: each one call over the rows (the composition took eleven kernels forward and over twenty
 * backward, each a pass over the whole tensor). The gradients recompute μ and σ from x, so the forward saves
 * nothing but its inputs.
 *
 * <p>Statistics are two-pass (the mean, then the squared deviations from it) and accumulate in double; FLOAT32
 * rounds each result once. On the Vector API tier ({@link VectorNorms}) FLOAT32 rows sum on float lanes
 * (at most 64 elements per lane and block; each block's lanes are added in float, the blocks in double). So
 * that rows far from zero lose nothing, they sum {@code x − x₀} (x₀ the row's first element: the lanes add
 * numbers about σ in size, not |μ|) and centre on μ kept as a pair of floats ({@code (x − hi) − lo}): the
 * results agree with the loops here to a few float ulps also at |μ|/σ in the thousands
 * ({@code LayerNormKernelTest}; centring on μ rounded to one float was about 140 ulps off at |μ|/σ = 100).
 * Not bit for bit.
 */
final class LayerNorm {
  private LayerNorm() {}

  /** {@code x̂}, or {@code x̂·w + b} when w and b are given (both or neither). */
  static Tensor forward(Tensor x, double eps, Tensor out) {
    return affine(x, null, null, eps, out);
  }

  static Tensor affine(Tensor x, Tensor w, Tensor b, double eps, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    String name = w == null ? "layerNorm" : "layerNormAffine";
    DType t = w == null ? DTypes.toFloat(x.dtype()) : floatType(x, w, b);
    Tensor o = Elementwise.prepare(out, t, shape, name);
    int numel = o.numel();
    int n = shape.length == 0 ? 1 : shape[shape.length - 1];
    if (w != null) {
      perColumn(name, "weight", w, n, shape);
      perColumn(name, "bias", b, n, shape);
    }
    if (numel == 0) {
      return o;
    }
    Tensor xc = dense(x, t);
    Tensor wc = w == null ? null : dense(w, t);
    Tensor bc = b == null ? null : dense(b, t);
    int rows = numel / n;
    int xo = xc.offset();
    int oo = o.offset();
    int wo = wc == null ? 0 : wc.offset();
    int bo = bc == null ? 0 : bc.offset();
    if (t == DType.FLOAT32) {
      float[] xs = xc.storage().floats();
      float[] ws = wc == null ? null : wc.storage().floats();
      float[] bs = bc == null ? null : bc.storage().floats();
      float[] os = o.storage().floats();
      if (Parallel.worthSplitting(8L * numel)) {
        Parallel.forRange(rows, 8L * numel, (from, to) -> forwardF32(xs, xo, ws, wo, bs, bo, os, oo, from, to, n, eps));
      } else {
        forwardF32(xs, xo, ws, wo, bs, bo, os, oo, 0, rows, n, eps);   // no lambda (no allocation) when it runs here
      }
    } else {
      double[] xs = xc.storage().doubles();
      double[] ws = wc == null ? null : wc.storage().doubles();
      double[] bs = bc == null ? null : bc.storage().doubles();
      double[] os = o.storage().doubles();
      Parallel.forRange(rows, 8L * numel, (from, to) -> forwardF64(xs, xo, ws, wo, bs, bo, os, oo, from, to, n, eps));
    }
    return o;
  }

  /** The input gradient from (g, x), of {@code x̂·w + b} when w is given, else of x̂. */
  static Tensor backward(Tensor g, Tensor x, Tensor w, double eps, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    String name = w == null ? "layerNormBackward" : "layerNormAffineBackward";
    sameShape(name, g, shape);
    DType t = floatType(g, x, w);
    Tensor o = Elementwise.prepare(out, t, shape, name);
    int numel = o.numel();
    int n = shape.length == 0 ? 1 : shape[shape.length - 1];
    if (w != null) {
      perColumn(name, "weight", w, n, shape);
    }
    if (numel == 0) {
      return o;
    }
    Tensor gc = dense(g, t);
    Tensor xc = dense(x, t);
    Tensor wc = w == null ? null : dense(w, t);
    int rows = numel / n;
    int go = gc.offset();
    int xo = xc.offset();
    int wo = wc == null ? 0 : wc.offset();
    int oo = o.offset();
    if (t == DType.FLOAT32) {
      float[] gs = gc.storage().floats();
      float[] xs = xc.storage().floats();
      float[] ws = wc == null ? null : wc.storage().floats();
      float[] os = o.storage().floats();
      if (Parallel.worthSplitting(12L * numel)) {
        Parallel.forRange(rows, 12L * numel, (from, to) -> backwardF32(gs, go, xs, xo, ws, wo, os, oo, from, to, n, eps));
      } else {
        backwardF32(gs, go, xs, xo, ws, wo, os, oo, 0, rows, n, eps);
      }
    } else {
      double[] gs = gc.storage().doubles();
      double[] xs = xc.storage().doubles();
      double[] ws = wc == null ? null : wc.storage().doubles();
      double[] os = o.storage().doubles();
      Parallel.forRange(rows, 12L * numel, (from, to) -> backwardF64(gs, go, xs, xo, ws, wo, os, oo, from, to, n, eps));
    }
    return o;
  }

  /**
   * {@code Σ_rows g·x̂}, {@code [n]}: the weight gradient of {@code x̂·w + b}. One thread: every row adds into
   * the same n sums (a split would need a partial sum per thread), and the pass is short beside the step.
   */
  static Tensor weightGrad(Tensor g, Tensor x, double eps, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    sameShape("layerNormWeightGrad", g, shape);
    if (shape.length == 0) {
      throw new IllegalArgumentException("layerNormWeightGrad: expected an input with at least one dim, but got a scalar");
    }
    int n = shape[shape.length - 1];
    DType t = floatType(g, x, null);
    Tensor o = out == null ? Tensor.empty(t, n) : out;
    int[] os0 = Internals.shapeRef(o);
    if (o.dtype() != t || os0.length != 1 || os0[0] != n || !o.isContiguous()) {
      throw new IllegalArgumentException("layerNormWeightGrad: the out tensor must be a contiguous " + t.shortName() + "["
          + n + "], but got " + o.dtype().shortName() + Shapes.str(os0));
    }
    int numel = x.numel();
    Tensor gc = dense(g, t);
    Tensor xc = dense(x, t);
    int rows = n == 0 ? 0 : numel / n;
    int go = gc.offset();
    int xo = xc.offset();
    int oo = o.offset();
    if (t == DType.FLOAT32) {
      float[] os = o.storage().floats();
      Arrays.fill(os, oo, oo + n, 0f);
      weightGradF32(gc.storage().floats(), go, xc.storage().floats(), xo, os, oo, rows, n, eps);
    } else {
      double[] gs = gc.storage().doubles();
      double[] xs = xc.storage().doubles();
      double[] os = o.storage().doubles();
      Arrays.fill(os, oo, oo + n, 0);
      for (int r = 0; r < rows; r++) {
        int gi = go + r * n;
        int xi = xo + r * n;
        double mean = meanF64(xs, xi, n);
        double rstd = rstdF64(xs, xi, n, mean, eps);
        for (int k = 0; k < n; k++) {
          os[oo + k] += gs[gi + k] * ((xs[xi + k] - mean) * rstd);
        }
      }
    }
    return o;
  }

  private static double meanF64(double[] x, int xi, int n) {
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += x[xi + k];
    }
    return sum / n;
  }

  /** {@code 1/√(Σ(x − mean)²/n + eps)}: the second pass of the two. */
  private static double rstdF64(double[] x, int xi, int n, double mean, double eps) {
    double sq = 0;
    for (int k = 0; k < n; k++) {
      double c = x[xi + k] - mean;
      sq += c * c;
    }
    return 1 / Math.sqrt(sq / n + eps);
  }

  private static double meanF32(float[] x, int xi, int n) {
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += x[xi + k];
    }
    return sum / n;
  }

  private static double rstdF32(float[] x, int xi, int n, double mean, double eps) {
    double sq = 0;
    for (int k = 0; k < n; k++) {
      double c = x[xi + k] - mean;
      sq += c * c;
    }
    return 1 / Math.sqrt(sq / n + eps);
  }

  private static void forwardF64(double[] x, int xo, double[] w, int wo, double[] b, int bo, double[] o, int oo, int from,
      int to, int n, double eps) {
    for (int r = from; r < to; r++) {
      int xi = xo + r * n;
      int oi = oo + r * n;
      double mean = meanF64(x, xi, n);
      double rstd = rstdF64(x, xi, n, mean, eps);
      if (w == null) {
        for (int k = 0; k < n; k++) {
          o[oi + k] = (x[xi + k] - mean) * rstd;
        }
      } else {
        for (int k = 0; k < n; k++) {
          o[oi + k] = (x[xi + k] - mean) * rstd * w[wo + k] + b[bo + k];
        }
      }
    }
  }

  private static void forwardF32(float[] x, int xo, float[] w, int wo, float[] b, int bo, float[] o, int oo, int from,
      int to, int n, double eps) {
    if (VectorTier.active()) {
      VectorNorms.layerNorm(x, xo + from * n, w, wo, b, bo, o, oo + from * n, to - from, n, eps);
      return;
    }
    for (int r = from; r < to; r++) {
      int xi = xo + r * n;
      int oi = oo + r * n;
      double mean = meanF32(x, xi, n);
      double rstd = rstdF32(x, xi, n, mean, eps);
      if (w == null) {
        for (int k = 0; k < n; k++) {
          o[oi + k] = (float) ((x[xi + k] - mean) * rstd);
        }
      } else {
        for (int k = 0; k < n; k++) {
          o[oi + k] = (float) ((x[xi + k] - mean) * rstd * w[wo + k] + b[bo + k]);
        }
      }
    }
  }

  private static void backwardF64(double[] g, int go, double[] x, int xo, double[] w, int wo, double[] o, int oo,
      int from, int to, int n, double eps) {
    for (int r = from; r < to; r++) {
      int gi = go + r * n;
      int xi = xo + r * n;
      int oi = oo + r * n;
      double mean = meanF64(x, xi, n);
      double rstd = rstdF64(x, xi, n, mean, eps);
      double sg = 0;
      double sgc = 0;   // Σ g'·(x − μ) = σ·Σ g'·x̂
      for (int k = 0; k < n; k++) {
        double gk = w == null ? g[gi + k] : g[gi + k] * w[wo + k];
        sg += gk;
        sgc += gk * (x[xi + k] - mean);
      }
      double meanG = sg / n;
      double slope = rstd * rstd * sgc / n;   // mean(g'·x̂)/σ, the coefficient of (x − μ) before the last σ⁻¹
      for (int k = 0; k < n; k++) {
        double gk = w == null ? g[gi + k] : g[gi + k] * w[wo + k];
        o[oi + k] = (gk - meanG - (x[xi + k] - mean) * slope) * rstd;
      }
    }
  }

  private static void backwardF32(float[] g, int go, float[] x, int xo, float[] w, int wo, float[] o, int oo, int from,
      int to, int n, double eps) {
    if (VectorTier.active()) {
      VectorNorms.layerNormBackward(g, go + from * n, x, xo + from * n, w, wo, o, oo + from * n, to - from, n, eps);
      return;
    }
    for (int r = from; r < to; r++) {
      int gi = go + r * n;
      int xi = xo + r * n;
      int oi = oo + r * n;
      double mean = meanF32(x, xi, n);
      double rstd = rstdF32(x, xi, n, mean, eps);
      double sg = 0;
      double sgc = 0;
      for (int k = 0; k < n; k++) {
        double gk = w == null ? g[gi + k] : (double) g[gi + k] * w[wo + k];
        sg += gk;
        sgc += gk * (x[xi + k] - mean);
      }
      double meanG = sg / n;
      double slope = rstd * rstd * sgc / n;
      for (int k = 0; k < n; k++) {
        double gk = w == null ? g[gi + k] : (double) g[gi + k] * w[wo + k];
        o[oi + k] = (float) ((gk - meanG - (x[xi + k] - mean) * slope) * rstd);
      }
    }
  }

  private static void weightGradF32(float[] g, int go, float[] x, int xo, float[] o, int oo, int rows, int n, double eps) {
    if (VectorTier.active()) {
      VectorNorms.layerNormWeightGrad(g, go, x, xo, o, oo, rows, n, eps);
      return;
    }
    for (int r = 0; r < rows; r++) {
      int gi = go + r * n;
      int xi = xo + r * n;
      double mean = meanF32(x, xi, n);
      double rstd = rstdF32(x, xi, n, mean, eps);
      for (int k = 0; k < n; k++) {
        o[oo + k] += (float) (g[gi + k] * ((x[xi + k] - mean) * rstd));
      }
    }
  }

  private static void sameShape(String op, Tensor g, int[] shape) {
    if (!Arrays.equals(Internals.shapeRef(g), shape)) {
      throw new IllegalArgumentException(op + ": expected the gradient and the input of one shape, but got "
          + Shapes.str(Internals.shapeRef(g)) + " and " + Shapes.str(shape));
    }
  }

  private static void perColumn(String op, String what, Tensor w, int n, int[] shape) {
    int[] ws = Internals.shapeRef(w);
    if (shape.length == 0 || ws.length != 1 || ws[0] != n) {
      throw new IllegalArgumentException(op + ": expected a " + what + " of shape [" + n + "] for an input of shape "
          + Shapes.str(shape) + ", but got " + Shapes.str(ws));
    }
  }

  /** The floating type of the operands (c may be null), without a varargs array when they agree (compiled steps). */
  private static DType floatType(Tensor a, Tensor b, Tensor c) {
    if (a.dtype() == b.dtype() && (c == null || c.dtype() == a.dtype())) {
      return DTypes.toFloat(a.dtype());
    }
    return DTypes.toFloat(c == null ? DTypes.promote(a, b) : DTypes.promote(a, b, c));
  }

  private static Tensor dense(Tensor t, DType type) {
    Tensor c = t.dtype() == type ? t : Kernels.cast(t, type);
    return c.isContiguous() ? c : Kernels.clone(c);
  }
}

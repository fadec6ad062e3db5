package dev.flint.kernel;

import dev.flint.kernel.vector.VectorOptimizers;

/**
 * Single-precision optimizer updates for {@code dev.flint.optim}: Adam/AdamW and SGD over one FLOAT32
 * parameter's arrays, in place, computed in float in the order PyTorch's float kernels use (so a
 * FLOAT32 step differs from PyTorch's only where PyTorch fuses a multiply-add). They run on the
 * Vector API tier ({@link VectorOptimizers}) when it is active, else on the same loops in plain Java
 * (whose arithmetic is the same, element for element); a parameter large enough is split over the
 * kernel threads. Warm calls allocate nothing unless they split.
 */
public final class OptimizerSteps {
  /** Elements per thread below which a split costs more than it saves. */
  private static final int MIN_CHUNK = 1 << 15;

  private OptimizerSteps() {}

  /**
   * Adam (or AdamW, through {@code shrink}) over {@code n} elements: the parameter at {@code w[wo..]},
   * its gradient at {@code g[go..]}, the moments {@code m}, {@code v} and, with amsgrad, {@code vMax}
   * (else null) from index 0. The hyperparameters are double, as the optimizer holds them, and are
   * rounded to float here, as PyTorch rounds its scalar arguments: {@code shrink = 1 − lr·λ} (AdamW,
   * else 1), {@code l2} (Adam's λ, else 0), {@code stepSize = lr / (1 − β₁ᵗ)},
   * {@code bias2Sqrt = √(1 − β₂ᵗ)}.
   */
  public static void adam(float[] w, int wo, float[] g, int go, float[] m, float[] v, float[] vMax, int n,
      double shrink, double l2, double beta1, double beta2, double stepSize, double bias2Sqrt, double eps) {
    float weight = (float) (1 - beta1);
    // PyTorch's lerp(m, d, weight): m + weight·(d − m) below one half, else d − (d − m)·(1 − weight)
    boolean mFirst = Math.abs(weight) < 0.5f;
    float coef = mFirst ? weight : -(1f - weight);
    float fShrink = (float) shrink;
    float fL2 = (float) l2;
    float fBeta2 = (float) beta2;
    float a2 = (float) (1 - beta2);
    float negStep = (float) -stepSize;
    float fBias2Sqrt = (float) bias2Sqrt;
    float fEps = (float) eps;
    boolean vector = VectorTier.active();
    if (!worthSplitting(n)) {
      adamRange(vector, w, wo, g, go, m, v, vMax, 0, n, fShrink, fL2, mFirst, coef, fBeta2, a2, negStep, fBias2Sqrt, fEps);
      return;
    }
    int chunk = chunk(n);
    Parallel.forRange((n + chunk - 1) / chunk, n, (c0, c1) -> adamRange(vector, w, wo, g, go, m, v, vMax, c0 * chunk,
        Math.min(n, c1 * chunk), fShrink, fL2, mFirst, coef, fBeta2, a2, negStep, fBias2Sqrt, fEps));
  }

  /**
   * SGD over {@code n} elements: with a momentum buffer {@code buf} (else null; {@code first} on the
   * step that creates it, when it takes the gradient as it is), momentum {@code mu}, dampening
   * {@code dampening} and optionally Nesterov; L2 decay {@code wd}; learning rate {@code lr}.
   */
  public static void sgd(float[] w, int wo, float[] g, int go, float[] buf, int n, double lr, double wd, double mu,
      double dampening, boolean first, boolean nesterov) {
    float negLr = (float) -lr;
    float fWd = (float) wd;
    float fMu = (float) mu;
    float keep = (float) (1 - dampening);
    boolean vector = VectorTier.active();
    if (!worthSplitting(n)) {
      sgdRange(vector, w, wo, g, go, buf, 0, n, negLr, fWd, fMu, keep, first, nesterov);
      return;
    }
    int chunk = chunk(n);
    Parallel.forRange((n + chunk - 1) / chunk, n, (c0, c1) ->
        sgdRange(vector, w, wo, g, go, buf, c0 * chunk, Math.min(n, c1 * chunk), negLr, fWd, fMu, keep, first, nesterov));
  }

  private static boolean worthSplitting(int n) {
    return n >= 2 * MIN_CHUNK && Parallel.worthSplitting(n);
  }

  /** One chunk per thread, but not under {@link #MIN_CHUNK}, rounded to 64 elements (whole cache lines). */
  private static int chunk(int n) {
    int per = Math.max(MIN_CHUNK, (n + Parallel.threads() - 1) / Parallel.threads());
    return (per + 63) & ~63;
  }

  private static void adamRange(boolean vector, float[] w, int wo, float[] g, int go, float[] m, float[] v,
      float[] vMax, int from, int to, float shrink, float l2, boolean mFirst, float coef, float beta2, float a2,
      float negStep, float bias2Sqrt, float eps) {
    if (vector) {
      VectorOptimizers.adam(w, wo, g, go, m, v, vMax, from, to, shrink, l2, mFirst, coef, beta2, a2, negStep,
          bias2Sqrt, eps);
      return;
    }
    // the same float operations as VectorOptimizers.adam, in the same order
    for (int k = from; k < to; k++) {
      float wk = w[wo + k] * shrink;
      float d = l2 != 0f ? g[go + k] + l2 * wk : g[go + k];
      float mk = m[k];
      float mn = (mFirst ? mk : d) + coef * (d - mk);
      float vn = v[k] * beta2 + a2 * d * d;
      m[k] = mn;
      v[k] = vn;
      if (vMax != null) {
        vn = vMax[k] = Math.max(vMax[k], vn);
      }
      w[wo + k] = wk + negStep * mn / ((float) Math.sqrt(vn) / bias2Sqrt + eps);
    }
  }

  private static void sgdRange(boolean vector, float[] w, int wo, float[] g, int go, float[] buf, int from, int to,
      float negLr, float wd, float mu, float keep, boolean first, boolean nesterov) {
    if (vector) {
      VectorOptimizers.sgd(w, wo, g, go, buf, from, to, negLr, wd, mu, keep, first, nesterov);
      return;
    }
    for (int k = from; k < to; k++) {
      float wk = w[wo + k];
      float d = wd != 0f ? g[go + k] + wd * wk : g[go + k];
      if (buf != null) {
        float b = first ? d : buf[k] * mu + keep * d;
        buf[k] = b;
        d = nesterov ? d + mu * b : b;
      }
      w[wo + k] = wk + negLr * d;
    }
  }
}

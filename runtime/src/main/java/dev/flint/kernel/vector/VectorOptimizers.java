package dev.flint.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision optimizer updates on the incubating Vector API: Adam/AdamW and SGD over one
 * parameter's float arrays, in place, in PyTorch's order of float operations (see
 * {@code dev.flint.kernel.OptimizerSteps}, which calls these and holds the same loops in plain Java).
 *
 * <p>Load this class only when {@code jdk.incubator.vector} is in the boot layer, and run
 * {@link #warmUp()} first: JDK 17 boxes every vector in interpreted and C1 code.
 */
public final class VectorOptimizers {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorOptimizers() {}

  /**
   * One Adam step over elements {@code [from, to)}: w at {@code w[wo + k]}, the gradient at
   * {@code g[go + k]}, the moments (and, when not null, the running maximum {@code vMax}) at index
   * k. Per element, in float: {@code w *= shrink; d = g + l2·w; m = lerp(m, d, a1);
   * v = v·beta2 + a2·d·d; [vMax = max(vMax, v)]; w += (−stepSize·m) / (√v / bias2Sqrt + eps)}.
   * The lerp is PyTorch's: {@code m + a1·(d − m)} when {@code a1 < 0.5}, else {@code d − (d − m)·(1 − a1)},
   * passed here as {@code base + coef·(d − m)} with {@code mFirst} choosing m or d as the base.
   */
  public static void adam(float[] w, int wo, float[] g, int go, float[] m, float[] v, float[] vMax, int from, int to,
      float shrink, float l2, boolean mFirst, float coef, float beta2, float a2, float negStepSize, float bias2Sqrt,
      float eps) {
    int k = from;
    int end = from + (to - from) / L * L;
    for (; k < end; k += L) {
      FloatVector wk = FloatVector.fromArray(S, w, wo + k);
      if (shrink != 1f) {
        wk = wk.mul(shrink);
      }
      FloatVector d = FloatVector.fromArray(S, g, go + k);
      if (l2 != 0f) {
        d = d.add(wk.mul(l2));
      }
      FloatVector mk = FloatVector.fromArray(S, m, k);
      FloatVector mn = d.sub(mk).mul(coef).add(mFirst ? mk : d);
      FloatVector vn = FloatVector.fromArray(S, v, k).mul(beta2).add(d.mul(a2).mul(d));
      mn.intoArray(m, k);
      vn.intoArray(v, k);
      if (vMax != null) {
        vn = FloatVector.fromArray(S, vMax, k).max(vn);
        vn.intoArray(vMax, k);
      }
      FloatVector denom = vn.sqrt().div(bias2Sqrt).add(eps);
      wk.add(mn.mul(negStepSize).div(denom)).intoArray(w, wo + k);
    }
    for (; k < to; k++) {
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
      w[wo + k] = wk + negStepSize * mn / ((float) Math.sqrt(vn) / bias2Sqrt + eps);
    }
  }

  /**
   * One SGD step over elements {@code [from, to)}, in float: {@code d = g + wd·w}; with a momentum
   * buffer ({@code buf} not null): {@code buf = first ? d : buf·mu + keep·d} and
   * {@code d = nesterov ? d + mu·buf : buf}; then {@code w += negLr·d}.
   */
  public static void sgd(float[] w, int wo, float[] g, int go, float[] buf, int from, int to, float negLr, float wd,
      float mu, float keep, boolean first, boolean nesterov) {
    int k = from;
    int end = from + (to - from) / L * L;
    for (; k < end; k += L) {
      FloatVector wk = FloatVector.fromArray(S, w, wo + k);
      FloatVector d = FloatVector.fromArray(S, g, go + k);
      if (wd != 0f) {
        d = d.add(wk.mul(wd));
      }
      if (buf != null) {
        FloatVector b = first ? d : FloatVector.fromArray(S, buf, k).mul(mu).add(d.mul(keep));
        b.intoArray(buf, k);
        d = nesterov ? d.add(b.mul(mu)) : b;
      }
      wk.add(d.mul(negLr)).intoArray(w, wo + k);
    }
    for (; k < to; k++) {
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

  /**
   * Runs both updates on tiny arrays through every branch (with and without a vector body and a
   * tail, decay, amsgrad, both lerp forms, momentum's first and later steps, Nesterov) until C2 has
   * compiled them: a fixed number of rounds, bounded by {@code maxMillis}.
   */
  public static void warmUp(long maxMillis) {
    int n = 2 * L + 3;
    float[] w = new float[n];
    float[] g = new float[n];
    float[] m = new float[n];
    float[] v = new float[n];
    float[] vMax = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = (i % 5 - 2) * 0.01f;
    }
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    for (int round = 0; round < 12_000; round++) {
      if ((round & 255) == 0 && System.nanoTime() > deadline) {
        return;
      }
      boolean odd = (round & 1) != 0;
      // lengths with and without a vector body and a tail: C2 turns a branch never taken here into
      // a trap, and a real call that takes it would run boxed vector code until recompiled
      int len = (round >> 1) % 4 == 0 ? 3 : (round >> 1) % 4 == 1 ? L : n;
      adam(w, 0, g, 0, m, v, odd ? vMax : null, 0, len, odd ? 0.999f : 1f, odd ? 0f : 0.01f, odd, odd ? 0.1f : -0.5f,
          0.999f, 0.001f, -0.001f, 0.5f, 1e-8f);
      sgd(w, 0, g, 0, odd ? m : null, 0, len, -0.001f, odd ? 0f : 0.01f, 0.9f, 1f, (round & 3) == 1, (round & 3) == 3);
    }
  }
}

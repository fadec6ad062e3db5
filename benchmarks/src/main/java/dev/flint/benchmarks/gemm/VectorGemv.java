package dev.flint.benchmarks.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix-vector product {@code y[m] += W[m,k] · x[k]} on the incubating Vector API, for the
 * one-row products of batch-1 inference ({@code x·Wᵀ} with a Linear's weight W stored [out, in]):
 * each output is a dot product over a contiguous row of W, so nothing is packed. Four rows share each
 * vector load of x. Load only when {@code jdk.incubator.vector} is present (see {@link Gemms}).
 */
public final class VectorGemv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorGemv() {}

  /** {@code y[yo + j] += Σ_p w[wo + j*ldw + p] · x[xo + p]} for j in [0, m). */
  public static void gemv(float[] w, int wo, int ldw, float[] x, int xo, float[] y, int yo, int k, int m) {
    int kv = k - k % L;
    int j = 0;
    for (; j + 4 <= m; j += 4) {
      int r0 = wo + j * ldw;
      int r1 = r0 + ldw;
      int r2 = r1 + ldw;
      int r3 = r2 + ldw;
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int p = 0; p < kv; p += L) {
        FloatVector xv = FloatVector.fromArray(S, x, xo + p);
        a0 = FloatVector.fromArray(S, w, r0 + p).fma(xv, a0);
        a1 = FloatVector.fromArray(S, w, r1 + p).fma(xv, a1);
        a2 = FloatVector.fromArray(S, w, r2 + p).fma(xv, a2);
        a3 = FloatVector.fromArray(S, w, r3 + p).fma(xv, a3);
      }
      float s0 = a0.reduceLanes(VectorOperators.ADD);
      float s1 = a1.reduceLanes(VectorOperators.ADD);
      float s2 = a2.reduceLanes(VectorOperators.ADD);
      float s3 = a3.reduceLanes(VectorOperators.ADD);
      for (int p = kv; p < k; p++) {
        float xp = x[xo + p];
        s0 += w[r0 + p] * xp;
        s1 += w[r1 + p] * xp;
        s2 += w[r2 + p] * xp;
        s3 += w[r3 + p] * xp;
      }
      y[yo + j] += s0;
      y[yo + j + 1] += s1;
      y[yo + j + 2] += s2;
      y[yo + j + 3] += s3;
    }
    for (; j < m; j++) {
      int r = wo + j * ldw;
      FloatVector a = FloatVector.zero(S);
      for (int p = 0; p < kv; p += L) {
        a = FloatVector.fromArray(S, w, r + p).fma(FloatVector.fromArray(S, x, xo + p), a);
      }
      float s = a.reduceLanes(VectorOperators.ADD);
      for (int p = kv; p < k; p++) {
        s += w[r + p] * x[xo + p];
      }
      y[yo + j] += s;
    }
  }

  /** Runs the kernel on tiny inputs until C2 has compiled it (see {@link VectorGemm#warmUp}). */
  public static void warmUp() {
    float[] w = new float[5 * (L + 1)];
    float[] x = new float[L + 1];
    float[] y = new float[5];
    for (int i = 0; i < 30_000; i++) {
      gemv(w, 0, L + 1, x, 0, y, 0, L + 1, 5);
    }
  }
}

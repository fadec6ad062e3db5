package dev.flint.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix products on the incubating Vector API: a BLIS-style GEMM and a
 * matrix-vector product for one-row products.
 *
 * <p>GEMM: B is packed per block of {@value #KC} rows × {@value #NC} columns (about 512 KiB, sized for
 * a 1 MiB L2) into strips {@link #NR} floats wide, and a micro-kernel keeps a 4-row × 2-vector tile of
 * C in registers while it walks the block with fused multiply-adds (2 vector loads of B and 4 scalars
 * of A per 8 FMAs). A is only read as broadcast scalars, so any strides work without a copy.
 *
 * <p>Load this class only when {@code jdk.incubator.vector} is in the boot layer. The pack buffer is
 * per thread and reused, so a warm call allocates nothing.
 */
public final class VectorMatMul {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Rows of the register tile. */
  public static final int MR = 4;
  /** Columns of the register tile: two vectors. */
  private static final int NR = 2 * L;
  /** Depth of a packed block of B. */
  private static final int KC = 256;
  /** Width of a packed block of B. */
  private static final int NC = 512;

  private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[KC * (NC + NR)]);

  private VectorMatMul() {}

  /** The vector width in floats this JVM uses (16 with AVX-512, 8 with AVX2). */
  public static int lanes() {
    return L;
  }

  /**
   * Runs the kernels on tiny products until C2 has compiled them. Until then every vector op is a
   * boxed object and a 256³ product takes seconds instead of a fraction of a millisecond; tiny calls
   * reach the compile thresholds in about 0.1 s.
   */
  public static void warmUp() {
    int n = MR + 1;
    int k = 2;
    float[] a = new float[n * k];
    float[] b = new float[k * NR];
    float[] c = new float[n * NR];
    float[] w = new float[5 * (L + 1)];
    float[] x = new float[L + 1];
    float[] y = new float[5];
    for (int i = 0; i < 30_000; i++) {
      gemm(a, 0, k, 1, b, 0, NR, 1, c, 0, NR, k, NR, 0, n);
      gemv(w, 0, L + 1, x, 0, y, 0, L + 1, 5);
    }
  }

  /**
   * Writes rows {@code [i0, i1)} of {@code C = A·B} (overwriting them). A's element (i, p) is
   * {@code a[ao + i*sa0 + p*sa1]}, B's element (p, j) is {@code b[bo + p*sb0 + j*sb1]}, C is
   * {@code [n, m]} at {@code c[co + i*ldc + j]}; {@code k >= 1}. Row ranges of one product may run on
   * different threads at once.
   */
  public static void gemm(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int sb0, int sb1,
      float[] c, int co, int ldc, int k, int m, int i0, int i1) {
    float[] bp = PACK.get();
    for (int j0 = 0; j0 < m; j0 += NC) {
      int nc = Math.min(NC, m - j0);
      int strips = (nc + NR - 1) / NR;
      for (int p0 = 0; p0 < k; p0 += KC) {
        int kc = Math.min(KC, k - p0);
        boolean add = p0 > 0;
        pack(b, bo + p0 * sb0 + j0 * sb1, sb0, sb1, bp, kc, nc, strips);
        int i = i0;
        for (; i + MR <= i1; i += MR) {
          for (int s = 0; s < strips; s++) {
            int w = Math.min(NR, nc - s * NR);
            kernel4(a, ao + i * sa0 + p0 * sa1, sa0, sa1, bp, s * kc * NR, kc, c, co + i * ldc + j0 + s * NR, ldc, w, add);
          }
        }
        for (; i < i1; i++) {
          for (int s = 0; s < strips; s++) {
            int w = Math.min(NR, nc - s * NR);
            kernel1(a, ao + i * sa0 + p0 * sa1, sa1, bp, s * kc * NR, kc, c, co + i * ldc + j0 + s * NR, w, add);
          }
        }
      }
    }
  }

  /**
   * Writes {@code y[yo + j] = Σ_p w[wo + j*ldw + p] · x[xo + p]} for j in [0, m): the one-row product
   * {@code x·Wᵀ} with W stored [m, k] row by row (a Linear's weight), so nothing needs packing.
   */
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
      y[yo + j] = s0;
      y[yo + j + 1] = s1;
      y[yo + j + 2] = s2;
      y[yo + j + 3] = s3;
    }
    for (; j < m; j++) {
      int r = wo + j * ldw;
      FloatVector acc = FloatVector.zero(S);
      for (int p = 0; p < kv; p += L) {
        acc = FloatVector.fromArray(S, w, r + p).fma(FloatVector.fromArray(S, x, xo + p), acc);
      }
      float s = acc.reduceLanes(VectorOperators.ADD);
      for (int p = kv; p < k; p++) {
        s += w[r + p] * x[xo + p];
      }
      y[yo + j] = s;
    }
  }

  /** Copies a kc × nc block of B into strips of kc rows × NR floats, zero-padding the last strip. */
  private static void pack(float[] b, int at, int sb0, int sb1, float[] bp, int kc, int nc, int strips) {
    for (int s = 0; s < strips; s++) {
      int w = Math.min(NR, nc - s * NR);
      int base = s * kc * NR;
      for (int p = 0; p < kc; p++) {
        int dst = base + p * NR;
        int src = at + p * sb0 + s * NR * sb1;
        if (sb1 == 1) {
          System.arraycopy(b, src, bp, dst, w);
        } else {
          for (int t = 0; t < w; t++) {
            bp[dst + t] = b[src + t * sb1];
          }
        }
        for (int t = w; t < NR; t++) {
          bp[dst + t] = 0;
        }
      }
    }
  }

  private static void kernel4(float[] a, int ao, int sa0, int sa1, float[] bp, int bo, int kc, float[] c, int co,
      int ldc, int w, boolean add) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    int a0 = ao;
    int a1 = ao + sa0;
    int a2 = a1 + sa0;
    int a3 = a2 + sa0;
    for (int p = 0; p < kc; p++, a0 += sa1, a1 += sa1, a2 += sa1, a3 += sa1) {
      int bi = bo + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector x = FloatVector.broadcast(S, a[a0]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    store(c, co, c00, c01, w, add);
    store(c, co + ldc, c10, c11, w, add);
    store(c, co + 2 * ldc, c20, c21, w, add);
    store(c, co + 3 * ldc, c30, c31, w, add);
  }

  private static void kernel1(float[] a, int ao, int sa1, float[] bp, int bo, int kc, float[] c, int co, int w,
      boolean add) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0;
    for (int p = 0, ap = ao; p < kc; p++, ap += sa1) {
      int bi = bo + p * NR;
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0 = x.fma(FloatVector.fromArray(S, bp, bi), c0);
      c1 = x.fma(FloatVector.fromArray(S, bp, bi + L), c1);
    }
    store(c, co, c0, c1, w, add);
  }

  /** C[at .. at+w) = (or +=, after the first block of k) the first w lanes of (v0, v1). */
  private static void store(float[] c, int at, FloatVector v0, FloatVector v1, int w, boolean add) {
    if (w == NR) {
      if (add) {
        v0 = v0.add(FloatVector.fromArray(S, c, at));
        v1 = v1.add(FloatVector.fromArray(S, c, at + L));
      }
      v0.intoArray(c, at);
      v1.intoArray(c, at + L);
      return;
    }
    for (int j = 0; j < w; j++) {
      float v = j < L ? v0.lane(j) : v1.lane(j - L);
      c[at + j] = add ? c[at + j] + v : v;
    }
  }
}

package dev.flint.benchmarks.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM {@code C[n,m] += A[n,k] · B[k,m]} (row-major, with leading dimensions) on
 * the incubating Vector API, in the style of BLIS/OpenBLAS: B is packed per block of {@value #KC}
 * rows × {@value #NC} columns (about 512 KiB, sized for a 1 MiB L2) into strips {@link #NR} floats
 * wide, and a micro-kernel keeps a 4-row × 2-vector tile of C in registers while it walks the block
 * with fused multiply-adds, so each step loads 2 vectors of B and 4 scalars of A for 8 FMAs.
 *
 * <p>Load this class only when {@code jdk.incubator.vector} is in the boot layer (see
 * {@link Gemms}); run with {@code --add-modules jdk.incubator.vector}. The pack buffer is per thread
 * and reused, so a warm call allocates nothing.
 */
public final class VectorGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Rows of the register tile. */
  static final int MR = 4;
  /** Columns of the register tile: two vectors. */
  static final int NR = 2 * L;
  /** Depth of a packed block of B. */
  static final int KC = 256;
  /** Width of a packed block of B. */
  static final int NC = 512;

  private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[KC * (NC + NR)]);

  private VectorGemm() {}

  /**
   * Runs the kernels on tiny products until C2 has compiled them. Until then every vector op is a
   * boxed object and a 256³ product takes seconds instead of a fraction of a millisecond; tiny
   * calls reach the compile thresholds in about 100 ms instead of about 10 s of real work.
   */
  public static void warmUp() {
    int n = MR + 1;
    float[] a = new float[n * 2];
    float[] b = new float[2 * NR];
    float[] c = new float[n * NR];
    for (int i = 0; i < 30_000; i++) {
      gemm(a, 0, 2, b, 0, NR, c, 0, NR, 2, NR, 0, n);
    }
  }

  /** The vector width in floats this JVM uses (16 with AVX-512, 8 with AVX2). */
  public static int lanes() {
    return L;
  }

  /**
   * Adds {@code A·B} to rows {@code [i0, i1)} of C. A is {@code [n, k]} at {@code a[ao + i*lda + p]},
   * B is {@code [k, m]} at {@code b[bo + p*ldb + j]}, C is {@code [n, m]} at {@code c[co + i*ldc + j]}.
   * Row ranges of one product may run on different threads at once.
   */
  public static void gemm(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
      int k, int m, int i0, int i1) {
    gemm(a, ao, lda, 1, b, bo, ldb, 1, c, co, ldc, k, m, i0, i1);
  }

  /**
   * The strided form: A's element (i, p) is {@code a[ao + i*sa0 + p*sa1]} and B's element (p, j) is
   * {@code b[bo + p*sb0 + j*sb1]}, so transposed operands ({@code x @ w.t()}, {@code dy.t() @ x}) need
   * no copy: A is only ever read as broadcast scalars, and B is packed anyway.
   */
  public static void gemm(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int sb0, int sb1,
      float[] c, int co, int ldc, int k, int m, int i0, int i1) {
    float[] bp = PACK.get();
    for (int j0 = 0; j0 < m; j0 += NC) {
      int nc = Math.min(NC, m - j0);
      int strips = (nc + NR - 1) / NR;
      for (int p0 = 0; p0 < k; p0 += KC) {
        int kc = Math.min(KC, k - p0);
        pack(b, bo + p0 * sb0 + j0 * sb1, sb0, sb1, bp, kc, nc, strips);
        int i = i0;
        for (; i + MR <= i1; i += MR) {
          for (int s = 0; s < strips; s++) {
            int w = Math.min(NR, nc - s * NR);
            kernel4(a, ao + i * sa0 + p0 * sa1, sa0, sa1, bp, s * kc * NR, kc, c, co + i * ldc + j0 + s * NR, ldc, w);
          }
        }
        for (; i < i1; i++) {
          for (int s = 0; s < strips; s++) {
            int w = Math.min(NR, nc - s * NR);
            kernel1(a, ao + i * sa0 + p0 * sa1, sa1, bp, s * kc * NR, kc, c, co + i * ldc + j0 + s * NR, w);
          }
        }
      }
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
      int ldc, int w) {
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
    store(c, co, c00, c01, w);
    store(c, co + ldc, c10, c11, w);
    store(c, co + 2 * ldc, c20, c21, w);
    store(c, co + 3 * ldc, c30, c31, w);
  }

  private static void kernel1(float[] a, int ao, int sa1, float[] bp, int bo, int kc, float[] c, int co, int w) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0;
    for (int p = 0, ap = ao; p < kc; p++, ap += sa1) {
      int bi = bo + p * NR;
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0 = x.fma(FloatVector.fromArray(S, bp, bi), c0);
      c1 = x.fma(FloatVector.fromArray(S, bp, bi + L), c1);
    }
    store(c, co, c0, c1, w);
  }

  /** C[at .. at+w) += the first w lanes of (v0, v1). */
  private static void store(float[] c, int at, FloatVector v0, FloatVector v1, int w) {
    if (w == NR) {
      FloatVector.fromArray(S, c, at).add(v0).intoArray(c, at);
      FloatVector.fromArray(S, c, at + L).add(v1).intoArray(c, at + L);
      return;
    }
    for (int j = 0; j < w; j++) {
      c[at + j] += j < L ? v0.lane(j) : v1.lane(j - L);
    }
  }
}

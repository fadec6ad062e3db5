package dev.flint.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-precision products of a convolution by im2col, on the incubating Vector API, without
 * packing: their operands are a small matrix (the weight, {@code [O, C·kH·kW]}) and a wide one (the
 * unrolled input or the output gradient, one row per channel or kernel offset and a column per output
 * pixel). {@link VectorMatMul}'s GEMM copies the wide operand into packed strips first, which costs
 * about as much as the product itself when the small side has 8 or 16 rows; here the wide operand's
 * rows are read in place (each is contiguous), and the small one as broadcast scalars.
 *
 * <ul>
 *   <li>{@link #gemm}: {@code C = A·B} with B's rows contiguous (the forward {@code w·cols} and the
 *       input gradient {@code wᵀ·gy}), a tile of 8 rows × 2 vectors of C in registers.
 *   <li>{@link #dotNT}: {@code C = A·Bᵀ} with A's and B's rows contiguous and long (the weight gradient
 *       {@code gy·colsᵀ}), as dot products, 4 × 4 of them at a time over a slice of the rows that
 *       stays in cache.
 * </ul>
 *
 * <p>Load this class only when {@code jdk.incubator.vector} is in the boot layer, after
 * {@link #warmUp(long)}.
 */
public final class VectorConvProducts {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Columns of the rows {@link #dotNT} walks per pass over its tiles (16 KiB of each row). */
  private static final int SLICE = 4096;

  private VectorConvProducts() {}

  /** The vector width in floats. */
  public static int lanes() {
    return L;
  }

  /**
   * Writes columns {@code [j0, j1)} of {@code C = A·B} for all {@code m} rows (overwriting them): A's
   * element (i, p) is {@code a[ao + i*sa0 + p*sa1]}, B's element (p, j) is {@code b[bo + p*ldb + j]},
   * C's is {@code c[co + i*ldc + j]}; {@code k >= 1}. Disjoint column ranges may run on different
   * threads at once.
   */
  public static void gemm(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int ldb, float[] c, int co,
      int ldc, int m, int k, int j0, int j1) {
    int j = j0;
    for (; j + 2 * L <= j1; j += 2 * L) {
      int i = 0;
      for (; i + 8 <= m; i += 8) {
        tile8(a, ao + i * sa0, sa0, sa1, b, bo + j, ldb, c, co + i * ldc + j, ldc, k);
      }
      for (; i < m; i++) {
        row2(a, ao + i * sa0, sa1, b, bo + j, ldb, c, co + i * ldc + j, k);
      }
    }
    for (; j + L <= j1; j += L) {
      for (int i = 0; i < m; i++) {
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0, ai = ao + i * sa0, bi = bo + j; p < k; p++, ai += sa1, bi += ldb) {
          acc = FloatVector.fromArray(S, b, bi).fma(FloatVector.broadcast(S, a[ai]), acc);
        }
        acc.intoArray(c, co + i * ldc + j);
      }
    }
    for (; j < j1; j++) {
      for (int i = 0; i < m; i++) {
        float acc = 0;
        for (int p = 0, ai = ao + i * sa0, bi = bo + j; p < k; p++, ai += sa1, bi += ldb) {
          acc = Math.fma(a[ai], b[bi], acc);
        }
        c[co + i * ldc + j] = acc;
      }
    }
  }

  /** 8 rows × 2 vectors of C: 16 accumulators, two loads of B's row p and 8 broadcasts of A per step. */
  private static void tile8(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int ldb, float[] c, int co,
      int ldc, int k) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    for (int p = 0, ap = ao, bp = bo; p < k; p++, ap += sa1, bp += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[ap + sa0]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[ap + 2 * sa0]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[ap + 3 * sa0]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, a[ap + 4 * sa0]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, a[ap + 5 * sa0]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(S, a[ap + 6 * sa0]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(S, a[ap + 7 * sa0]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, co);
    c01.intoArray(c, co + L);
    c10.intoArray(c, co + ldc);
    c11.intoArray(c, co + ldc + L);
    c20.intoArray(c, co + 2 * ldc);
    c21.intoArray(c, co + 2 * ldc + L);
    c30.intoArray(c, co + 3 * ldc);
    c31.intoArray(c, co + 3 * ldc + L);
    c40.intoArray(c, co + 4 * ldc);
    c41.intoArray(c, co + 4 * ldc + L);
    c50.intoArray(c, co + 5 * ldc);
    c51.intoArray(c, co + 5 * ldc + L);
    c60.intoArray(c, co + 6 * ldc);
    c61.intoArray(c, co + 6 * ldc + L);
    c70.intoArray(c, co + 7 * ldc);
    c71.intoArray(c, co + 7 * ldc + L);
  }

  /** One row × 2 vectors of C. */
  private static void row2(float[] a, int ao, int sa1, float[] b, int bo, int ldb, float[] c, int co, int k) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0;
    for (int p = 0, ap = ao, bp = bo; p < k; p++, ap += sa1, bp += ldb) {
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
      c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
    }
    c0.intoArray(c, co);
    c1.intoArray(c, co + L);
  }

  /**
   * Writes {@code C = A·Bᵀ} (overwriting it) over columns {@code [t0, t1)} of A's and B's rows: A is
   * {@code [m, ·]} with row i at {@code a[ao + i*lda]}, B is {@code [n, ·]} with row j at
   * {@code b[bo + j*ldb]}, C is {@code [m, n]} at {@code c[co + i*ldc + j]}. The rows are walked in
   * slices of {@value #SLICE} columns, each slice's dot products added to C in slice order.
   */
  public static void dotNT(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
      int m, int n, int t0, int t1) {
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
    }
    for (int s0 = t0; s0 < t1; s0 += SLICE) {
      int s1 = Math.min(t1, s0 + SLICE);
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
          dot44(a, ao + i * lda + s0, lda, b, bo + j * ldb + s0, ldb, c, co + i * ldc + j, ldc, s1 - s0);
        }
        for (; j < n; j++) {
          for (int r = i; r < i + 4; r++) {
            c[co + r * ldc + j] += dot(a, ao + r * lda + s0, b, bo + j * ldb + s0, s1 - s0);
          }
        }
      }
      for (; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[co + i * ldc + j] += dot(a, ao + i * lda + s0, b, bo + j * ldb + s0, s1 - s0);
        }
      }
    }
  }

  /** 4 × 4 dot products of length {@code len}, added to C: 16 accumulators, 8 loads per 16 FMAs. */
  private static void dot44(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
      int len) {
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s03 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s13 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s22 = s00;
    FloatVector s23 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    FloatVector s32 = s00;
    FloatVector s33 = s00;
    int t = 0;
    for (; t + L <= len; t += L) {
      FloatVector a0 = FloatVector.fromArray(S, a, ao + t);
      FloatVector a1 = FloatVector.fromArray(S, a, ao + lda + t);
      FloatVector a2 = FloatVector.fromArray(S, a, ao + 2 * lda + t);
      FloatVector a3 = FloatVector.fromArray(S, a, ao + 3 * lda + t);
      FloatVector b0 = FloatVector.fromArray(S, b, bo + t);
      s00 = a0.fma(b0, s00);
      s10 = a1.fma(b0, s10);
      s20 = a2.fma(b0, s20);
      s30 = a3.fma(b0, s30);
      FloatVector b1 = FloatVector.fromArray(S, b, bo + ldb + t);
      s01 = a0.fma(b1, s01);
      s11 = a1.fma(b1, s11);
      s21 = a2.fma(b1, s21);
      s31 = a3.fma(b1, s31);
      FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * ldb + t);
      s02 = a0.fma(b2, s02);
      s12 = a1.fma(b2, s12);
      s22 = a2.fma(b2, s22);
      s32 = a3.fma(b2, s32);
      FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * ldb + t);
      s03 = a0.fma(b3, s03);
      s13 = a1.fma(b3, s13);
      s23 = a2.fma(b3, s23);
      s33 = a3.fma(b3, s33);
    }
    add(c, co, s00, s01, s02, s03, a, ao, b, bo, ldb, t, len);
    add(c, co + ldc, s10, s11, s12, s13, a, ao + lda, b, bo, ldb, t, len);
    add(c, co + 2 * ldc, s20, s21, s22, s23, a, ao + 2 * lda, b, bo, ldb, t, len);
    add(c, co + 3 * ldc, s30, s31, s32, s33, a, ao + 3 * lda, b, bo, ldb, t, len);
  }

  /** Adds one row of a 4 × 4 tile to C: each accumulator's lanes, plus the scalar tail {@code [t, len)}. */
  private static void add(float[] c, int co, FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3,
      float[] a, int ao, float[] b, int bo, int ldb, int t, int len) {
    float r0 = s0.reduceLanes(VectorOperators.ADD);
    float r1 = s1.reduceLanes(VectorOperators.ADD);
    float r2 = s2.reduceLanes(VectorOperators.ADD);
    float r3 = s3.reduceLanes(VectorOperators.ADD);
    for (int u = t; u < len; u++) {
      float x = a[ao + u];
      r0 = Math.fma(x, b[bo + u], r0);
      r1 = Math.fma(x, b[bo + ldb + u], r1);
      r2 = Math.fma(x, b[bo + 2 * ldb + u], r2);
      r3 = Math.fma(x, b[bo + 3 * ldb + u], r3);
    }
    c[co] += r0;
    c[co + 1] += r1;
    c[co + 2] += r2;
    c[co + 3] += r3;
  }

  /** One dot product of length {@code len}. */
  private static float dot(float[] a, int ao, float[] b, int bo, int len) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    int t = 0;
    for (; t + 2 * L <= len; t += 2 * L) {
      s0 = FloatVector.fromArray(S, a, ao + t).fma(FloatVector.fromArray(S, b, bo + t), s0);
      s1 = FloatVector.fromArray(S, a, ao + t + L).fma(FloatVector.fromArray(S, b, bo + t + L), s1);
    }
    for (; t + L <= len; t += L) {
      s0 = FloatVector.fromArray(S, a, ao + t).fma(FloatVector.fromArray(S, b, bo + t), s0);
    }
    float r = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; t < len; t++) {
      r = Math.fma(a[ao + t], b[bo + t], r);
    }
    return r;
  }

  /** Runs both products through every branch on tiny operands until C2 has compiled them. */
  public static void warmUp(long maxMillis) {
    int m = 9;
    int n = 5 * L + 3;
    int k = 3;
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    float[] c = new float[m * n];
    float[] d = new float[m * m];
    for (int i = 0; i < b.length; i++) {
      b[i] = (i % 7) * 0.25f;
    }
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    for (int round = 0; round < 12_000; round++) {
      if ((round & 255) == 0 && System.nanoTime() > deadline) {
        return;
      }
      // every loop entered and skipped (see VectorOptimizers.warmUp): fewer than 8 rows, only a
      // one-vector strip, only scalar columns; tiles of 4 × 4 dot products and none
      boolean odd = (round & 1) != 0;
      gemm(a, 0, k, 1, b, 0, n, c, 0, n, odd ? m : 3, k, 0, round % 3 == 0 ? n : round % 3 == 1 ? L : 3);
      dotNT(c, 0, n, c, n, n, d, 0, m, odd ? 6 : 2, odd ? 5 : 3, 0, odd ? n : 3);
    }
  }
}

package dev.flint.benchmarks.gemm;

import dev.flint.kernel.vector.VectorMatMul;

/**
 * Direct entry to the runtime's Vector API kernels ({@link dev.flint.kernel.vector.VectorMatMul}),
 * bypassing {@code Kernels.matmul}'s dispatch, so the driver can show what the dispatch costs; a
 * plain-Java loop when the JVM lacks {@code jdk.incubator.vector}, so callers never touch the
 * incubator module directly. Callers zero C (or y) first: the vector kernels overwrite it, the
 * fallbacks accumulate into it.
 */
public final class Gemms {
  /** True when {@code jdk.incubator.vector} is in the boot layer and {@code VectorMatMul} can load. */
  public static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private Gemms() {}

  /** Gets the fast kernels compiled before they are timed. */
  public static void warmUp() {
    if (VECTOR) {
      VectorMatMul.warmUp();
    }
  }

  /** {@code y = W·x} for W [m, k] with row stride {@code ldw}: the one-row product {@code x·Wᵀ}. */
  public static void gemv(float[] w, int wo, int ldw, float[] x, int xo, float[] y, int yo, int k, int m) {
    if (VECTOR) {
      VectorMatMul.gemv(w, wo, ldw, x, xo, y, yo, k, m);
      return;
    }
    for (int j = 0; j < m; j++) {
      float s = 0;
      for (int p = 0; p < k; p++) {
        s += w[wo + j * ldw + p] * x[xo + p];
      }
      y[yo + j] += s;
    }
  }

  /** Which implementation {@link #gemm} uses: "vector-api (N lanes)" or "plain-java". */
  public static String implementation() {
    return VECTOR ? "vector-api (" + VectorMatMul.lanes() + " lanes)" : "plain-java";
  }

  /** {@code C = A·B} on rows {@code [i0, i1)} of row-major operands with leading dims lda, ldb, ldc. */
  public static void gemm(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
      int k, int m, int i0, int i1) {
    if (VECTOR) {
      VectorMatMul.gemm(a, ao, lda, 1, b, bo, ldb, 1, c, co, ldc, k, m, i0, i1);
    } else {
      plain(a, ao, lda, b, bo, ldb, c, co, ldc, k, m, i0, i1);
    }
  }

  /** The strided form of {@link #gemm}: element (i, p) of A is {@code a[ao + i*sa0 + p*sa1]}, likewise B. */
  public static void gemm(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int sb0, int sb1, float[] c, int co,
      int ldc, int k, int m, int i0, int i1) {
    if (VECTOR) {
      VectorMatMul.gemm(a, ao, sa0, sa1, b, bo, sb0, sb1, c, co, ldc, k, m, i0, i1);
      return;
    }
    for (int i = i0; i < i1; i++) {
      for (int p = 0; p < k; p++) {
        float av = a[ao + i * sa0 + p * sa1];
        int bi = bo + p * sb0;
        int ci = co + i * ldc;
        for (int j = 0; j < m; j++) {
          c[ci + j] += av * b[bi + j * sb1];
        }
      }
    }
  }

  /** The fallback: blocked i-k-j, whose inner j loop is an axpy the JIT vectorizes. */
  static void plain(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
      int k, int m, int i0, int i1) {
    final int kb = 256;
    for (int p0 = 0; p0 < k; p0 += kb) {
      int p1 = Math.min(k, p0 + kb);
      for (int i = i0; i < i1; i++) {
        int ci = co + i * ldc;
        int ai = ao + i * lda;
        for (int p = p0; p < p1; p++) {
          float av = a[ai + p];
          int bi = bo + p * ldb;
          for (int j = 0; j < m; j++) {
            c[ci + j] += av * b[bi + j];
          }
        }
      }
    }
  }
}

package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java path's few-columns products ({@link MatMul#narrowF32}, computed as Cᵀ = Bᵀ·Aᵀ on one
 * thread) against a triple loop in double: plain, transposed and offset operands, odd sizes on both
 * sides of its limits (m up to {@value MatMul#NARROW_MAX_COLS}, n at least 4m and at most 1024).
 */
class MatMulNarrowTest {
  private int threads;

  @BeforeEach
  void oneThread() {
    threads = Flint.getNumThreads();
    Flint.setNumThreads(1);   // the path runs only where a product is not split over threads
  }

  @AfterEach
  void restore() {
    Flint.setNumThreads(threads);
  }

  @Test
  void fewColumnProductsMatchTheNaiveProduct() {
    Generator g = new Generator(21);
    int[] ns = {4, 63, 256, 300, 1024, 1100};
    int[] ks = {1, 2, 7, 117};
    int[] ms = {1, 2, 5, 32, 64, 65};
    for (int n : ns) {
      for (int k : ks) {
        for (int m : ms) {
          Tensor a = Tensor.randn(g, n, k);
          Tensor b = Tensor.randn(g, k, m);
          String what = n + "x" + k + "x" + m;
          check(a, b, what);
          check(Tensor.randn(g, k, n).t(), b, what + ", A transposed");
          check(a, Tensor.randn(g, m, k).t(), what + ", B transposed");
        }
      }
    }
  }

  @Test
  void offsetOperandsMatch() {
    Generator g = new Generator(22);
    Tensor big = Tensor.randn(g, 300, 130);
    Tensor a = big.narrow(0, 3, 256).narrow(1, 5, 117);
    Tensor b = Tensor.randn(g, 120, 70).narrow(0, 2, 117).narrow(1, 1, 64);
    check(a, b, "views into bigger storages");
  }

  private static void check(Tensor a, Tensor b, String what) {
    int n = a.size(0);
    int k = a.size(1);
    int m = b.size(1);
    double[] as = a.toDoubleArray();
    double[] bs = b.toDoubleArray();
    float[] got = MatMul.matmul(a, b, null, false).toFloatArray();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double want = 0;
        double bound = 0;
        for (int p = 0; p < k; p++) {
          want += as[i * k + p] * bs[p * m + j];
          bound += Math.abs(as[i * k + p] * bs[p * m + j]);
        }
        double tol = 1e-5 * (1 + bound);
        double err = Math.abs(want - got[i * m + j]);
        assertTrue(err <= tol, what + ": C[" + i + "][" + j + "] is " + got[i * m + j] + ", expected " + want);
      }
    }
  }
}

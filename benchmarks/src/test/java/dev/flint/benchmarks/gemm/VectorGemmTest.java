package dev.flint.benchmarks.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.benchmarks.AllocationMeter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both GEMM tiers against a double-precision triple loop, on shapes that hit every edge case. */
class VectorGemmTest {
  // sizes around the tile (4 rows, 2 vectors), the packed block (256 deep, 512 wide) and 1
  private static final int[][] SHAPES = {
    {1, 1, 1}, {3, 5, 7}, {4, 32, 32}, {5, 33, 31}, {17, 257, 65}, {64, 300, 513}, {9, 600, 1100}, {128, 784, 10}
  };

  @Test
  void theSurefireRunHasTheVectorModule() {
    // the pom adds --add-modules jdk.incubator.vector; without it this suite would test only the fallback
    assertTrue(Gemms.VECTOR, "jdk.incubator.vector should be in the boot layer of the test JVM");
  }

  @Test
  void vectorKernelMatchesTheReference() {
    for (int[] s : SHAPES) {
      check(s[0], s[1], s[2], true);
    }
  }

  @Test
  void plainKernelMatchesTheReference() {
    for (int[] s : SHAPES) {
      check(s[0], s[1], s[2], false);
    }
  }

  @Test
  void accumulatesIntoCAndRespectsOffsetsAndRowRanges() {
    // A and C are windows of bigger arrays (offset 3, leading dimension wider than the row)
    int n = 10;
    int k = 40;
    int m = 37;
    Random r = new Random(3);
    float[] a = random(r, 3 + n * (k + 2));
    float[] b = random(r, 5 + k * (m + 1));
    float[] c = random(r, 7 + n * (m + 4));
    float[] expected = c.clone();
    for (int i = 2; i < 9; i++) { // rows [2, 9) only
      for (int j = 0; j < m; j++) {
        double acc = expected[7 + i * (m + 4) + j];
        for (int p = 0; p < k; p++) {
          acc += (double) a[3 + i * (k + 2) + p] * b[5 + p * (m + 1) + j];
        }
        expected[7 + i * (m + 4) + j] = (float) acc;
      }
    }
    VectorGemm.gemm(a, 3, k + 2, b, 5, m + 1, c, 7, m + 4, k, m, 2, 9);
    for (int i = 0; i < c.length; i++) {
      assertEquals(expected[i], c[i], 1e-4, "element " + i);
    }
  }

  @Test
  void readsTransposedOperandsThroughStrides() {
    // C = Aᵀ·Bᵀ where A is stored [k, n] and B is stored [m, k] (as dW = dYᵀ·X and x·Wᵀ need)
    for (int[] s : SHAPES) {
      int n = s[0];
      int k = s[1];
      int m = s[2];
      Random r = new Random(n + 1000 * k + m);
      float[] at = random(r, k * n);
      float[] bt = random(r, m * k);
      float[] c = new float[n * m];
      VectorGemm.gemm(at, 0, 1, n, bt, 0, 1, k, c, 0, m, k, m, 0, n);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          double ref = 0;
          for (int p = 0; p < k; p++) {
            ref += (double) at[p * n + i] * bt[j * k + p];
          }
          assertEquals(ref, c[i * m + j], 1e-6 * k + 1e-6, "[" + n + "x" + k + "x" + m + "]ᵀ at (" + i + ", " + j + ")");
        }
      }
    }
  }

  @Test
  void aWarmCallAllocatesNothing() {
    int n = 64;
    float[] a = new float[n * n];
    float[] b = new float[n * n];
    float[] c = new float[n * n];
    double bytes = AllocationMeter.create().bytesPerCall(() -> VectorGemm.gemm(a, 0, n, b, 0, n, c, 0, n, n, n, 0, n),
        2000, 50);
    assertEquals(0.0, bytes, "bytes per warm 64x64x64 VectorGemm call");
  }

  private static void check(int n, int k, int m, boolean vector) {
    Random r = new Random(n * 31 + k * 7 + m);
    float[] a = random(r, n * k);
    float[] b = random(r, k * m);
    float[] c = new float[n * m];
    if (vector) {
      VectorGemm.gemm(a, 0, k, b, 0, m, c, 0, m, k, m, 0, n);
    } else {
      Gemms.plain(a, 0, k, b, 0, m, c, 0, m, k, m, 0, n);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double ref = 0;
        for (int p = 0; p < k; p++) {
          ref += (double) a[i * k + p] * b[p * m + j];
        }
        // float accumulation over k terms of size ~0.25: error grows like k * ulp
        assertEquals(ref, c[i * m + j], 1e-6 * k + 1e-6,
            (vector ? "vector" : "plain") + " [" + n + "x" + k + "x" + m + "] at (" + i + ", " + j + ")");
      }
    }
  }

  private static float[] random(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextFloat() - 0.5f;
    }
    return x;
  }
}

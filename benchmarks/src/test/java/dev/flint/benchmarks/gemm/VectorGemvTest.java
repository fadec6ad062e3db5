package dev.flint.benchmarks.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.benchmarks.AllocationMeter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The matrix-vector kernel against a double-precision loop, on sizes around the vector width and the 4-row tile. */
class VectorGemvTest {
  private static final int[][] SHAPES = {{1, 1}, {3, 5}, {16, 4}, {17, 7}, {784, 512}, {512, 256}, {256, 10}, {33, 1}};

  @Test
  void matchesTheReferenceWithOffsetsAndRowStride() {
    for (int[] s : SHAPES) {
      int k = s[0];
      int m = s[1];
      int ldw = k + 3;
      Random r = new Random(k * 7919 + m);
      float[] w = random(r, 2 + m * ldw);
      float[] x = random(r, 1 + k);
      float[] y = random(r, 4 + m);
      float[] expected = y.clone();
      for (int j = 0; j < m; j++) {
        double acc = 0;
        for (int p = 0; p < k; p++) {
          acc += (double) w[2 + j * ldw + p] * x[1 + p];
        }
        expected[4 + j] += (float) acc;
      }
      Gemms.gemv(w, 2, ldw, x, 1, y, 4, k, m);
      for (int i = 0; i < y.length; i++) {
        assertEquals(expected[i], y[i], 1e-6 * k + 1e-6, "k=" + k + " m=" + m + " at " + i);
      }
    }
  }

  @Test
  void aWarmCallAllocatesNothing() {
    float[] w = new float[784 * 512];
    float[] x = new float[784];
    float[] y = new float[512];
    double bytes = AllocationMeter.create().bytesPerCall(() -> VectorGemv.gemv(w, 0, 784, x, 0, y, 0, 784, 512), 3000, 50);
    assertEquals(0.0, bytes, "bytes per warm 784x512 gemv");
  }

  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() - 0.5f;
    }
    return a;
  }
}

package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PoolTest {
  // 1x1x4x4: 1..16 row by row.
  static final Tensor GRID = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 1, 4, 4);

  @Test
  void maxPoolByHand() {
    assertArrayEquals(new float[] {6, 8, 14, 16}, Pool.maxPool2d(GRID, 2, 2, 2, 2, 0, 0).toFloatArray());
    assertArrayEquals(new float[] {6, 7, 8, 10, 11, 12, 14, 15, 16}, Pool.maxPool2d(GRID, 2, 2, 1, 1, 0, 0).toFloatArray());
    // Padding 1: windows at the border see -inf padding, so the real pixel wins.
    assertArrayEquals(new float[] {1, 3, 4, 9, 11, 12, 13, 15, 16}, Pool.maxPool2d(GRID, 2, 2, 2, 2, 1, 1).toFloatArray());
    assertArrayEquals(new int[] {1, 1, 3, 3}, Pool.maxPool2d(GRID, 2, 2, 2, 2, 1, 1).shape());
    Tensor neg = Tensor.of(new double[] {-5, -4, -3, -2}, 1, 2, 2);
    assertArrayEquals(new double[] {-5, -4, -3, -2}, Pool.maxPool2d(neg, 1, 2, 1, 2, 0, 1).toDoubleArray()); // 3-D; padding is not 0
  }

  @Test
  void maxPoolGradientGoesToTheFirstMaximum() {
    Tensor x = Tensor.of(new double[] {1, 3, 3, 2}, 1, 1, 2, 2);
    Tensor dx = Pool.maxPool2dBackward(Tensor.of(new double[] {5}, 1, 1, 1, 1), x, 2, 2, 2, 2, 0, 0);
    assertArrayEquals(new double[] {0, 5, 0, 0}, dx.toDoubleArray());
    // Overlapping windows accumulate.
    Tensor g = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 3, 3);
    Tensor d = Pool.maxPool2dBackward(g, GRID.copyData(), 2, 2, 1, 1, 0, 0);
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1}, d.toFloatArray());
  }

  @Test
  void avgPoolByHandCountsPadding() {
    assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, Pool.avgPool2d(GRID, 2, 2, 2, 2, 0, 0).toFloatArray());
    // Padding 1, kernel 2, stride 2: the corner window holds only pixel 1, divided by 4 (count_include_pad).
    float[] padded = Pool.avgPool2d(GRID, 2, 2, 2, 2, 1, 1).toFloatArray();
    assertEquals(0.25f, padded[0], 1e-6);
    assertEquals((2 + 3) / 4f, padded[1], 1e-6);
    assertEquals((6 + 7 + 10 + 11) / 4f, padded[4], 1e-6);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Generator g = new Generator(5);
    double[] v = new double[2 * 3 * 5 * 6];
    for (int i = 0; i < v.length; i++) {
      v[i] = g.nextGaussian();
    }
    Tensor x = Tensor.of(v, 2, 3, 5, 6);
    int[][] configs = {{2, 2, 2, 2, 0, 0}, {3, 2, 1, 2, 1, 1}, {2, 3, 2, 1, 1, 0}};
    for (int[] c : configs) {
      Tensor r = ConvTest.random(g, Pool.maxPool2d(x, c[0], c[1], c[2], c[3], c[4], c[5]).shape());
      check(x, r, t -> Pool.maxPool2d(t, c[0], c[1], c[2], c[3], c[4], c[5]),
          Pool.maxPool2dBackward(r, x, c[0], c[1], c[2], c[3], c[4], c[5]));
      check(x, r, t -> Pool.avgPool2d(t, c[0], c[1], c[2], c[3], c[4], c[5]),
          Pool.avgPool2dBackward(r, x.shape(), c[0], c[1], c[2], c[3], c[4], c[5]));
    }
  }

  private static void check(Tensor x, Tensor r, Function<Tensor, Tensor> f, Tensor grad) {
    double eps = 1e-6;
    double[] gv = grad.toDoubleArray();
    double[] rv = r.toDoubleArray();
    for (int i = 0; i < x.numel(); i++) {
      double[] s = new double[2];
      for (int k = 0; k < 2; k++) {
        Tensor xx = x.copyData();
        xx.storage().setDouble(i, xx.storage().getDouble(i) + (k == 0 ? eps : -eps));
        double[] y = f.apply(xx).toDoubleArray();
        for (int j = 0; j < y.length; j++) {
          s[k] += y[j] * rv[j];
        }
      }
      assertEquals((s[0] - s[1]) / (2 * eps), gv[i], 1e-7, "element " + i);
    }
  }

  @Test
  void threadedPlanesAgreeWithOneThread() {
    Tensor x = ConvTest.random(new Generator(8), 8, 16, 20, 20);   // big enough to split over planes
    Tensor g = ConvTest.random(new Generator(9), 8, 16, 10, 10);
    int before = dev.flint.Flint.getNumThreads();
    try {
      dev.flint.Flint.setNumThreads(3);
      double[][] threaded = {Pool.maxPool2d(x, 2, 2, 2, 2, 0, 0).toDoubleArray(),
          Pool.maxPool2dBackward(g, x, 2, 2, 2, 2, 0, 0).toDoubleArray(),
          Pool.avgPool2d(x, 2, 2, 2, 2, 0, 0).toDoubleArray(),
          Pool.avgPool2dBackward(g, x.shape(), 2, 2, 2, 2, 0, 0).toDoubleArray()};
      dev.flint.Flint.setNumThreads(1);
      assertArrayEquals(Pool.maxPool2d(x, 2, 2, 2, 2, 0, 0).toDoubleArray(), threaded[0]);
      assertArrayEquals(Pool.maxPool2dBackward(g, x, 2, 2, 2, 2, 0, 0).toDoubleArray(), threaded[1]);
      assertArrayEquals(Pool.avgPool2d(x, 2, 2, 2, 2, 0, 0).toDoubleArray(), threaded[2]);
      assertArrayEquals(Pool.avgPool2dBackward(g, x.shape(), 2, 2, 2, 2, 0, 0).toDoubleArray(), threaded[3]);
    } finally {
      dev.flint.Flint.setNumThreads(before);
    }
  }

  @Test
  void badInputsAreClearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pool.maxPool2d(Tensor.zeros(4, 4), 2, 2, 2, 2, 0, 0));
    assertTrue(e.getMessage().contains("[N, C, H, W]") && e.getMessage().contains("[4, 4]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Pool.avgPool2d(Tensor.zeros(1, 1, 4, 4), 2, 2, 2, 2, 2, 0));
    assertTrue(e.getMessage().contains("half the kernel"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Pool.maxPool2d(Tensor.zeros(1, 1, 2, 2), 3, 3, 1, 1, 0, 0));
    assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Pool.maxPool2d(Tensor.zeros(DType.INT64, 1, 1, 2, 2), 2, 2, 2, 2, 0, 0));
    assertTrue(e.getMessage().contains("INT64"), e.getMessage());
  }
}

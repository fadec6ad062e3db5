package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PoolTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    // FLOAT32 2×2 stride-2 pooling takes the vector tier once its warm-up is over
    assertTrue(dev.flint.Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

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

  /** The textbook max pool: the first maximum in window order, a NaN winning at once; {value, index} per window. */
  static double[][] naiveMaxPool(double[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
    int ho = (h + 2 * ph - kh) / sh + 1, wo = (w + 2 * pw - kw) / sw + 1;
    double[] val = new double[planes * ho * wo];
    double[] idx = new double[val.length];
    for (int p = 0; p < planes; p++) {
      for (int i = 0; i < ho; i++) {
        for (int j = 0; j < wo; j++) {
          int best = -1;
          search:
          for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
              int y = i * sh - ph + a, z = j * sw - pw + b;
              if (y < 0 || y >= h || z < 0 || z >= w) {
                continue;
              }
              int at = (p * h + y) * w + z;
              if (Double.isNaN(x[at])) {
                best = at;
                break search;
              }
              if (best < 0 || x[at] > x[best]) {
                best = at;
              }
            }
          }
          val[(p * ho + i) * wo + j] = x[best];
          idx[(p * ho + i) * wo + j] = best;
        }
      }
    }
    return new double[][] {val, idx};
  }

  /**
   * The max pool kernels (the unrolled 2×2 path and the general one) against {@link #naiveMaxPool} in
   * FLOAT32 and FLOAT64, on data full of ties, signed zeros and NaNs, read through an offset view.
   */
  @Test
  void maxPoolMatchesTheTextbookOnTiesZerosAndNaNs() {
    Generator g = new Generator(17);
    int n = 3, c = 2, h = 7, w = 8;
    double[] palette = {0.0, -0.0, 1.0, -1.0, 2.0, Double.NaN};
    double[] v = new double[1 + n * c * h * w];
    for (int i = 0; i < v.length; i++) {
      // Mostly ties and zeros; a NaN about one element in 40.
      int k = (int) g.nextLong(40);
      v[i] = k == 0 ? Double.NaN : palette[k % 5];
    }
    int[][] configs = {{2, 2, 2, 2, 0, 0}, {2, 2, 1, 1, 0, 0}, {2, 2, 2, 2, 1, 1}, {3, 3, 2, 2, 1, 1}, {3, 2, 1, 2, 0, 1}};
    for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor base = Tensor.of(v, v.length).to(dt);
      Tensor x = Internals.view(base.storage(), 1, new int[] {n, c, h, w}, new int[] {c * h * w, h * w, w, 1});
      double[] xv = x.toDoubleArray();
      for (int[] k : configs) {
        String where = dt + " " + java.util.Arrays.toString(k);
        double[][] expected = naiveMaxPool(xv, n * c, h, w, k[0], k[1], k[2], k[3], k[4], k[5]);
        Tensor y = Pool.maxPool2d(x, k[0], k[1], k[2], k[3], k[4], k[5]);
        assertEquals(dt, y.dtype());
        double[] got = y.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
          // Bit-for-bit, so the sign of a zero and the NaN must match too.
          assertEquals(Double.doubleToLongBits(expected[0][i]), Double.doubleToLongBits(got[i]), where + " y[" + i + "]");
        }
        // The gradient: distinct values per window, so a wrong window element shows.
        double[] gv = new double[got.length];
        for (int i = 0; i < gv.length; i++) {
          gv[i] = i + 1;
        }
        Tensor gy = Tensor.of(gv, y.shape()).to(dt);
        double[] dxExpected = new double[xv.length];
        for (int i = 0; i < gv.length; i++) {
          dxExpected[(int) expected[1][i]] += gv[i];
        }
        Tensor dx = Pool.maxPool2dBackward(gy, x, k[0], k[1], k[2], k[3], k[4], k[5]);
        assertEquals(dt, dx.dtype());
        assertArrayEquals(x.shape(), dx.shape());
        assertArrayEquals(dxExpected, dx.toDoubleArray(), where);
      }
    }
  }

  /**
   * 2×2 stride-2 pooling (the vector tier's blocks of windows, with the scalar tails and rows beside
   * them) against {@link #naiveMaxPool} on planes of many widths, odd heights and widths included,
   * with ties, signed zeros and NaNs: values bit for bit, gradients exactly.
   */
  @Test
  void pairedWindowsMatchTheTextbookOnEveryWidth() {
    Generator g = new Generator(23);
    double[] palette = {0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -3.0};
    int[][] planes = {{2, 3, 7, 8}, {1, 2, 9, 30}, {3, 8, 28, 28}, {2, 16, 14, 14}, {1, 1, 5, 17}, {2, 1, 4, 64},
      {2, 2, 10, 22}, {1, 3, 11, 12}, {1, 1, 2, 14}};
    for (int[] sh : planes) {
      int size = sh[0] * sh[1] * sh[2] * sh[3];
      float[] v = new float[size];
      for (int i = 0; i < size; i++) {
        int k = (int) g.nextLong(60);
        v[i] = k == 0 ? Float.NaN : k < 30 ? (float) palette[k % palette.length] : (float) g.nextGaussian();
      }
      Tensor x = Tensor.of(v, sh);
      double[] xv = x.toDoubleArray();
      double[][] expected = naiveMaxPool(xv, sh[0] * sh[1], sh[2], sh[3], 2, 2, 2, 2, 0, 0);
      float[] got = Pool.maxPool2d(x, 2, 2, 2, 2, 0, 0).toFloatArray();
      String where = java.util.Arrays.toString(sh);
      for (int i = 0; i < got.length; i++) {
        assertEquals(Float.floatToRawIntBits((float) expected[0][i]), Float.floatToRawIntBits(got[i]), where + " y[" + i + "]");
      }
      float[] gv = new float[got.length];
      double[] dxExpected = new double[size];
      for (int i = 0; i < gv.length; i++) {
        gv[i] = i + 1;
        dxExpected[(int) expected[1][i]] += gv[i];
      }
      Tensor dx = Pool.maxPool2dBackward(Tensor.of(gv, sh[0], sh[1], sh[2] / 2, sh[3] / 2), x, 2, 2, 2, 2, 0, 0);
      assertArrayEquals(dxExpected, dx.toDoubleArray(), where + " dx");
    }
  }
}

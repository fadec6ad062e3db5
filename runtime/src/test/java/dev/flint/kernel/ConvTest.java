package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConvTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    // FLOAT32 products with a small weight take the vector tier once its warm-up is over
    assertTrue(dev.flint.Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  static Tensor random(Generator g, int... shape) {
    double[] v = new double[Tensor.empty(DType.FLOAT64, shape).numel()];
    for (int i = 0; i < v.length; i++) {
      v[i] = g.nextGaussian();
    }
    return Tensor.of(v, shape);
  }

  /** The textbook definition, one output element at a time. */
  static double[] naiveConv(Tensor x, Tensor w, int sh, int sw, int ph, int pw) {
    int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
    int o = w.size(0), kh = w.size(2), kw = w.size(3);
    int ho = (h + 2 * ph - kh) / sh + 1, wo = (wd + 2 * pw - kw) / sw + 1;
    double[] out = new double[n * o * ho * wo];
    int at = 0;
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < o; oc++) {
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            double s = 0;
            for (int ic = 0; ic < c; ic++) {
              for (int a = 0; a < kh; a++) {
                for (int d = 0; d < kw; d++) {
                  int y = i * sh - ph + a, z = j * sw - pw + d;
                  if (y >= 0 && y < h && z >= 0 && z < wd) {
                    s += x.get(b, ic, y, z) * w.get(oc, ic, a, d);
                  }
                }
              }
            }
            out[at++] = s;
          }
        }
      }
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"1,1,0,0", "2,2,1,1", "2,1,0,1", "3,2,2,1"})
  void matchesTheDirectDefinition(int sh, int sw, int ph, int pw) {
    Generator g = new Generator(7);
    Tensor x = random(g, 2, 3, 7, 6);
    Tensor w = random(g, 4, 3, 3, 2);
    Tensor y = Conv.conv2d(x, w, sh, sw, ph, pw);
    double[] expected = naiveConv(x, w, sh, sw, ph, pw);
    assertArrayEquals(expected, y.toDoubleArray(), 1e-12);
    assertEquals((7 + 2 * ph - 3) / sh + 1, y.size(2));
    assertEquals((6 + 2 * pw - 2) / sw + 1, y.size(3));
    Tensor y32 = Conv.conv2d(Conv32.f32(x), Conv32.f32(w), sh, sw, ph, pw);
    assertEquals(DType.FLOAT32, y32.dtype());
    assertArrayEquals(expected, y32.toDoubleArray(), 1e-4);
  }

  @Test
  void handComputedExample() {
    // 1 channel 3x3 input, 2x2 kernel of ones: each output is the sum of a 2x2 block.
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    Tensor w = Tensor.of(new float[] {1, 1, 1, 1}, 1, 1, 2, 2);
    assertArrayEquals(new float[] {12, 16, 24, 28}, Conv.conv2d(x, w, 1, 1, 0, 0).toFloatArray());
    // Padding 1, stride 2: corners see one real pixel each... plus their neighbours.
    assertArrayEquals(new float[] {1, 5, 11, 28}, Conv.conv2d(x, w, 2, 2, 1, 1).toFloatArray());
  }

  /** Central differences of sum(conv2d(x, w) * r) along each input element vs the backward kernels. */
  @ParameterizedTest
  @CsvSource({"1,1,0,0", "2,2,1,1", "2,1,1,0"})
  void gradientsMatchFiniteDifferences(int sh, int sw, int ph, int pw) {
    Generator g = new Generator(11);
    Tensor x = random(g, 2, 2, 5, 4);
    Tensor w = random(g, 3, 2, 2, 3);
    Tensor y = Conv.conv2d(x, w, sh, sw, ph, pw);
    Tensor r = random(g, y.shape());
    Tensor dx = Conv.conv2dInputGrad(r, w, x.shape(), sh, sw, ph, pw);
    Tensor dw = Conv.conv2dWeightGrad(r, x, w.shape(), sh, sw, ph, pw);
    assertArrayEquals(x.shape(), dx.shape());
    assertArrayEquals(w.shape(), dw.shape());
    double eps = 1e-6;
    for (int i = 0; i < x.numel(); i++) {
      double fd = (objective(x, w, r, i, eps, true, sh, sw, ph, pw) - objective(x, w, r, i, -eps, true, sh, sw, ph, pw))
          / (2 * eps);
      assertEquals(fd, dx.toDoubleArray()[i], 1e-7, "dx[" + i + "]");
    }
    for (int i = 0; i < w.numel(); i++) {
      double fd = (objective(x, w, r, i, eps, false, sh, sw, ph, pw) - objective(x, w, r, i, -eps, false, sh, sw, ph, pw))
          / (2 * eps);
      assertEquals(fd, dw.toDoubleArray()[i], 1e-7, "dw[" + i + "]");
    }
  }

  private static double objective(Tensor x, Tensor w, Tensor r, int i, double delta, boolean onX,
      int sh, int sw, int ph, int pw) {
    Tensor xx = x.copyData();
    Tensor ww = w.copyData();
    Tensor t = onX ? xx : ww;
    t.storage().setDouble(i, t.storage().getDouble(i) + delta);
    double[] y = Conv.conv2d(xx, ww, sh, sw, ph, pw).toDoubleArray();
    double[] rv = r.toDoubleArray();
    double s = 0;
    for (int k = 0; k < y.length; k++) {
      s += y[k] * rv[k];
    }
    return s;
  }

  /**
   * Both gradients against their definitions written as loops (the adjoint of {@link #naiveConv}),
   * in FLOAT64 and FLOAT32, including strides, paddings as wide as the kernel and an image narrower
   * than the padded kernel reach, where im2col's inside-the-image column ranges are clipped.
   */
  @ParameterizedTest
  @CsvSource({"1,1,1,1,3,2", "2,2,0,0,3,2", "1,2,2,1,3,2", "3,1,1,2,3,2", "2,3,2,2,3,2",
      "1,1,1,1,3,3", "1,1,2,1,5,3", "1,1,0,2,2,5", "1,1,0,0,1,1"})
  void gradientsMatchTheDirectDefinition(int sh, int sw, int ph, int pw, int kh, int kw) {
    // The last four rows keep output rows as wide as input rows (stride 1, 2·pW = kW − 1): im2col's block path.
    Generator g = new Generator(31);
    int n = 3, c = 2, h = 6, wd = 3, o = 4;
    Tensor x = random(g, n, c, h, wd);
    Tensor w = random(g, o, c, kh, kw);
    Tensor r = random(g, Conv.conv2d(x, w, sh, sw, ph, pw).shape());
    double[][] grads = naiveGrads(x, w, r, sh, sw, ph, pw);
    double[] dx = grads[0];
    double[] dw = grads[1];
    assertArrayEquals(naiveConv(x, w, sh, sw, ph, pw), Conv.conv2d(x, w, sh, sw, ph, pw).toDoubleArray(), 1e-12);
    assertArrayEquals(dx, Conv.conv2dInputGrad(r, w, x.shape(), sh, sw, ph, pw).toDoubleArray(), 1e-12);
    assertArrayEquals(dw, Conv.conv2dWeightGrad(r, x, w.shape(), sh, sw, ph, pw).toDoubleArray(), 1e-12);
    Tensor x32 = Conv32.f32(x), w32 = Conv32.f32(w), r32 = Conv32.f32(r);
    assertArrayEquals(naiveConv(x, w, sh, sw, ph, pw), Conv.conv2d(x32, w32, sh, sw, ph, pw).toDoubleArray(), 1e-4);
    Tensor dx32 = Conv.conv2dInputGrad(r32, w32, x.shape(), sh, sw, ph, pw);
    Tensor dw32 = Conv.conv2dWeightGrad(r32, x32, w.shape(), sh, sw, ph, pw);
    assertEquals(DType.FLOAT32, dx32.dtype());
    assertEquals(DType.FLOAT32, dw32.dtype());
    assertArrayEquals(dx, dx32.toDoubleArray(), 1e-4);
    assertArrayEquals(dw, dw32.toDoubleArray(), 1e-4);
  }

  /**
   * FLOAT32 convolutions of a small CNN's sizes (the vector tier's unpacked products: 8-row tiles,
   * full and partial strips, dot products over long rows) against the definitions, on one and three
   * threads (column splits of the products, row slices of the weight gradient).
   */
  @Test
  void float32ProductsOfACnnsSizesMatchTheDefinitions() {
    int before = dev.flint.Flint.getNumThreads();
    try {
      for (int threads : new int[] {1, 3}) {
        dev.flint.Flint.setNumThreads(threads);
        // {n, c, h, w, o}: a first layer (one channel) and a second one, 3×3 kernels, padding 1
        for (int[] s : new int[][] {{4, 1, 28, 28, 8}, {3, 8, 14, 14, 16}, {2, 3, 9, 11, 5}}) {
          Generator g = new Generator(s[4] + threads);
          Tensor x = random(g, s[0], s[1], s[2], s[3]);
          Tensor w = random(g, s[4], s[1], 3, 3);
          Tensor r = random(g, s[0], s[4], s[2], s[3]);
          double[][] grads = naiveGrads(x, w, r, 1, 1, 1, 1);
          Tensor x32 = Conv32.f32(x), w32 = Conv32.f32(w), r32 = Conv32.f32(r);
          String where = java.util.Arrays.toString(s) + " on " + threads + " threads";
          assertArrayEquals(naiveConv(x, w, 1, 1, 1, 1), Conv.conv2d(x32, w32, 1, 1, 1, 1).toDoubleArray(), 1e-4,
              where + " y");
          assertArrayEquals(grads[0], Conv.conv2dInputGrad(r32, w32, x.shape(), 1, 1, 1, 1).toDoubleArray(), 1e-4,
              where + " dx");
          assertArrayEquals(grads[1], Conv.conv2dWeightGrad(r32, x32, w.shape(), 1, 1, 1, 1).toDoubleArray(), 2e-3,
              where + " dw");
        }
      }
    } finally {
      dev.flint.Flint.setNumThreads(before);
    }
  }

  /** The input and weight gradients of {@link #naiveConv} for the output gradient r, as loops. */
  static double[][] naiveGrads(Tensor x, Tensor w, Tensor r, int sh, int sw, int ph, int pw) {
    int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
    int o = w.size(0), kh = w.size(2), kw = w.size(3);
    int ho = r.size(2), wo = r.size(3);
    double[] dx = new double[x.numel()];
    double[] dw = new double[w.numel()];
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < o; oc++) {
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            double gy = r.get(b, oc, i, j);
            for (int ic = 0; ic < c; ic++) {
              for (int a = 0; a < kh; a++) {
                for (int d = 0; d < kw; d++) {
                  int y = i * sh - ph + a, z = j * sw - pw + d;
                  if (y >= 0 && y < h && z >= 0 && z < wd) {
                    dx[((b * c + ic) * h + y) * wd + z] += gy * w.get(oc, ic, a, d);
                    dw[((oc * c + ic) * kh + a) * kw + d] += gy * x.get(b, ic, y, z);
                  }
                }
              }
            }
          }
        }
      }
    }
    return new double[][] {dx, dw};
  }

  @Test
  void threadedSplitsAgreeWithOneThread() {
    Generator g = new Generator(21);
    Tensor x = random(g, 7, 4, 12, 12);   // big enough for the kernels to split over samples
    Tensor w = random(g, 8, 4, 3, 3);
    Tensor r = random(g, 7, 8, 12, 12);
    int before = dev.flint.Flint.getNumThreads();
    try {
      dev.flint.Flint.setNumThreads(3);
      Tensor y3 = Conv.conv2d(x, w, 1, 1, 1, 1);
      Tensor dx3 = Conv.conv2dInputGrad(r, w, x.shape(), 1, 1, 1, 1);
      Tensor dw3 = Conv.conv2dWeightGrad(r, x, w.shape(), 1, 1, 1, 1);
      dev.flint.Flint.setNumThreads(1);
      assertArrayEquals(naiveConv(x, w, 1, 1, 1, 1), y3.toDoubleArray(), 1e-12);
      assertArrayEquals(Conv.conv2dInputGrad(r, w, x.shape(), 1, 1, 1, 1).toDoubleArray(), dx3.toDoubleArray(), 1e-12);
      assertArrayEquals(Conv.conv2dWeightGrad(r, x, w.shape(), 1, 1, 1, 1).toDoubleArray(), dw3.toDoubleArray(), 1e-10);
    } finally {
      dev.flint.Flint.setNumThreads(before);
    }
  }

  @Test
  void stridedViewsAreRead() {
    Generator g = new Generator(3);
    Tensor x = random(g, 1, 2, 4, 4);
    Tensor w = random(g, 1, 2, 2, 2);
    // A transposed view (same elements, other layout) must give the transposed result's conv.
    Tensor xt = Internals.view(x.storage(), 0, new int[] {1, 2, 4, 4}, new int[] {32, 16, 1, 4});
    Tensor copy = xt.copyData();
    assertArrayEquals(Conv.conv2d(copy, w, 1, 1, 0, 0).toDoubleArray(), Conv.conv2d(xt, w, 1, 1, 0, 0).toDoubleArray());
  }

  @Test
  void wrongChannelsNamesBothShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Conv.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 4, 3, 3), 1, 1, 0, 0));
    assertTrue(e.getMessage().contains("4 channels") && e.getMessage().contains("got 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Conv.conv2d(Tensor.zeros(1, 3, 2, 2), Tensor.zeros(2, 3, 3, 3), 1, 1, 0, 0));
    assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Conv.conv2d(Tensor.zeros(DType.INT64, 1, 3, 2, 2), Tensor.zeros(2, 3, 1, 1), 1, 1, 0, 0));
    assertTrue(e.getMessage().contains("INT64"), e.getMessage());
  }

  /** FLOAT32 copies for the float path. */
  static final class Conv32 {
    static Tensor f32(Tensor t) {
      float[] f = t.toFloatArray();
      return Tensor.of(f, t.shape());
    }
  }
}

package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FLOAT32 recurrent scans and softmax rows, which run their gates and exponentials on the Vector API
 * tier when the module is present (surefire runs this class with and without it), against the FLOAT64
 * loops ({@code Math.exp}, {@code Math.tanh}) on the same values. A hidden size of 19 and rows of 37
 * have whole vectors and a scalar tail at every lane width.
 */
class ActivationRowsTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  private static final int B = 3;
  private static final int T = 4;
  private static final int H = 19;

  private static void close(Tensor f32, Tensor f64, double tol, String what) {
    assertEquals(DType.FLOAT32, f32.dtype(), what);
    float[] a = f32.toFloatArray();
    double[] b = f64.toDoubleArray();
    assertEquals(b.length, a.length, what);
    for (int i = 0; i < a.length; i++) {
      assertEquals(b[i], a[i], tol * (1 + Math.abs(b[i])), what + " element " + i);
    }
  }

  private static Tensor d(Tensor t) {
    return t.to(DType.FLOAT64);
  }

  @Test
  void lstmScanAndBackwardMatchTheDoubleLoops() {
    Generator g = new Generator(41);
    Tensor gx = Tensor.randn(g, B, T, 4 * H).mul(1.5);
    Tensor whh = Tensor.randn(g, 4 * H, H).mul(0.3);
    Tensor h0 = Tensor.randn(g, B, H);
    Tensor c0 = Tensor.randn(g, B, H);
    Tensor y = Kernels.lstmScan(gx, whh, h0, c0);
    close(y, Kernels.lstmScan(d(gx), d(whh), d(h0), d(c0)), 2e-6, "lstmScan");
    Tensor grad = Tensor.randn(g, B, T, Recurrence.LSTM_SLOTS, H);
    close(Kernels.lstmScanBackward(grad, y, whh), Kernels.lstmScanBackward(d(grad), d(y), d(whh)), 1e-5,
        "lstmScanBackward");
  }

  @Test
  void gruScanMatchesTheDoubleLoop() {
    Generator g = new Generator(42);
    Tensor gx = Tensor.randn(g, B, T, 3 * H).mul(1.5);
    Tensor whh = Tensor.randn(g, 3 * H, H).mul(0.3);
    Tensor bhh = Tensor.randn(g, 3 * H);
    Tensor h0 = Tensor.randn(g, B, H);
    close(Kernels.gruScan(gx, whh, bhh, h0), Kernels.gruScan(d(gx), d(whh), d(bhh), d(h0)), 2e-6, "gruScan");
  }

  @Test
  void softmaxBackwardMatchesItsCompositionAlongAnyDim() {
    Generator g = new Generator(44);
    Tensor x = Tensor.randn(g, 5, 37).mul(3);
    Tensor grad = Tensor.randn(g, 5, 37);
    for (int dim = 0; dim < 2; dim++) {
      Tensor y = Kernels.softmax(d(x), dim);
      // y·(g − Σ_dim g·y), from the kernels it fuses, in double
      Tensor expected = Kernels.mul(y, Kernels.sub(d(grad), Kernels.sum(Kernels.mul(d(grad), y), new int[] {dim}, true)));
      Tensor got64 = Kernels.softmaxBackward(d(grad), y, dim);
      double[] e = expected.toDoubleArray();
      double[] a = got64.toDoubleArray();
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], a[i], 1e-15, "FLOAT64, dim " + dim + ", element " + i);
      }
      close(Kernels.softmaxBackward(grad, Kernels.softmax(x, dim), dim), expected, 1e-6, "FLOAT32, dim " + dim);
      // a transposed (non-contiguous) output takes the composition
      Tensor yt = Kernels.permute(y, new int[] {1, 0});
      Tensor gt = Kernels.permute(d(grad), new int[] {1, 0});
      double[] t = Kernels.softmaxBackward(gt, yt, 1 - dim).toDoubleArray();
      double[] et = Kernels.permute(expected, new int[] {1, 0}).contiguous().toDoubleArray();
      for (int i = 0; i < t.length; i++) {
        assertEquals(et[i], t[i], 1e-15, "transposed, dim " + (1 - dim) + ", element " + i);
      }
    }
  }

  /**
   * FLOAT32 softmax and log-softmax rows, bit for bit the scalar loops' formula (FastMath's exponentials of
   * the float differences; the softmax sums them rounded to float, the log form in double), whichever
   * tier runs them: the answer must not change when the vector warm-up ends.
   */
  @Test
  void softmaxRowsAreTheScalarFormulaBitForBit() {
    Generator g = new Generator(44);
    for (int n = 1; n <= 37; n++) {
      float[] row = Tensor.randn(g, 1, n).mul(4).toFloatArray();
      if (n > 3) {
        row[2] = Float.NEGATIVE_INFINITY;   // a masked score
      }
      float max = Float.NEGATIVE_INFINITY;
      for (float v : row) {
        max = Math.max(max, v);
      }
      double rounded = 0;
      double unrounded = 0;
      float[] e = new float[n];
      for (int k = 0; k < n; k++) {
        double ek = FastMath.expToDouble(row[k] - max);
        e[k] = (float) ek;
        rounded += e[k];
        unrounded += ek;
      }
      float inv = (float) (1 / rounded);
      double lse = max + Math.log(unrounded);
      float[] p = Kernels.softmax(Tensor.of(row, 1, n), 1).toFloatArray();
      float[] lp = Kernels.logSoftmax(Tensor.of(row, 1, n), 1).toFloatArray();
      for (int k = 0; k < n; k++) {
        assertEquals(e[k] * inv, p[k], "softmax n=" + n + " element " + k);
        assertEquals((float) (row[k] - lse), lp[k], "logSoftmax n=" + n + " element " + k);
      }
    }
  }

  @Test
  void softmaxRowsMatchTheDoubleLoop() {
    Generator g = new Generator(43);
    for (int n : new int[] {1, 5, 8, 16, 37, 64}) {
      Tensor x = Tensor.randn(g, 6, n).mul(4);
      close(Kernels.softmax(x, 1), Kernels.softmax(d(x), 1), 3e-7, "softmax n=" + n);
      close(Kernels.logSoftmax(x, 1), Kernels.logSoftmax(d(x), 1), 3e-7, "logSoftmax n=" + n);
    }
    // a -inf (a masked score) gives 0; a row of -inf gives NaN, as PyTorch's
    float inf = Float.NEGATIVE_INFINITY;
    float[] row = new float[17];
    row[3] = inf;
    float[] p = Kernels.softmax(Tensor.of(row, 1, 17), 1).toFloatArray();
    assertEquals(0f, p[3]);
    assertEquals(1f / 16, p[0], 1e-8f);
    float[] masked = new float[17];
    java.util.Arrays.fill(masked, inf);
    assertTrue(Float.isNaN(Kernels.softmax(Tensor.of(masked, 1, 17), 1).toFloatArray()[16]));
  }
}

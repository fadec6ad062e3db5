package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused layer norm ({@link LayerNorm}) against the textbook formulas evaluated here in double, row by row:
 * {@code x̂ = (x − μ)/√(σ² + eps)} with the biased variance, and the input gradient
 * {@code (g − mean(g) − x̂·mean(g·x̂))/√(σ² + eps)}, which is also checked against central differences; the affine
 * form {@code x̂·w + b}, its input gradient (that of x̂ for {@code g·w}) and its weight gradient {@code Σ g·x̂}. FLOAT32
 * (the Vector API tier when the module is present: surefire runs this class with and without it) must stay
 * within a few float ulps of the truth at every row length modulo the lanes, for long rows and far from zero.
 */
class LayerNormKernelTest {
  private static final double EPS = 1e-5;

  @BeforeAll
  static void vectorKernelsWarm() {
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  /** The normalized rows of {@code x} ({@code rows × n}), in double, as written in the class comment. */
  private static double[] normalized(double[] x, int n, double eps) {
    double[] y = new double[x.length];
    for (int r = 0; r < x.length / n; r++) {
      double mean = 0;
      for (int k = 0; k < n; k++) {
        mean += x[r * n + k] / n;
      }
      double var = 0;
      for (int k = 0; k < n; k++) {
        var += (x[r * n + k] - mean) * (x[r * n + k] - mean) / n;
      }
      for (int k = 0; k < n; k++) {
        y[r * n + k] = (x[r * n + k] - mean) / Math.sqrt(var + eps);
      }
    }
    return y;
  }

  private static double[] gradient(double[] g, double[] x, int n, double eps) {
    double[] xh = normalized(x, n, eps);
    double[] dx = new double[x.length];
    for (int r = 0; r < x.length / n; r++) {
      double mean = 0;
      double var = 0;
      for (int k = 0; k < n; k++) {
        mean += x[r * n + k] / n;
      }
      for (int k = 0; k < n; k++) {
        var += (x[r * n + k] - mean) * (x[r * n + k] - mean) / n;
      }
      double mg = 0;
      double mgx = 0;
      for (int k = 0; k < n; k++) {
        mg += g[r * n + k] / n;
        mgx += g[r * n + k] * xh[r * n + k] / n;
      }
      for (int k = 0; k < n; k++) {
        dx[r * n + k] = (g[r * n + k] - mg - xh[r * n + k] * mgx) / Math.sqrt(var + eps);
      }
    }
    return dx;
  }

  private static Tensor sample(long seed, double shift, int rows, int n) {
    return Tensor.randn(new Generator(seed), rows, n).mul(3).add(shift).to(DType.FLOAT64);
  }

  @Test
  void float64MatchesTheFormulas() {
    for (int n : new int[] {1, 2, 5, 128, 1000}) {
      Tensor x = sample(n, 0.5, 3, n);
      Tensor g = sample(n + 1, 0, 3, n);
      assertArrayEquals(normalized(x.toDoubleArray(), n, EPS), Kernels.layerNorm(x, EPS).toDoubleArray(), 1e-12, "n=" + n);
      assertArrayEquals(gradient(g.toDoubleArray(), x.toDoubleArray(), n, EPS),
          Kernels.layerNormBackward(g, x, EPS).toDoubleArray(), 1e-11, "n=" + n);
    }
  }

  @Test
  void float64GradientMatchesCentralDifferences() {
    int n = 7;
    Tensor x = sample(11, 1, 2, n);
    Tensor g = sample(12, 0, 2, n);
    double[] xs = x.toDoubleArray();
    double[] gs = g.toDoubleArray();
    double[] dx = Kernels.layerNormBackward(g, x, 0.1).toDoubleArray();
    double h = 1e-6;
    for (int i = 0; i < xs.length; i++) {
      double[] up = xs.clone();
      double[] down = xs.clone();
      up[i] += h;
      down[i] -= h;
      double[] yu = Kernels.layerNorm(Tensor.of(up, 2, n), 0.1).toDoubleArray();
      double[] yd = Kernels.layerNorm(Tensor.of(down, 2, n), 0.1).toDoubleArray();
      double slope = 0;
      for (int k = 0; k < xs.length; k++) {
        slope += gs[k] * (yu[k] - yd[k]) / (2 * h);
      }
      assertEquals(slope, dx[i], 1e-7, "d/dx[" + i + "]");
    }
  }

  @Test
  void float32StaysWithinAFewUlpsOfTheTruth() {
    // every length modulo the lanes, vector part and tail; a long row; a row far from zero
    for (int n : new int[] {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 128, 130, 4099}) {
      for (double shift : new double[] {0, 100, 1e4}) {
        Tensor x = sample(n, shift, 5, n).to(DType.FLOAT32);
        Tensor g = sample(n + 7, 0, 5, n).to(DType.FLOAT32);
        double[] xd = x.toDoubleArray();   // the float inputs, exactly
        double[] gd = g.toDoubleArray();
        float[] y = Kernels.layerNorm(x, EPS).toFloatArray();
        float[] dx = Kernels.layerNormBackward(g, x, EPS).toFloatArray();
        double[] ye = normalized(xd, n, EPS);
        double[] dxe = gradient(gd, xd, n, EPS);
        // far from zero too (|μ|/σ over 3,000): the mean is summed from x − x₀ and kept as a float pair
        double slack = 1;
        for (int i = 0; i < y.length; i++) {
          assertEquals(ye[i], y[i], 4e-7 * slack * (1 + Math.abs(ye[i])), "x̂ at " + i + ", n=" + n + ", shift=" + shift);
          assertEquals(dxe[i], dx[i], 2e-6 * slack * (1 + Math.abs(dxe[i])), "dx at " + i + ", n=" + n + ", shift=" + shift);
        }
      }
    }
  }

  /** The affine form against x̂·w + b, its input gradient against that of x̂ for g·w, and Σ_rows g·x̂ (FLOAT64 and FLOAT32). */
  @Test
  void affineFormAndWeightGradientMatchTheFormulas() {
    for (int n : new int[] {1, 3, 16, 17, 128, 1000}) {
      int rows = 6;
      Tensor x = sample(3 * n, 2, rows, n);
      Tensor g = sample(3 * n + 1, 0, rows, n);
      Tensor w = sample(3 * n + 2, 1, 1, n).reshape(n);
      Tensor b = sample(3 * n + 3, 0, 1, n).reshape(n);
      double[] xs = x.toDoubleArray();
      double[] gs = g.toDoubleArray();
      double[] ws = w.toDoubleArray();
      double[] bs = b.toDoubleArray();
      double[] xh = normalized(xs, n, EPS);
      double[] y = new double[xs.length];
      double[] gw = new double[xs.length];
      double[] dw = new double[n];
      double dwScale = 0;
      for (int i = 0; i < xs.length; i++) {
        y[i] = xh[i] * ws[i % n] + bs[i % n];
        gw[i] = gs[i] * ws[i % n];
        dw[i % n] += gs[i] * xh[i];
        dwScale += Math.abs(gs[i] * xh[i]);
      }
      double[] dx = gradient(gw, xs, n, EPS);
      assertArrayEquals(y, Kernels.layerNormAffine(x, w, b, EPS).toDoubleArray(), 1e-12, "n=" + n);
      assertArrayEquals(dx, Kernels.layerNormAffineBackward(g, x, w, EPS).toDoubleArray(), 1e-11, "n=" + n);
      assertArrayEquals(dw, Kernels.layerNormWeightGrad(g, x, EPS).toDoubleArray(), 1e-11, "n=" + n);

      Tensor xf = x.to(DType.FLOAT32);
      Tensor gf = g.to(DType.FLOAT32);
      Tensor wf = w.to(DType.FLOAT32);
      Tensor bf = b.to(DType.FLOAT32);
      double[] yf = Kernels.layerNormAffine(xf, wf, bf, EPS).toDoubleArray();
      double[] dxf = Kernels.layerNormAffineBackward(gf, xf, wf, EPS).toDoubleArray();
      double[] dwf = Kernels.layerNormWeightGrad(gf, xf, EPS).toDoubleArray();
      for (int i = 0; i < xs.length; i++) {
        // float inputs differ from the double ones by half an ulp: 1e-6 relative to each term's size
        assertEquals(y[i], yf[i], 2e-6 * (1 + Math.abs(ws[i % n]) * (1 + Math.abs(xh[i]))), "y at " + i + ", n=" + n);
        assertEquals(dx[i], dxf[i], 4e-6 * (1 + Math.abs(dx[i]) + Math.abs(gw[i])), "dx at " + i + ", n=" + n);
      }
      for (int k = 0; k < n; k++) {
        assertEquals(dw[k], dwf[k], 2e-6 * (1 + dwScale / n), "dw at " + k + ", n=" + n);
      }
    }
  }

  @Test
  void stridedAndIntegerInputsAndOutBuffers() {
    Tensor x = sample(5, 0, 4, 6);
    Tensor xt = x.t();   // [6, 4], rows of the last dim are strided
    assertArrayEquals(Kernels.layerNorm(xt.contiguous(), EPS).toDoubleArray(), Kernels.layerNorm(xt, EPS).toDoubleArray(), 0);
    Tensor ints = Tensor.of(new long[] {1, 2, 3, 6}).reshape(2, 2);
    assertEquals(DType.FLOAT32, Kernels.layerNorm(ints, EPS).dtype());
    Tensor out = Tensor.zeros(DType.FLOAT64, 4, 6);
    Kernels.layerNorm(x, EPS, out);
    assertArrayEquals(Kernels.layerNorm(x, EPS).toDoubleArray(), out.toDoubleArray(), 0);
    Tensor g = sample(6, 0, 4, 6);
    Kernels.layerNormBackward(g, x, EPS, out);
    assertArrayEquals(Kernels.layerNormBackward(g, x, EPS).toDoubleArray(), out.toDoubleArray(), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kernels.layerNormBackward(g.reshape(6, 4), x, EPS));
    assertTrue(e.getMessage().contains("[6, 4] and [4, 6]"), e.getMessage());
  }
}

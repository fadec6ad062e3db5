package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BCELossTest {
  static final double[] P = {0.9, 0.2, 0.5, 0.01, 0.0, 1.0, 0.0, 0.7};
  static final double[] Y = {1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.25};

  /** PyTorch's formula with each log clamped to >= -100. */
  static double[] reference(double[] p, double[] y, double[] w) {
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      double logP = Math.max(Math.log(p[i]), -100);
      double log1mP = Math.max(Math.log(1 - p[i]), -100);
      out[i] = -(w == null ? 1 : w[i % w.length]) * (y[i] * logP + (1 - y[i]) * log1mP);
    }
    return out;
  }

  @Test
  void reductionsMatchTheFormulaIncludingClampedLogs() {
    double[] ref = reference(P, Y, null);
    assertEquals(100.0, ref[4], "p = 0 with y = 1 costs 100, not infinity");
    assertEquals(100.0, ref[5]);
    assertEquals(0.0, ref[6], 0.0);
    LossChecks.assertReductions(ref, new int[] {2, 4},
        r -> new BCELoss(r).forward(Tensor.of(P.clone(), 2, 4), Tensor.of(Y.clone(), 2, 4)), 1e-12);
  }

  @Test
  void weightBroadcastsOverTheLastDimension() {
    double[] w = {0.5, 2.0, 1.0, 3.0};
    LossChecks.assertReductions(reference(P, Y, w), new int[] {2, 4},
        r -> new BCELoss(r).weight(Tensor.of(w.clone())).forward(Tensor.of(P.clone(), 2, 4), Tensor.of(Y.clone(), 2, 4)),
        1e-12);
  }

  @Test
  void gradientIsFiniteAndMatchesTheDerivative() {
    double[] p = {0.9, 0.2, 0.0, 1.0};
    double[] y = {1.0, 0.0, 0.0, 1.0};
    Tensor x = Tensor.of(p.clone()).requiresGrad(true);
    new BCELoss().forward(x, Tensor.of(y.clone())).backward();
    double[] g = x.grad().toDoubleArray();
    for (int i = 0; i < 2; i++) {
      assertEquals((p[i] - y[i]) / (p[i] * (1 - p[i])) / 4, g[i], 1e-12);
    }
    for (double v : g) {
      assertTrue(Double.isFinite(v), "gradients stay finite at p = 0 and p = 1: " + java.util.Arrays.toString(g));
    }
  }

  @Test
  void inputOutsideZeroOneIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BCELoss().forward(Tensor.of(new double[] {0.5, 1.5, 0.2, 0.1}, 2, 2), Tensor.zeros(dev.flint.tensor.DType.FLOAT64, 2, 2)));
    assertTrue(e.getMessage().startsWith("BCELoss: all elements of input should be between 0 and 1, but input[0, 1] is 1.5"),
        e.getMessage());
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BCELoss().forward(Tensor.zeros(8, 1), Tensor.zeros(8)));
    assertTrue(e.getMessage().startsWith("BCELoss: input shape [8, 1] and target shape [8] differ"), e.getMessage());
  }

  @Test
  void gradientsPassGradCheck() {
    double[] p = {0.9, 0.2, 0.5, 0.05, 0.6, 0.3};
    double[] y = {1.0, 0.0, 1.0, 0.4, 0.0, 0.8};
    double[] w = {0.5, 2.0, 1.5};
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new BCELoss(r).weight(Tensor.of(w.clone())).forward(in[0], in[1]),
          Tensor.of(p.clone(), 2, 3), Tensor.of(y.clone(), 2, 3));
    }
  }
}

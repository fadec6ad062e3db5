package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SmoothL1LossTest {
  static double[] reference(double[] x, double[] y, double beta) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double d = Math.abs(x[i] - y[i]);
      out[i] = d < beta ? 0.5 * d * d / beta : d - 0.5 * beta;
    }
    return out;
  }

  @Test
  void reductionsMatchTheFormulaWithDefaultBeta() {
    double[] x = MSELossTest.X;
    double[] y = MSELossTest.Y;
    LossChecks.assertReductions(reference(x, y, 1.0), new int[] {6},
        r -> new SmoothL1Loss(r).forward(Tensor.of(x.clone()), Tensor.of(y.clone())), 1e-15);
    assertEquals(1.0, new SmoothL1Loss().beta());
  }

  @Test
  void customBetaAndZeroBeta() {
    double[] x = MSELossTest.X;
    double[] y = MSELossTest.Y;
    LossChecks.assertReductions(reference(x, y, 0.6), new int[] {6},
        r -> new SmoothL1Loss(r, 0.6).forward(Tensor.of(x.clone()), Tensor.of(y.clone())), 1e-15);
    double[] l1 = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      l1[i] = Math.abs(x[i] - y[i]);
    }
    LossChecks.assertReductions(l1, new int[] {6},
        r -> new SmoothL1Loss(r, 0).forward(Tensor.of(x.clone()), Tensor.of(y.clone())), 1e-15);
  }

  @Test
  void gradientIsTheClippedError() {
    // d/dx: (x − y)/β inside the quadratic zone, sign(x − y) outside; mean over 3.
    Tensor x = Tensor.of(new double[] {0.2, 3.0, -2.0}).requiresGrad(true);
    new SmoothL1Loss().forward(x, Tensor.of(new double[] {0.0, 0.0, 0.0})).backward();
    assertArrayEquals(new double[] {0.2 / 3, 1.0 / 3, -1.0 / 3}, x.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void gradientsPassGradCheckInBothZones() {
    double[] x = {0.2, 3.0, -2.0, 0.9, -0.4};
    double[] y = {0.0, 0.5, 0.0, 0.0, 0.3};
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new SmoothL1Loss(r, 0.8).forward(in[0], in[1]), Tensor.of(x.clone()), Tensor.of(y.clone()));
    }
  }
}

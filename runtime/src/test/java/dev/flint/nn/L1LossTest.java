package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class L1LossTest {
  @Test
  void reductionsMatchTheFormula() {
    double[] ref = new double[MSELossTest.X.length];
    for (int i = 0; i < ref.length; i++) {
      ref[i] = Math.abs(MSELossTest.X[i] - MSELossTest.Y[i]);
    }
    LossChecks.assertReductions(ref, new int[] {3, 2},
        r -> new L1Loss(r).forward(Tensor.of(MSELossTest.X.clone(), 3, 2), Tensor.of(MSELossTest.Y.clone(), 3, 2)), 1e-15);
  }

  @Test
  void gradientIsTheSignOverN() {
    Tensor x = Tensor.of(new double[] {1, -2, 3, 0.5}).requiresGrad(true);
    new L1Loss().forward(x, Tensor.of(new double[] {0, 0, 4, 0})).backward();
    assertArrayEquals(new double[] {0.25, -0.25, -0.25, 0.25}, x.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new L1Loss().forward(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
    assertTrue(e.getMessage().startsWith("L1Loss: input shape [2, 3] and target shape [3, 2] differ"), e.getMessage());
  }

  @Test
  void gradientsPassGradCheck() {
    // Away from x = y, where |x − y| has a kink.
    double[] x = {0.5, -1.0, 2.5, 3.5};
    double[] y = {1.0, -1.5, 2.0, 1.0};
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new L1Loss(r).forward(in[0], in[1]), Tensor.of(x.clone()), Tensor.of(y.clone()));
    }
  }
}

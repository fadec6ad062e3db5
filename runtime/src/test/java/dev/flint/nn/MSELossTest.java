package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MSELossTest {
  static final double[] X = {0.5, -1.0, 2.0, 3.5, 0.0, -0.25};
  static final double[] Y = {1.0, -1.5, 2.0, 1.0, 0.75, 0.5};

  @Test
  void reductionsMatchTheFormula() {
    double[] ref = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      ref[i] = (X[i] - Y[i]) * (X[i] - Y[i]);
    }
    LossChecks.assertReductions(ref, new int[] {2, 3},
        r -> new MSELoss(r).forward(Tensor.of(X.clone(), 2, 3), Tensor.of(Y.clone(), 2, 3)), 1e-15);
  }

  @Test
  void defaultIsMeanAndFloat32Works() {
    float[] x = {1f, 2f, 3f};
    float[] y = {0f, 0f, 1f};
    Tensor loss = new MSELoss().forward(Tensor.of(x), Tensor.of(y));
    assertEquals(DType.FLOAT32, loss.dtype());
    assertEquals((1 + 4 + 4) / 3.0, loss.item(), 1e-6);
  }

  @Test
  void gradientIsTwoTimesTheErrorOverN() {
    Tensor x = Tensor.of(X.clone(), 2, 3).requiresGrad(true);
    new MSELoss().forward(x, Tensor.of(Y.clone(), 2, 3)).backward();
    double[] expected = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      expected[i] = 2 * (X[i] - Y[i]) / X.length;
    }
    assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MSELoss().forward(Tensor.zeros(4, 1), Tensor.zeros(4)));
    assertTrue(e.getMessage().startsWith("MSELoss: input shape [4, 1] and target shape [4] differ"), e.getMessage());
  }

  @Test
  void dtypeMismatchSaysHowToConvert() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MSELoss().forward(Tensor.zeros(3), Tensor.zeros(DType.FLOAT64, 3)));
    assertEquals("MSELoss: input is f32 but target is f64; convert the target with target.to(DType.FLOAT32)",
        e.getMessage());
  }

  @Test
  void gradientsPassGradCheck() {
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new MSELoss(r).forward(in[0], in[1]), Tensor.of(X.clone(), 2, 3), Tensor.of(Y.clone(), 2, 3));
    }
  }
}

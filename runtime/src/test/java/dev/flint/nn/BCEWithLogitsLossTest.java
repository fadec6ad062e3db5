package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BCEWithLogitsLossTest {
  static final double[] X = {2.0, -1.0, 0.0, 0.5, -3.0, 4.0};
  static final double[] Y = {1.0, 0.0, 1.0, 0.3, 1.0, 0.0};

  /** The definition: −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], computed naively (fine for moderate x). */
  static double[] reference(double[] x, double[] y, double[] posWeight) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = 1 / (1 + Math.exp(-x[i]));
      double pw = posWeight == null ? 1 : posWeight[i % posWeight.length];
      out[i] = -(pw * y[i] * Math.log(s) + (1 - y[i]) * Math.log(1 - s));
    }
    return out;
  }

  @Test
  void reductionsMatchTheDefinition() {
    LossChecks.assertReductions(reference(X, Y, null), new int[] {2, 3},
        r -> new BCEWithLogitsLoss(r).forward(Tensor.of(X.clone(), 2, 3), Tensor.of(Y.clone(), 2, 3)), 1e-12);
  }

  @Test
  void posWeightWeightsThePositiveTermPerClass() {
    double[] pw = {3.0, 0.5, 2.0};
    LossChecks.assertReductions(reference(X, Y, pw), new int[] {2, 3},
        r -> new BCEWithLogitsLoss(r).posWeight(Tensor.of(pw.clone()))
            .forward(Tensor.of(X.clone(), 2, 3), Tensor.of(Y.clone(), 2, 3)), 1e-12);
  }

  @Test
  void hugeLogitsStayFinite() {
    Tensor loss = new BCEWithLogitsLoss(Reduction.NONE)
        .forward(Tensor.of(new double[] {1000, -1000, 1000, -1000}), Tensor.of(new double[] {0, 1, 1, 0}));
    assertArrayEquals(new double[] {1000, 1000, 0, 0}, loss.toDoubleArray(), 1e-12);
    Tensor f32 = new BCEWithLogitsLoss(Reduction.NONE)
        .forward(Tensor.of(new float[] {100f, -100f}), Tensor.of(new float[] {0f, 1f}));
    assertArrayEquals(new float[] {100f, 100f}, f32.toFloatArray(), 1e-4f);
  }

  @Test
  void gradientIsSigmoidMinusTargetEvenAtZero() {
    double[] x = {0.0, 0.0, 1.5, -2.0};
    double[] y = {1.0, 0.0, 0.2, 1.0};
    Tensor t = Tensor.of(x.clone()).requiresGrad(true);
    new BCEWithLogitsLoss(Reduction.SUM).forward(t, Tensor.of(y.clone())).backward();
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      expected[i] = 1 / (1 + Math.exp(-x[i])) - y[i];
    }
    assertArrayEquals(expected, t.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BCEWithLogitsLoss().forward(Tensor.zeros(5), Tensor.zeros(5, 1)));
    assertTrue(e.getMessage().startsWith("BCEWithLogitsLoss: input shape [5] and target shape [5, 1] differ"),
        e.getMessage());
    assertEquals(0, new BCEWithLogitsLoss().forward(Tensor.zeros(5), Tensor.zeros(5)).dim());
  }

  @Test
  void gradientsPassGradCheckIncludingPosWeight() {
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new BCEWithLogitsLoss(r).posWeight(in[2]).weight(in[3]).forward(in[0], in[1]),
          Tensor.of(X.clone(), 2, 3), Tensor.of(Y.clone(), 2, 3), Tensor.of(new double[] {3.0, 0.5, 2.0}),
          Tensor.of(new double[] {1.0, 0.25}, 2, 1));
    }
  }

  @Test
  void posWeightThatDoesNotBroadcastIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BCEWithLogitsLoss().posWeight(Tensor.ones(4)).forward(Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
    assertEquals("BCEWithLogitsLoss: posWeight of shape [4] does not broadcast to the input's shape [2, 3] "
        + "(each of its trailing dimensions must equal the input's or be 1)", e.getMessage());
  }
}

package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NLLLossTest {
  static final int N = 4;
  static final int C = 3;
  static final double[] X = {-0.5, -1.2, -2.0, -0.1, -3.0, -0.7, -1.5, -0.2, -0.9, -2.2, -0.4, -1.1};

  /** −w[y]·x[n, y] per sample (0 when ignored); the last entry is Σ w[y] over the kept samples. */
  static double[] reference(long[] target, double[] w, long ignore) {
    double[] out = new double[N + 1];
    for (int n = 0; n < N; n++) {
      if (target[n] == ignore) {
        continue;
      }
      double wy = w == null ? 1 : w[(int) target[n]];
      out[n] = -wy * X[n * C + (int) target[n]];
      out[N] += wy;
    }
    return out;
  }

  private static void assertAll(double[] ref, java.util.function.Function<Reduction, NLLLoss> make, long[] target) {
    double[] perSample = java.util.Arrays.copyOf(ref, N);
    assertArrayEquals(perSample, make.apply(Reduction.NONE).forward(Tensor.of(X.clone(), N, C), Tensor.of(target.clone()))
        .toDoubleArray(), 1e-15, "NONE");
    assertEquals(LossChecks.sum(perSample),
        make.apply(Reduction.SUM).forward(Tensor.of(X.clone(), N, C), Tensor.of(target.clone())).item(), 1e-15, "SUM");
    assertEquals(LossChecks.sum(perSample) / ref[N],
        make.apply(Reduction.MEAN).forward(Tensor.of(X.clone(), N, C), Tensor.of(target.clone())).item(), 1e-15, "MEAN");
  }

  @Test
  void picksTheTargetLogProbability() {
    long[] target = {0, 2, 1, 1};
    assertAll(reference(target, null, -100), NLLLoss::new, target);
  }

  @Test
  void weightsAndIgnoreIndex() {
    long[] target = {0, -100, 2, 1};
    double[] w = {0.2, 1.0, 3.0};
    assertAll(reference(target, w, -100), r -> new NLLLoss(r).weight(Tensor.of(w.clone())), target);
    long[] ignoreOne = {1, 2, 1, 0};
    assertAll(reference(ignoreOne, w, 1), r -> new NLLLoss(r).weight(Tensor.of(w.clone())).ignoreIndex(1), ignoreOne);
  }

  @Test
  void gradientIsMinusWeightAtTheTargetOverTotalWeight() {
    long[] target = {0, 2, 1, -100};
    double[] w = {0.2, 1.0, 3.0};
    Tensor x = Tensor.of(X.clone(), N, C).requiresGrad(true);
    new NLLLoss().weight(Tensor.of(w.clone())).forward(x, Tensor.of(target.clone())).backward();
    double total = 0.2 + 3.0 + 1.0;
    double[] expected = new double[N * C];
    expected[0] = -0.2 / total;
    expected[C + 2] = -3.0 / total;
    expected[2 * C + 1] = -1.0 / total;
    assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void floatTargetsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NLLLoss().forward(Tensor.zeros(4, 3), Tensor.zeros(4)));
    assertEquals("NLLLoss: expected target of dtype INT64 with shape [4] (class indices) for input of shape [4, 3], "
        + "but got f32 [4]; convert the target with target.to(DType.INT64)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new NLLLoss().forward(Tensor.zeros(4, 3), Tensor.of(new long[] {0, 1, 3, 0})));
    assertEquals("NLLLoss: target 3 is out of range for 3 classes (at batch index 2)", e.getMessage());
  }

  @Test
  void gradientsPassGradCheck() {
    long[] target = {0, -100, 2, 1};
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new NLLLoss(r).weight(Tensor.of(new double[] {0.2, 1.0, 3.0})).forward(in[0], in[1]),
          Tensor.of(X.clone(), N, C), Tensor.of(target.clone()));
    }
  }
}

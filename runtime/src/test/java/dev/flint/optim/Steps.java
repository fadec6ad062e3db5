package dev.flint.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.tensor.Tensor;
import java.util.List;

/** Test helpers: fixed gradients for three steps, and element-wise comparison. */
final class Steps {
  private Steps() {}

  static final double[] W0 = {0.5, -1.25, 2.0, 0.0};
  /** The gradient given at step t (0-based); step 1 has a zero and negative entries so momentum counts. */
  static final double[][] GRADS = {
    {0.1, -0.2, 0.3, 0.4},
    {-0.3, 0.25, 0.0, 1.5},
    {0.05, 0.7, -0.9, -0.2},
  };

  static Tensor param() {
    return Tensor.of(W0.clone(), 2, 2).requiresGrad(true);
  }

  /** Runs {@code steps} steps with {@link #GRADS}, returning the parameter's values after each. */
  static double[][] run(Optimizer opt, Tensor p, int steps) {
    double[][] out = new double[steps][];
    for (int t = 0; t < steps; t++) {
      p.setGrad(Tensor.of(GRADS[t].clone(), 2, 2));
      opt.step();
      out[t] = p.toDoubleArray();
    }
    return out;
  }

  static void assertClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
    }
  }

  static void assertSteps(double[][] expected, double[][] actual, double tol) {
    for (int t = 0; t < expected.length; t++) {
      assertClose(expected[t], actual[t], tol, "after step " + (t + 1));
    }
  }

  static List<Tensor> list(Tensor... ts) {
    return List.of(ts);
  }
}

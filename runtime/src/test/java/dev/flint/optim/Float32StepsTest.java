package dev.flint.optim;

import static dev.flint.optim.Steps.GRADS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * SGD, Adam and AdamW on FLOAT32 parameters, which they update in float (the kernels of
 * {@code OptimizerSteps}): the same three steps as the FLOAT64 tests, against the double references of
 * {@link AdamTest} and {@link SGDTest} to float tolerance, a first Adam step by hand, and state dicts
 * that still hold FLOAT64 buffers and resume a float run exactly.
 */
class Float32StepsTest {
  private static Tensor param32() {
    return Tensor.of(toFloats(Steps.W0), 2, 2).requiresGrad(true);
  }

  private static double[][] run32(Optimizer opt, Tensor p, int from, int to) {
    double[][] out = new double[to - from][];
    for (int t = from; t < to; t++) {
      p.setGrad(Tensor.of(toFloats(GRADS[t]), 2, 2));
      opt.step();
      out[t - from] = p.toDoubleArray();
    }
    return out;
  }

  @Test
  void adamVariantsMatchTheDoubleReferenceToFloatRounding() {
    Tensor p = param32();
    float[] storage = p.storage().floats();
    Steps.assertSteps(AdamTest.reference(0.1, 0.9, 0.999, 1e-8, 0, false, false, 3),
        run32(new Adam(Steps.list(p), 0.1), p, 0, 3), 1e-6);
    assertTrue(storage == p.storage().floats(), "the parameter's storage array is updated, not replaced");

    p = param32();
    Steps.assertSteps(AdamTest.reference(0.05, 0.8, 0.99, 1e-6, 0.1, false, false, 3),
        run32(new Adam(Steps.list(p), 0.05).betas(0.8, 0.99).eps(1e-6).weightDecay(0.1), p, 0, 3), 1e-6);

    p = param32();
    Steps.assertSteps(AdamTest.reference(0.1, 0.5, 0.6, 1e-8, 0, false, true, 3),
        run32(new Adam(Steps.list(p), 0.1).betas(0.5, 0.6).amsgrad(true), p, 0, 3), 1e-6);

    p = param32();
    Steps.assertSteps(AdamTest.reference(0.1, 0.85, 0.995, 1e-8, 0.2, true, false, 3),
        run32(new AdamW(Steps.list(p), 0.1).weightDecay(0.2).betas(0.85, 0.995), p, 0, 3), 1e-6);

    p = param32();
    Steps.assertSteps(AdamTest.reference(0.1, 0.9, 0.999, 1e-8, 0.01, true, true, 3),
        run32(new AdamW(Steps.list(p), 0.1).amsgrad(true), p, 0, 3), 1e-6);
  }

  @Test
  void sgdVariantsMatchTheDoubleReferenceToFloatRounding() {
    Tensor p = param32();
    Steps.assertSteps(SGDTest.reference(0.1, 0, 0, 0.05, false, 3), run32(new SGD(Steps.list(p), 0.1).weightDecay(0.05), p, 0, 3), 1e-6);
    p = param32();
    Steps.assertSteps(SGDTest.reference(0.05, 0.9, 0.2, 0, false, 3),
        run32(new SGD(Steps.list(p), 0.05).momentum(0.9).dampening(0.2), p, 0, 3), 1e-6);
    p = param32();
    Steps.assertSteps(SGDTest.reference(0.05, 0.8, 0, 0.1, true, 3),
        run32(new SGD(Steps.list(p), 0.05).nesterov(true).momentum(0.8).weightDecay(0.1), p, 0, 3), 1e-6);
  }

  @Test
  void firstAdamStepIsLrTimesTheSignOfTheGradient() {
    // By hand: m̂ = g and v̂ = g² on step 1, so the step is lr·g/(|g| + eps), in float
    Tensor p = Tensor.of(new float[] {1f, 1f, -2f}).requiresGrad(true);
    Adam opt = new Adam(Steps.list(p), 0.01);
    p.setGrad(Tensor.of(new float[] {3f, -0.002f, 0f}));
    opt.step();
    assertEquals(1 - 0.01 * 3 / (3 + 1e-8), p.toFloatArray()[0], 1e-7);
    assertEquals(1 + 0.01 * 0.002 / (0.002 + 1e-8), p.toFloatArray()[1], 1e-7);
    assertEquals(-2f, p.toFloatArray()[2], 0f, "a zero gradient leaves the weight (0 / eps)");
  }

  @Test
  void stateDictsOfFloatRunsHoldFloat64BuffersAndResumeExactly() {
    List<Function<List<Tensor>, Optimizer>> makers = List.of(
        ps -> new SGD(ps, 0.1).momentum(0.9).nesterov(true).weightDecay(0.01),
        ps -> new Adam(ps, 0.05).amsgrad(true).weightDecay(0.1),
        ps -> new AdamW(ps, 0.05).betas(0.8, 0.9));
    for (Function<List<Tensor>, Optimizer> make : makers) {
      Tensor p1 = param32();
      double[][] straight = run32(make.apply(Steps.list(p1)), p1, 0, 3);

      Tensor p2 = param32();
      Optimizer first = make.apply(Steps.list(p2));
      run32(first, p2, 0, 1);
      Map<String, Tensor> saved = first.stateDict();
      for (Map.Entry<String, Tensor> e : saved.entrySet()) {
        if (e.getKey().startsWith("state.0.") && !e.getKey().endsWith(".step")) {
          assertEquals(DType.FLOAT64, e.getValue().dtype(), e.getKey());
        }
      }
      Tensor p3 = Tensor.of(p2.toFloatArray(), 2, 2).requiresGrad(true);
      Optimizer resumed = make.apply(Steps.list(p3));
      resumed.loadStateDict(saved);
      double[][] after = run32(resumed, p3, 1, 3);
      for (int t = 0; t < 2; t++) {
        assertArrayEquals(straight[t + 1], after[t], 0, resumed.name() + " after resumed step " + (t + 2));
      }
    }
  }

  private static float[] toFloats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}

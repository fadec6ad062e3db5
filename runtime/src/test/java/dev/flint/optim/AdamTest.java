package dev.flint.optim;

import static dev.flint.optim.Steps.GRADS;
import static dev.flint.optim.Steps.W0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AdamTest {
  /**
   * torch.optim.Adam / AdamW as the documentation's pseudo-code writes them: bias-corrected
   * moments m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ); amsgrad keeps the running max of v and bias-corrects it.
   */
  static double[][] reference(double lr, double b1, double b2, double eps, double wd, boolean decoupled,
      boolean amsgrad, int steps) {
    double[] w = W0.clone();
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    double[] vMax = new double[w.length];
    double[][] out = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      for (int i = 0; i < w.length; i++) {
        double g = GRADS[t - 1][i];
        if (decoupled) {
          w[i] = w[i] - lr * wd * w[i];
        } else if (wd != 0) {
          g = g + wd * w[i];
        }
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat;
        if (amsgrad) {
          vMax[i] = Math.max(vMax[i], v[i]);
          vHat = vMax[i] / (1 - Math.pow(b2, t));
        } else {
          vHat = v[i] / (1 - Math.pow(b2, t));
        }
        w[i] = w[i] - lr * mHat / (Math.sqrt(vHat) + eps);
      }
      out[t - 1] = w.clone();
    }
    return out;
  }

  @Test
  void firstStepMovesEachWeightByLrTimesSignOfGradient() {
    // By hand: m̂ = g and v̂ = g² on step 1, so the step is lr·g/(|g| + eps) ≈ lr·sign(g).
    Tensor p = Tensor.of(new double[] {1.0, 1.0}).requiresGrad(true);
    Adam opt = new Adam(Steps.list(p), 0.01);
    p.setGrad(Tensor.of(new double[] {3.0, -0.002}));
    opt.step();
    assertEquals(1.0 - 0.01 * 3.0 / (3.0 + 1e-8), p.get(0), 1e-15);
    assertEquals(1.0 + 0.01 * 0.002 / (0.002 + 1e-8), p.get(1), 1e-15);
  }

  @Test
  void defaultsMatchPyTorch() {
    Adam opt = new Adam(Steps.list(Steps.param()), 1e-3);
    assertEquals(0.9, opt.beta1());
    assertEquals(0.999, opt.beta2());
    assertEquals(1e-8, opt.eps());
    assertEquals(0.0, opt.weightDecay());
    assertEquals(false, opt.amsgrad());
    assertEquals(0.01, new AdamW(Steps.list(Steps.param()), 1e-3).weightDecay());
  }

  @Test
  void threeStepsMatchReference() {
    Tensor p = Steps.param();
    Adam opt = new Adam(Steps.list(p), 0.1);
    Steps.assertSteps(reference(0.1, 0.9, 0.999, 1e-8, 0, false, false, 3), Steps.run(opt, p, 3), 1e-13);
  }

  @Test
  void l2WeightDecayAndCustomBetasMatchReference() {
    Tensor p = Steps.param();
    Adam opt = new Adam(Steps.list(p), 0.05).betas(0.8, 0.99).eps(1e-6).weightDecay(0.1);
    Steps.assertSteps(reference(0.05, 0.8, 0.99, 1e-6, 0.1, false, false, 3), Steps.run(opt, p, 3), 1e-13);
  }

  @Test
  void amsgradMatchesReference() {
    Tensor p = Steps.param();
    Adam opt = new Adam(Steps.list(p), 0.1).betas(0.5, 0.6).amsgrad(true);
    double[][] expected = reference(0.1, 0.5, 0.6, 1e-8, 0, false, true, 3);
    Steps.assertSteps(expected, Steps.run(opt, p, 3), 1e-13);
    // The max matters here: without it step 3 would differ.
    double[][] plain = reference(0.1, 0.5, 0.6, 1e-8, 0, false, false, 3);
    assertTrue(Math.abs(plain[2][3] - expected[2][3]) > 1e-4, "amsgrad must change this case");
  }

  @Test
  void adamWDecouplesWeightDecay() {
    Tensor p = Steps.param();
    AdamW opt = new AdamW(Steps.list(p), 0.1).weightDecay(0.2).betas(0.85, 0.995);
    double[][] expected = reference(0.1, 0.85, 0.995, 1e-8, 0.2, true, false, 3);
    Steps.assertSteps(expected, Steps.run(opt, p, 3), 1e-13);
    double[][] coupled = reference(0.1, 0.85, 0.995, 1e-8, 0.2, false, false, 3);
    assertTrue(Math.abs(coupled[2][2] - expected[2][2]) > 1e-3, "decoupled and L2 decay differ");
  }

  @Test
  void adamWDefaultDecayAndAmsgrad() {
    Tensor p = Steps.param();
    AdamW opt = new AdamW(Steps.list(p), 0.1).amsgrad(true);
    Steps.assertSteps(reference(0.1, 0.9, 0.999, 1e-8, 0.01, true, true, 3), Steps.run(opt, p, 3), 1e-13);
  }

  @Test
  void invalidBetasAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Adam(Steps.list(Steps.param()), 0.1).betas(0.9, 1.0));
    assertTrue(e.getMessage().contains("invalid beta parameter at index 1: 1.0"), e.getMessage());
  }
}

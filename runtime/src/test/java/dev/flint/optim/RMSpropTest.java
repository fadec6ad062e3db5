package dev.flint.optim;

import static dev.flint.optim.Steps.GRADS;
import static dev.flint.optim.Steps.W0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RMSpropTest {
  /** torch.optim.RMSprop's documented algorithm, written out independently. */
  static double[][] reference(double lr, double alpha, double eps, double wd, double mu, boolean centered, int steps) {
    double[] w = W0.clone();
    double[] v = new double[w.length];
    double[] gAvg = new double[w.length];
    double[] b = new double[w.length];
    double[][] out = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      for (int i = 0; i < w.length; i++) {
        double g = GRADS[t - 1][i];
        if (wd != 0) {
          g = g + wd * w[i];
        }
        v[i] = alpha * v[i] + (1 - alpha) * g * g;
        double vTilde = v[i];
        if (centered) {
          gAvg[i] = alpha * gAvg[i] + (1 - alpha) * g;
          vTilde = vTilde - gAvg[i] * gAvg[i];
        }
        if (mu > 0) {
          b[i] = mu * b[i] + g / (Math.sqrt(vTilde) + eps);
          w[i] = w[i] - lr * b[i];
        } else {
          w[i] = w[i] - lr * g / (Math.sqrt(vTilde) + eps);
        }
      }
      out[t - 1] = w.clone();
    }
    return out;
  }

  @Test
  void defaultsMatchPyTorch() {
    RMSprop opt = new RMSprop(Steps.list(Steps.param()), 0.01);
    assertEquals(0.99, opt.alpha());
    assertEquals(1e-8, opt.eps());
    assertEquals(0.0, opt.momentum());
    assertEquals(false, opt.centered());
  }

  @Test
  void firstStepIsHandComputed() {
    // v = 0.01·g², so the step is lr·g/(0.1|g| + eps) ≈ 10·lr·sign(g).
    Tensor p = Tensor.of(new double[] {1.0}).requiresGrad(true);
    RMSprop opt = new RMSprop(Steps.list(p), 0.01);
    p.setGrad(Tensor.of(new double[] {2.0}));
    opt.step();
    assertEquals(1.0 - 0.01 * 2.0 / (Math.sqrt(0.04) + 1e-8), p.item(), 1e-15);
  }

  @Test
  void plainMatchesReference() {
    Tensor p = Steps.param();
    Steps.assertSteps(reference(0.01, 0.99, 1e-8, 0, 0, false, 3), Steps.run(new RMSprop(Steps.list(p), 0.01), p, 3), 1e-13);
  }

  @Test
  void momentumAndWeightDecayMatchReference() {
    Tensor p = Steps.param();
    RMSprop opt = new RMSprop(Steps.list(p), 0.01).momentum(0.9).weightDecay(0.05).alpha(0.9);
    Steps.assertSteps(reference(0.01, 0.9, 1e-8, 0.05, 0.9, false, 3), Steps.run(opt, p, 3), 1e-13);
  }

  @Test
  void centeredMatchesReference() {
    Tensor p = Steps.param();
    RMSprop opt = new RMSprop(Steps.list(p), 0.01).centered(true).alpha(0.8).eps(1e-6);
    Steps.assertSteps(reference(0.01, 0.8, 1e-6, 0, 0, true, 3), Steps.run(opt, p, 3), 1e-12);
  }

  @Test
  void centeredWithMomentumMatchesReference() {
    Tensor p = Steps.param();
    RMSprop opt = new RMSprop(Steps.list(p), 0.02).centered(true).momentum(0.5);
    Steps.assertSteps(reference(0.02, 0.99, 1e-8, 0, 0.5, true, 3), Steps.run(opt, p, 3), 1e-12);
  }
}

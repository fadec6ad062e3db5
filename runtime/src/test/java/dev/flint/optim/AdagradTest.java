package dev.flint.optim;

import static dev.flint.optim.Steps.GRADS;
import static dev.flint.optim.Steps.W0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AdagradTest {
  /** torch.optim.Adagrad's documented algorithm, written out independently. */
  static double[][] reference(double lr, double lrDecay, double wd, double init, double eps, int steps) {
    double[] w = W0.clone();
    double[] sum = new double[w.length];
    java.util.Arrays.fill(sum, init);
    double[][] out = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      double clr = lr / (1 + (t - 1) * lrDecay);
      for (int i = 0; i < w.length; i++) {
        double g = GRADS[t - 1][i];
        if (wd != 0) {
          g = g + wd * w[i];
        }
        sum[i] = sum[i] + g * g;
        w[i] = w[i] - clr * g / (Math.sqrt(sum[i]) + eps);
      }
      out[t - 1] = w.clone();
    }
    return out;
  }

  @Test
  void defaultsMatchPyTorch() {
    Adagrad opt = new Adagrad(Steps.list(Steps.param()), 0.01);
    assertEquals(0.0, opt.lrDecay());
    assertEquals(0.0, opt.weightDecay());
    assertEquals(0.0, opt.initialAccumulatorValue());
    assertEquals(1e-10, opt.eps());
  }

  @Test
  void twoStepsByHand() {
    // Step 1: s = 4, w = 1 - 0.1·2/2 = 0.9. Step 2: s = 4 + 9 = 13, w = 0.9 - 0.1·3/√13.
    Tensor p = Tensor.of(new double[] {1.0}).requiresGrad(true);
    Adagrad opt = new Adagrad(Steps.list(p), 0.1).eps(0);
    p.setGrad(Tensor.of(new double[] {2.0}));
    opt.step();
    assertEquals(0.9, p.item(), 1e-15);
    p.setGrad(Tensor.of(new double[] {3.0}));
    opt.step();
    assertEquals(0.9 - 0.3 / Math.sqrt(13), p.item(), 1e-15);
  }

  @Test
  void plainMatchesReference() {
    Tensor p = Steps.param();
    Steps.assertSteps(reference(0.1, 0, 0, 0, 1e-10, 3), Steps.run(new Adagrad(Steps.list(p), 0.1), p, 3), 1e-13);
  }

  @Test
  void decayWeightDecayAndInitialAccumulatorMatchReference() {
    Tensor p = Steps.param();
    Adagrad opt = new Adagrad(Steps.list(p), 0.1).lrDecay(0.5).weightDecay(0.2).initialAccumulatorValue(0.3);
    Steps.assertSteps(reference(0.1, 0.5, 0.2, 0.3, 1e-10, 3), Steps.run(opt, p, 3), 1e-13);
  }
}

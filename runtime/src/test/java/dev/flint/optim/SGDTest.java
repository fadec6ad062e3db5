package dev.flint.optim;

import static dev.flint.optim.Steps.GRADS;
import static dev.flint.optim.Steps.W0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SGDTest {
  /** torch.optim.SGD's documented algorithm, written out independently. */
  static double[][] reference(double lr, double mu, double tau, double wd, boolean nesterov, int steps) {
    double[] w = W0.clone();
    double[] b = new double[w.length];
    double[][] out = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      for (int i = 0; i < w.length; i++) {
        double g = GRADS[t - 1][i];
        if (wd != 0) {
          g = g + wd * w[i];
        }
        if (mu != 0) {
          b[i] = t > 1 ? mu * b[i] + (1 - tau) * g : g;
          g = nesterov ? g + mu * b[i] : b[i];
        }
        w[i] = w[i] - lr * g;
      }
      out[t - 1] = w.clone();
    }
    return out;
  }

  @Test
  void plainStepIsHandComputed() {
    Tensor p = Tensor.of(new double[] {1.0, 2.0}).requiresGrad(true);
    SGD opt = new SGD(Steps.list(p), 0.1);
    p.setGrad(Tensor.of(new double[] {0.5, -1.0}));
    opt.step();
    assertArrayEquals(new double[] {0.95, 2.1}, p.toDoubleArray(), 1e-15);
  }

  @Test
  void momentumBufferStartsAtFirstGradient() {
    // By hand: b1 = g1 = 1, w = 1 - 0.1 = 0.9; b2 = 0.9*1 + 2 = 2.9, w = 0.9 - 0.29 = 0.61.
    Tensor p = Tensor.of(new double[] {1.0}).requiresGrad(true);
    SGD opt = new SGD(Steps.list(p), 0.1).momentum(0.9);
    p.setGrad(Tensor.of(new double[] {1.0}));
    opt.step();
    assertEquals(0.9, p.item(), 1e-15);
    p.setGrad(Tensor.of(new double[] {2.0}));
    opt.step();
    assertEquals(0.61, p.item(), 1e-15);
  }

  @Test
  void plainMatchesReference() {
    Tensor p = Steps.param();
    Steps.assertSteps(reference(0.1, 0, 0, 0, false, 3), Steps.run(new SGD(Steps.list(p), 0.1), p, 3), 1e-14);
  }

  @Test
  void momentumDampeningWeightDecayMatchReference() {
    Tensor p = Steps.param();
    SGD opt = new SGD(Steps.list(p), 0.05).momentum(0.9).dampening(0.3).weightDecay(0.01);
    Steps.assertSteps(reference(0.05, 0.9, 0.3, 0.01, false, 3), Steps.run(opt, p, 3), 1e-14);
  }

  @Test
  void nesterovMatchesReference() {
    Tensor p = Steps.param();
    SGD opt = new SGD(Steps.list(p), 0.05).nesterov(true).momentum(0.8).weightDecay(0.1);
    Steps.assertSteps(reference(0.05, 0.8, 0, 0.1, true, 3), Steps.run(opt, p, 3), 1e-14);
  }

  @Test
  void float32ParametersAreUpdatedInPlace() {
    Tensor p = Tensor.of(new float[] {0.5f, -1.25f, 2.0f, 0.0f}, 2, 2).requiresGrad(true);
    float[] storage = p.storage().floats();
    SGD opt = new SGD(Steps.list(p), 0.05).momentum(0.9);
    double[][] expected = reference(0.05, 0.9, 0, 0, false, 3);
    for (int t = 0; t < 3; t++) {
      p.setGrad(Tensor.of(new float[] {(float) GRADS[t][0], (float) GRADS[t][1], (float) GRADS[t][2], (float) GRADS[t][3]}, 2, 2));
      opt.step();
      Steps.assertClose(expected[t], p.toDoubleArray(), 1e-6, "f32 step " + (t + 1));
    }
    assertTrue(storage == p.storage().floats(), "the parameter's storage array is updated, not replaced");
  }

  @Test
  void nesterovWithoutMomentumIsRefusedClearly() {
    Tensor p = Steps.param();
    p.setGrad(Tensor.of(GRADS[0].clone(), 2, 2));
    SGD opt = new SGD(Steps.list(p), 0.1).nesterov(true);
    IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
    assertTrue(e.getMessage().contains("Nesterov momentum requires a momentum > 0 and zero dampening"), e.getMessage());
    SGD damped = new SGD(Steps.list(p), 0.1).nesterov(true).momentum(0.9).dampening(0.1);
    e = assertThrows(IllegalStateException.class, damped::step);
    assertTrue(e.getMessage().contains("dampening is 0.1"), e.getMessage());
    assertArrayEquals(W0, p.toDoubleArray(), "a refused step changes nothing");
  }

  @Test
  void invalidSettingsAreRefused() {
    Tensor p = Steps.param();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new SGD(Steps.list(p), -0.1));
    assertTrue(e.getMessage().contains("invalid learning rate: -0.1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SGD(Steps.list(p), 0.1).momentum(-1));
    assertTrue(e.getMessage().contains("invalid momentum value: -1.0"), e.getMessage());
  }
}

package dev.flint.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StepLRTest {
  @Test
  void decaysByGammaEveryStepSizeEpochs() {
    SGD opt = new SGD(Steps.list(Steps.param()), 0.1);
    StepLR sched = new StepLR(opt, 3, 0.5);
    assertEquals(0.1, sched.lastLr());
    // PyTorch multiplies the current rate at each boundary: 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, ...
    double[] expected = {0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125};
    for (int epoch = 1; epoch <= expected.length; epoch++) {
      sched.step();
      assertEquals(expected[epoch - 1], sched.lastLr(), 0, "epoch " + epoch);
      assertEquals(expected[epoch - 1], opt.lr(), 0, "the optimizer's rate at epoch " + epoch);
      assertEquals(0.1 * Math.pow(0.5, epoch / 3), opt.lr(), 1e-15, "closed form at epoch " + epoch);
    }
  }

  @Test
  void defaultGammaIsOneTenthAndValuesAreTheChainedProducts() {
    Adam opt = new Adam(Steps.list(Steps.param()), 0.1);
    StepLR sched = new StepLR(opt, 2);
    double lr = 0.1;
    for (int epoch = 1; epoch <= 6; epoch++) {
      sched.step();
      if (epoch % 2 == 0) {
        lr = lr * 0.1; // the exact double PyTorch produces
      }
      assertEquals(lr, opt.lr(), 0, "epoch " + epoch);
    }
    assertEquals(0.1 * 0.1 * 0.1 * 0.1, opt.lr(), 0);
  }

  @Test
  void stateDictRestoresProgress() {
    SGD opt = new SGD(Steps.list(Steps.param()), 1.0);
    StepLR sched = new StepLR(opt, 2, 0.5);
    sched.step();
    var saved = sched.stateDict();
    var savedOpt = opt.stateDict();
    SGD opt2 = new SGD(Steps.list(Steps.param()), 1.0);
    StepLR sched2 = new StepLR(opt2, 2, 0.5);
    opt2.loadStateDict(savedOpt);
    sched2.loadStateDict(saved);
    sched.step();
    sched2.step();
    assertEquals(0.5, opt2.lr());
    assertEquals(opt.lr(), opt2.lr());
    assertEquals(2, sched2.lastEpoch());
  }

  @Test
  void nonPositiveStepSizeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StepLR(new SGD(Steps.list(Steps.param()), 0.1), 0));
    assertEquals("StepLR: stepSize must be positive, but got 0", e.getMessage());
  }
}

package dev.flint.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Tensor;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class LambdaLRTest {
  /** Linear warm-up over 4 steps, then a cosine from 1 down to 0.1 at step 20 (nanoGPT's shape). */
  private static final IntToDoubleFunction WARMUP_COSINE = t -> t < 4 ? (t + 1) / 4.0
      : 0.1 + 0.9 * (1 + Math.cos(Math.PI * Math.min(t - 4, 16) / 16)) / 2;

  /** PyTorch documents lr = base_lr * lr_lambda(last_epoch), the epoch-0 value set by the constructor. */
  @Test
  void rateIsTheBaseTimesTheFactorFromConstructionOn() {
    AdamW opt = new AdamW(Steps.list(Steps.param()), 3e-3);
    LambdaLR sched = new LambdaLR(opt, WARMUP_COSINE);
    assertEquals(3e-3 * 0.25, opt.lr(), 1e-18, "epoch 0 applied at construction");
    assertEquals(3e-3, sched.baseLr());
    // torch.optim.lr_scheduler.LambdaLR(AdamW(lr=3e-3), same lambda), lr / 3e-3 after each step (PyTorch 1.13)
    double[] expected = {0.25, 0.5, 0.75, 1, 1, 0.991353, 0.965746, 0.924161, 0.868198, 0.800007, 0.722208, 0.637791};
    for (int t = 1; t < expected.length; t++) {
      sched.step();
      assertEquals(3e-3 * expected[t], opt.lr(), 3e-3 * 1e-6, "step " + t);
      assertEquals(opt.lr(), sched.lastLr());
    }
    for (int t = expected.length; t <= 25; t++) {
      sched.step();
    }
    assertEquals(3e-3 * 0.1, opt.lr(), 1e-18, "held at the floor after the horizon");
  }

  /** The rate really drives the update: SGD moves a parameter by lr * grad. */
  @Test
  void optimizerStepsWithTheScheduledRate() {
    Tensor p = Tensor.of(new double[] {1.0}).requiresGrad(true);
    SGD opt = new SGD(Steps.list(p), 0.5);
    LambdaLR sched = new LambdaLR(opt, t -> 1.0 / (t + 1));
    for (int t = 0; t < 3; t++) {
      opt.zeroGrad();
      p.mul(2).sum().backward();   // grad 2
      opt.step();
      sched.step();
    }
    // 1 - 2 * 0.5 * (1 + 1/2 + 1/3)
    assertEquals(1 - 2 * 0.5 * (1 + 0.5 + 1.0 / 3), p.item(), 1e-15);
  }

  @Test
  void stateDictRestoresTheStep() {
    LambdaLR a = new LambdaLR(new SGD(Steps.list(Steps.param()), 1.0), WARMUP_COSINE);
    for (int t = 0; t < 7; t++) {
      a.step();
    }
    SGD opt = new SGD(Steps.list(Steps.param()), 1.0);
    LambdaLR b = new LambdaLR(opt, WARMUP_COSINE);
    b.loadStateDict(a.stateDict());
    b.step();
    a.step();
    assertEquals(a.lastLr(), b.lastLr(), 0);
    assertEquals(a.lastLr(), opt.lr(), 0);
  }

  @Test
  void badFactorSaysWhichStep() {
    LambdaLR sched = new LambdaLR(new SGD(Steps.list(Steps.param()), 1.0), t -> t == 2 ? Double.NaN : 1);
    sched.step();
    IllegalStateException e = assertThrows(IllegalStateException.class, sched::step);
    assertTrue(e.getMessage().contains("step 2") && e.getMessage().contains("NaN"), e.getMessage());
  }
}

package dev.flint.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WarmupCosineTest {
  /** nanoGPT's get_lr: linear warm-up to the peak, half a cosine to the floor at the horizon, then the floor. */
  @Test
  void warmUpThenCosineToTheFloor() {
    WarmupCosine s = new WarmupCosine(10, 110, 0.1);
    assertEquals(0.1, s.factor(0), 1e-15);
    assertEquals(1.0, s.factor(9), 1e-15);
    assertEquals(1.0, s.factor(10), 1e-15);
    assertEquals(0.1 + 0.9 * 0.5, s.factor(60), 1e-15, "half way down the cosine");
    assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.factor(35), 1e-15);
    assertEquals(0.1, s.factor(110), 1e-15);
    assertEquals(0.1, s.factor(5000), 1e-15);
    s.setHorizon(210);
    assertEquals(0.1 + 0.9 * 0.5, s.factor(110), 1e-15, "a later horizon stretches the cosine");
    s.setHorizon(3);
    assertEquals(11, s.horizon(), "never before the warm-up's end");
  }
}

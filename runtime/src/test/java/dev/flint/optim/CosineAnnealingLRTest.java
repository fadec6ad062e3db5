package dev.flint.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CosineAnnealingLRTest {
  private static double closedForm(double base, double etaMin, int tMax, int t) {
    return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
  }

  @Test
  void followsTheClosedFormThroughTwoPeriods() {
    SGD opt = new SGD(Steps.list(Steps.param()), 0.1);
    CosineAnnealingLR sched = new CosineAnnealingLR(opt, 5, 0.001);
    for (int t = 1; t <= 20; t++) {
      sched.step();
      assertEquals(closedForm(0.1, 0.001, 5, t), sched.lastLr(), 1e-15, "epoch " + t);
      assertEquals(sched.lastLr(), opt.lr());
    }
  }

  @Test
  void reachesEtaMinAtTMaxAndHalfWayIsTheMean() {
    Adam opt = new Adam(Steps.list(Steps.param()), 1.0);
    CosineAnnealingLR sched = new CosineAnnealingLR(opt, 4);
    sched.step();
    sched.step();
    assertEquals(0.5, opt.lr(), 1e-15);
    sched.step();
    sched.step();
    assertEquals(0.0, opt.lr(), 1e-15);
    sched.step();
    assertEquals((1 - Math.cos(Math.PI / 4)) / 2, opt.lr(), 1e-15, "rises again after tMax");
  }
}

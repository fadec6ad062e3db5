package dev.flint.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  /** The epoch (1-based) at which {@code stop} says to stop on {@code losses}, or 0 if it never does. */
  private static int stoppingEpoch(EarlyStopping stop, double... losses) {
    for (int i = 0; i < losses.length; i++) {
      if (stop.update(losses[i])) {
        return i + 1;
      }
    }
    return 0;
  }

  @Test
  void stopsAfterPatienceEpochsWithoutANewBest() {
    EarlyStopping stop = new EarlyStopping(3);
    // best at epoch 2 (0.8); epochs 3, 4, 5 do not beat it
    assertEquals(5, stoppingEpoch(stop, 1.0, 0.8, 0.9, 0.85, 0.81, 0.1));
    assertEquals(2, stop.bestEpoch());
    assertEquals(0.8, stop.bestValue());
    assertEquals(3, stop.epochsWithoutImprovement());
    assertTrue(stop.shouldStop());
  }

  @Test
  void aNewBestResetsTheCount() {
    // 0.79 at epoch 5 is a new best after two worse epochs, so the count starts again there:
    // epochs 6, 7 and 8 are the three without improvement
    assertEquals(0, stoppingEpoch(new EarlyStopping(3), 1.0, 0.8, 0.9, 0.85, 0.79, 0.8, 0.8));
    assertEquals(8, stoppingEpoch(new EarlyStopping(3), 1.0, 0.8, 0.9, 0.85, 0.79, 0.8, 0.8, 0.8, 0.9));
  }

  @Test
  void minDeltaIgnoresTinyImprovements() {
    // with minDelta 0.05 only 1.0 -> 0.9 counts; 0.88, 0.87, 0.86 are too small
    EarlyStopping stop = new EarlyStopping(3).minDelta(0.05);
    assertEquals(5, stoppingEpoch(stop, 1.0, 0.9, 0.88, 0.87, 0.86));
    assertEquals(2, stop.bestEpoch());
  }

  @Test
  void maximizesAccuracyAndNaNNeverImproves() {
    EarlyStopping stop = new EarlyStopping(2).goal(Goal.MAXIMIZE);
    assertEquals(4, stoppingEpoch(stop, 0.5, 0.7, Double.NaN, 0.6));
    assertEquals(0.7, stop.bestValue());
    assertFalse(new EarlyStopping(1).update(Double.POSITIVE_INFINITY), "a first finite-or-not value is the best so far");
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(2).minDelta(-1));
  }
}

package dev.flint.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TicksTest {
  @Test
  void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertEquals(0.2, Ticks.niceStep(0.17), 1e-12);
    assertEquals(5, Ticks.niceStep(3.1), 1e-12);
    assertEquals(10, Ticks.niceStep(7), 1e-12);
    assertEquals(1000, Ticks.niceStep(1000), 1e-9);
  }

  @Test
  void ticksCoverTheRange() {
    Ticks t = Ticks.nice(0.13, 0.91, 6);
    assertEquals(0.2, t.step, 1e-12);
    assertEquals(0.0, t.min, 1e-12);
    assertEquals(1.0, t.max, 1e-12);
    assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), t.values.stream().map(t::label).toList());
  }

  @Test
  void integerTicksForEpochs() {
    Ticks few = Ticks.integers(1, 7, 10);
    assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), few.values);
    Ticks many = Ticks.integers(1, 60, 10);
    assertEquals(List.of(0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0), many.values);
    assertEquals("10", many.label(10));
    Ticks one = Ticks.integers(1, 1, 10);
    assertTrue(one.max > one.min, "a one-epoch run still has a range");
  }
}

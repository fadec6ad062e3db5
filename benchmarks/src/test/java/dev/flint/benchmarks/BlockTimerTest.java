package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockTimerTest {
  @Test
  void percentilesInterpolateLikeNumpy() {
    // numpy.percentile([1, 2, 3, 4, 10], [10, 50, 90]) == [1.4, 3.0, 7.6]
    double[] s = {1, 2, 3, 4, 10};
    assertEquals(1.4, BlockTimer.percentile(s, 10), 1e-12);
    assertEquals(3.0, BlockTimer.percentile(s, 50), 1e-12);
    assertEquals(7.6, BlockTimer.percentile(s, 90), 1e-12);
    assertEquals(5.0, BlockTimer.percentile(new double[] {5}, 90), 0);
  }

  @Test
  void timesBlocksOfCallsAfterWarmUpAndCalibration() {
    int[] calls = {0};
    Runnable spin2ms = () -> {
      calls[0]++;
      long end = System.nanoTime() + 2_000_000;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    };
    Timing t = new BlockTimer().warmupSeconds(0).warmupIters(4).time(spin2ms, 0.05);
    // wall-clock spinning can only take longer on a busy machine, never shorter
    assertTrue(t.msMedian() >= 2.0, "median " + t.msMedian());
    assertTrue(t.msP10() <= t.msMedian() && t.msMedian() <= t.msP90());
    assertTrue(t.nBlocks() >= 5, "at least 5 blocks, got " + t.nBlocks());
    // a 5 ms block holds two 2 ms calls (one when the calibration calls ran late on a busy machine)
    assertTrue(t.itersPerBlock() == 1 || t.itersPerBlock() == 2, "calls per block " + t.itersPerBlock());
    assertEquals(4 + 3 + t.nBlocks() * t.itersPerBlock(), calls[0], "warm-up + calibration + timed calls");
  }
}

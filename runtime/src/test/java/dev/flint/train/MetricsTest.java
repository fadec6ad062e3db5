package dev.flint.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void runningMeanWeightsBatchesBySize() {
    RunningMean mean = new RunningMean();
    assertTrue(Double.isNaN(mean.mean()));
    mean.add(2.0, 32);   // 32 samples with mean 2
    mean.add(5.0, 4);    // a short last batch
    assertEquals((2.0 * 32 + 5.0 * 4) / 36, mean.mean(), 1e-15);
    assertEquals(2, mean.count());
    mean.reset();
    mean.add(1);
    mean.add(2);
    assertEquals(1.5, mean.mean());
    assertThrows(IllegalArgumentException.class, () -> mean.add(1, -1));
  }

  @Test
  void accuracyCountsArgmaxHits() {
    Accuracy acc = new Accuracy();
    Tensor scores = Tensor.of(new float[][] {{0.1f, 2f, 0f}, {3f, 1f, 0f}, {0f, 0f, 1f}, {1f, 5f, 2f}});
    acc.update(scores, Tensor.of(new long[] {1, 0, 0, 2}));   // hits: rows 0 and 1
    assertEquals(2, acc.correct());
    assertEquals(4, acc.total());
    acc.update(1, 1);
    assertEquals(0.6, acc.value(), 1e-15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> acc.update(scores, Tensor.of(new long[] {1, 0})));
    assertTrue(e.getMessage().contains("[4, 3] and [2]"), e.getMessage());
  }
}

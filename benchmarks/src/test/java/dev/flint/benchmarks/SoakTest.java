package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A short soak: 20,000 compiled mlp_train_small steps must not grow the heap that survives a full
 * collection (the full run, 200,000 steps, is in benchmarks/README.md).
 */
class SoakTest {
  /**
   * Bytes per step the heap may grow by. A step that left a single object reachable would keep at
   * least 16 bytes per step (the smallest Java object; a Tensor handle or a graph node is several
   * times that), so 8 catches any per-step leak. The noise is far below it: 0.07 bytes per step
   * measured here (+2.2 KiB over 20,000 steps).
   *
   * <p>The bound applies to the median growth between consecutive samples, which a leak moves (it
   * grows every interval) and a one-time allocation does not: the 200,000-step run in
   * benchmarks/README.md shows one, +190 KiB between steps 10,000 and 20,000 and flat after, which
   * would add up to 10 bytes per step to a least-squares slope over a 20,000-step window.
   */
  static final double MAX_BYTES_PER_STEP = 8;

  @Test
  void theHeapAfterGcStaysFlatOverTwentyThousandCompiledSteps() {
    assertTrue(Models.compiledAvailable(dev.flint.benchmarks.models.MlpSmall.class), "CompiledMlpSmall is generated");
    TrainStep step = ModelWorkloads.mlpTrainSmall(Models.COMPILED, 256);
    List<Soak.Sample> samples = Soak.run(step, 2_000, 20_000, 2_000, null);
    assertEquals(11, samples.size());
    double median = Soak.medianBytesPerStep(samples);
    String report = String.format("soak, 20,000 compiled mlp_train_small steps: median growth %.3f bytes/step, "
        + "least-squares slope %.3f bytes/step%n%s", median, Soak.slopeBytesPerStep(samples), Soak.table(samples));
    System.out.print(report);
    assertTrue(median < MAX_BYTES_PER_STEP, "the heap after GC grows by more than " + MAX_BYTES_PER_STEP
        + " bytes per step:\n" + report);
    assertTrue(Double.isFinite(step.lastLoss()), "the loss stays finite");
  }

  @Test
  void theSlopeIsTheLeastSquaresFit() {
    // heap = 1000 + 3 * step, plus a symmetric wobble that least squares cancels
    List<Soak.Sample> line = List.of(new Soak.Sample(0, 1000), new Soak.Sample(10, 1030 + 5), new Soak.Sample(20, 1060 - 10),
        new Soak.Sample(30, 1090 + 5));
    assertEquals(3.0, Soak.slopeBytesPerStep(line), 0.5);
    assertEquals(0.0, Soak.slopeBytesPerStep(List.of(new Soak.Sample(0, 7), new Soak.Sample(5, 7))));
  }

  @Test
  void theMedianIgnoresAOneTimeJumpButNotALeak() {
    // flat with one jump of 1000 bytes in the second of four intervals of 10 steps
    List<Soak.Sample> jump = List.of(new Soak.Sample(0, 500), new Soak.Sample(10, 500), new Soak.Sample(20, 1500),
        new Soak.Sample(30, 1500), new Soak.Sample(40, 1500));
    assertEquals(0.0, Soak.medianBytesPerStep(jump));
    // 16 bytes a step, every interval
    List<Soak.Sample> leak = List.of(new Soak.Sample(0, 0), new Soak.Sample(10, 160), new Soak.Sample(20, 320),
        new Soak.Sample(30, 480));
    assertEquals(16.0, Soak.medianBytesPerStep(leak));
  }
}

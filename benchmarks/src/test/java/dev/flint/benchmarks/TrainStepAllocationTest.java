package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's allocation target on mlp_train_small (step = zeroGrad + forward + loss + backward +
 * step, measured with ThreadMXBean over 100 warm steps on one thread): what holds today.
 *
 * <p>TODO(#5): the target is under 1 KiB per compiled step, the same at batch 256 and 1024, and 0
 * inside the generated forward and backward. Measured 2026-11-28 10:04 UTC (BenchDriver --only
 * alloc_mlp_train_small): compiled 713 KB per step at batch 256 and 2.34 MB at batch 1024, eager
 * 932 KB and 3.15 MB. The generated code calls allocating kernels (each result is a new tensor, the
 * transposed weight is copied for every matmul) and its backward node allocates per step; only the
 * optimizer's share is 0 so far. When buffers are planned, assert the 1 KiB bound here.
 */
class TrainStepAllocationTest {
  private static int threadsBefore;

  @BeforeAll
  static void oneThread() {
    // pool threads allocate outside this thread's counter; one thread keeps the whole step visible
    threadsBefore = Flint.getNumThreads();
    Flint.setNumThreads(1);
  }

  @AfterAll
  static void restoreThreads() {
    Flint.setNumThreads(threadsBefore);
  }

  @Test
  void theCompiledModelIsGenerated() {
    assertTrue(Models.compiledAvailable(dev.flint.benchmarks.models.MlpSmall.class),
        "the processor should generate CompiledMlpSmall (flint-processor on the annotation-processor path)");
  }

  @Test
  void theOptimizerUpdateInsideEagerTrainingAllocatesNothing() {
    assertOptimizerShareIsZero(Models.EAGER);
  }

  @Test
  void theOptimizerUpdateInsideCompiledTrainingAllocatesNothing() {
    assertOptimizerShareIsZero(Models.COMPILED);
  }

  private static void assertOptimizerShareIsZero(String impl) {
    for (int batch : new int[] {256, 1024}) {
      TrainStep step = ModelWorkloads.mlpTrainSmall(impl, batch);
      AllocationMeter meter = AllocationMeter.create();
      for (int i = 0; i < 400; i++) {
        step.run();
      }
      long updateBytes = 0;
      for (int i = 0; i < 100; i++) {
        step.zeroGrad();
        step.forwardBackward();
        long before = meter.threadAllocatedBytes();
        step.update();
        updateBytes += meter.threadAllocatedBytes() - before;
      }
      assertEquals(0, updateBytes, impl + ": bytes allocated by 100 SGD(momentum) updates at batch " + batch);
    }
  }

  @Test
  void theCompiledStepReusesItsPlannedBuffers() {
    // forward values and gradients live in the model's pooled buffers (processor: Note [Forward
    // buffers]): what is left per step is the kernels' bookkeeping, far below the activations.
    // TODO(#5): assert bytes < 1024 once the kernels stop allocating (measured 6.9 KB on 2026-11-28 11:27 UTC)
    int batch = 256;
    TrainStep step = ModelWorkloads.mlpTrainSmall(Models.COMPILED, batch);
    step.run();
    double first = step.lastLoss();
    double bytes = AllocationMeter.create().bytesPerCall(step, 300, 100);
    long activations = 4L * batch * (64 + 64 + 32 + 32 + 1);
    System.out.printf("mlp_train_small %s, batch %d: %.0f bytes per step%n", Models.COMPILED, batch, bytes);
    assertTrue(bytes < activations / 10, "measured " + bytes + " bytes per step, a tenth of the activations is " + activations / 10);
    assertTrue(step.lastLoss() < first, "400 SGD steps should lower the loss from " + first + ", got " + step.lastLoss());
  }

  @Test
  void theEagerStepAllocatesAtLeastItsActivationsAndLearns() {
    assertAllocatesActivationsAndLearns(Models.EAGER);
  }

  private static void assertAllocatesActivationsAndLearns(String impl) {
    // an independent lower bound while results are fresh tensors: a step allocates at least the
    // forward activations (fc1 + bias, relu, fc2 + bias, relu, fc3 outputs) of 4 bytes each
    int batch = 256;
    TrainStep step = ModelWorkloads.mlpTrainSmall(impl, batch);
    step.run();
    double first = step.lastLoss();
    double bytes = AllocationMeter.create().bytesPerCall(step, 300, 100);
    long activations = 4L * batch * (64 + 64 + 32 + 32 + 1);
    System.out.printf("mlp_train_small %s, batch %d: %.0f bytes per step%n", impl, batch, bytes);
    assertTrue(bytes >= activations, "measured " + bytes + " bytes per step, below the activations' " + activations);
    assertTrue(step.lastLoss() < first, "400 SGD steps should lower the loss from " + first + ", got " + step.lastLoss());
  }
}

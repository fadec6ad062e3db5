package dev.flint.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.flint.checkpoint.Checkpoint;
import java.nio.file.Path;

/**
 * Hostile checkpoint files: whatever the bytes, {@link Checkpoint#load} returns a checkpoint or
 * throws a {@link SafeTensorsException} with a message. The committed inputs in
 * {@code CheckpointFuzzTestInputs/load/} are replayed in every build.
 */
class CheckpointFuzzTest {
  private static final FuzzFiles FILES = new FuzzFiles("input.checkpoint");

  @FuzzTest(maxDuration = "20s")
  void load(byte[] bytes) {
    Path file = FILES.holding(bytes);
    try {
      Checkpoint c = Checkpoint.load(file);
      long[] rng = c.generatorState(Checkpoint.DEFAULT_GENERATOR);
      if (rng != null) {
        assertEquals(3, rng.length, "a generator state has 3 words");
      }
      c.modelState().values().forEach(t -> t.shape());
      c.optimizerState().values().forEach(t -> t.shape());
    } catch (SafeTensorsException e) {
      FuzzChecks.hasMessage(e);
    }
  }
}

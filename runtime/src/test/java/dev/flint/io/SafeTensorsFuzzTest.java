package dev.flint.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * Hostile safetensors files: whatever the bytes, {@link SafeTensors#load} returns tensors that fit
 * in the file or throws a {@link SafeTensorsException} with a message. Anything else (another
 * exception, an OutOfMemoryError, a StackOverflowError, a hang) is a finding.
 *
 * <p>Every build replays the committed inputs in {@code SafeTensorsFuzzTestInputs/<method>/}
 * (seeds and every crash found); {@code .ci/fuzz} fuzzes for a bounded time (see the README's
 * "Fuzzing" section).
 */
class SafeTensorsFuzzTest {
  private static final FuzzFiles FILES = new FuzzFiles("input.safetensors");

  @FuzzTest(maxDuration = "20s")
  void load(byte[] bytes) {
    Path file = FILES.holding(bytes);
    try {
      Map<String, Tensor> tensors = SafeTensors.load(file);
      long bytesRead = 0;
      for (Tensor t : tensors.values()) {
        bytesRead += (long) t.numel() * Math.max(1, t.dtype().byteSize() / 2);
      }
      // a valid file's tensors are no larger than its data (F16/BF16 widen to 4 bytes, hence the halving)
      assertTrue(bytesRead <= bytes.length, "tensors larger than the file: " + bytesRead + " > " + bytes.length);
      assertEquals(SafeTensors.readMetadata(file), SafeTensors.loadWithMetadata(file).metadata());
    } catch (SafeTensorsException e) {
      FuzzChecks.hasMessage(e);
    }
  }
}

package dev.flint.spark;

import dev.flint.io.SafeTensors;
import dev.flint.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A state dict as the bytes of a safetensors file, the form in which weights travel to executors
 * (one broadcast per job). The runtime reads and writes safetensors through files, so both
 * directions pass through a temporary file that is deleted at once.
 */
final class WeightsBytes {
  private WeightsBytes() {}

  static byte[] encode(Map<String, Tensor> state) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("flint-weights-", ".safetensors");
      SafeTensors.save(state, tmp);
      return Files.readAllBytes(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode the weights as safetensors: " + e, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  static Map<String, Tensor> decode(byte[] bytes) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("flint-weights-", ".safetensors");
      Files.write(tmp, bytes);
      return SafeTensors.load(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("could not decode the broadcast weights: " + e, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }
}

package dev.flint.spark;

import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.TaskContext;

/**
 * An eager model whose forward pass, inside a Spark task, fails once whenever the test has created
 * {@link #MARKER}: the task that deletes the marker throws, as a task lost mid-epoch would.
 */
public class FlakyNet extends Module {
  static final Path MARKER = Path.of("target", "flaky-net-fail-once").toAbsolutePath();

  Linear fc1 = new Linear(4, 8);
  Linear fc2 = new Linear(8, 3);

  @Override
  public Tensor forward(Tensor x) {
    try {
      if (TaskContext.get() != null && Files.deleteIfExists(MARKER)) {
        throw new IllegalStateException("injected task failure (attempt " + TaskContext.get().attemptNumber() + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fc2.forward(F.tanh(fc1.forward(x)));
  }
}

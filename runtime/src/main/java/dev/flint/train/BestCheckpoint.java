package dev.flint.train;

import dev.flint.nn.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Keeps the weights of the best epoch on disk, as Keras's {@code ModelCheckpoint} with
 * {@code save_best_only}: {@link #update} saves the model (a safetensors file, atomically) when the
 * monitored value (usually the validation loss) beats every earlier epoch, and {@link #restore}
 * loads those weights back after training.
 *
 * <pre>{@code
 * BestCheckpoint best = new BestCheckpoint(Path.of("runs/best.safetensors"));   // lowest value wins
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *   ...
 *   best.update(epoch, validLoss, model);
 * }
 * best.restore(model);        // the weights of best.bestEpoch()
 * }</pre>
 */
public final class BestCheckpoint {
  private final Path file;
  private final Goal goal;
  private double best = Double.NaN;
  private int bestEpoch;

  /** Keeps the model of the epoch with the lowest value in {@code file}. */
  public BestCheckpoint(Path file) {
    this(file, Goal.MINIMIZE);
  }

  /** Keeps the model of the epoch whose value best meets {@code goal} in {@code file}. */
  public BestCheckpoint(Path file, Goal goal) {
    this.file = Objects.requireNonNull(file, "file");
    this.goal = Objects.requireNonNull(goal, "goal");
  }

  /**
   * Records epoch {@code epoch}'s value; when it is the best so far, saves {@code model}'s state
   * dict to the file (creating its directory) and returns true. A NaN value is never the best.
   */
  public boolean update(int epoch, double value, Module model) {
    Objects.requireNonNull(model, "model");
    if (!goal.improves(value, best, 0)) {
      return false;
    }
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("BestCheckpoint: cannot create the directory " + dir + ": " + e, e);
    }
    model.save(file);
    best = value;
    bestEpoch = epoch;
    return true;
  }

  /** Loads the best epoch's weights into {@code model} (strictly: same keys and shapes). */
  public void restore(Module model) {
    if (bestEpoch == 0 && Double.isNaN(best)) {
      throw new IllegalStateException("BestCheckpoint: no epoch has been saved to " + file
          + " yet; call update(epoch, value, model) after each epoch");
    }
    model.load(file);
  }

  /** The best value so far (NaN before any epoch was saved). */
  public double bestValue() {
    return best;
  }

  /** The epoch whose weights the file holds (0 before any). */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** Where the best weights are kept. */
  public Path file() {
    return file;
  }
}

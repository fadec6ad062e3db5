package dev.flint.train;

import java.util.Objects;

/**
 * Stops training when a monitored value (usually the validation loss) has not improved for
 * {@code patience} epochs in a row, as Keras's {@code EarlyStopping} callback: an epoch improves
 * when its value beats the best so far by more than {@code minDelta}.
 *
 * <pre>{@code
 * EarlyStopping stop = new EarlyStopping(5);             // minimizes; .goal(Goal.MAXIMIZE) for accuracy
 * for (int epoch = 1; epoch <= 100; epoch++) {
 *   ...
 *   if (stop.update(validLoss)) break;                   // 5 epochs without a new best
 * }
 * }</pre>
 */
public final class EarlyStopping {
  private final int patience;
  private double minDelta;
  private Goal goal = Goal.MINIMIZE;
  private double best = Double.NaN;
  private int bestEpoch;
  private int epochs;
  private int sinceBest;

  /** Stops after {@code patience} (at least 1) epochs without improvement. */
  public EarlyStopping(int patience) {
    if (patience < 1) {
      throw new IllegalArgumentException("EarlyStopping: patience must be at least 1 epoch, but got " + patience);
    }
    this.patience = patience;
  }

  /** The least change that counts as an improvement (default 0: any). */
  public EarlyStopping minDelta(double minDelta) {
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("EarlyStopping: minDelta must be >= 0, but got " + minDelta);
    }
    this.minDelta = minDelta;
    return this;
  }

  /** Whether the value should go down (default) or up. */
  public EarlyStopping goal(Goal goal) {
    this.goal = Objects.requireNonNull(goal, "goal");
    return this;
  }

  /**
   * Records the value of the epoch that just ended and returns whether to stop now. A NaN value
   * never improves.
   */
  public boolean update(double value) {
    epochs++;
    if (goal.improves(value, best, minDelta)) {
      best = value;
      bestEpoch = epochs;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    return shouldStop();
  }

  /** Whether {@code patience} epochs have passed without improvement. */
  public boolean shouldStop() {
    return sinceBest >= patience;
  }

  /** The best value so far (NaN before the first epoch). */
  public double bestValue() {
    return best;
  }

  /** The epoch (1-based, counted by {@link #update}) of the best value; 0 before any. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The epochs since the best one. */
  public int epochsWithoutImprovement() {
    return sinceBest;
  }
}

package dev.flint.train;

/** Whether a monitored value improves by going down (a loss) or up (an accuracy). */
public enum Goal {
  /** Lower is better: losses, errors. */
  MINIMIZE,
  /** Higher is better: accuracy, R². */
  MAXIMIZE;

  /** Whether {@code value} beats {@code best} by more than {@code minDelta} (a NaN never does). */
  boolean improves(double value, double best, double minDelta) {
    if (Double.isNaN(value)) {
      return false;
    }
    if (Double.isNaN(best)) {
      return true;
    }
    return this == MINIMIZE ? value < best - minDelta : value > best + minDelta;
  }
}

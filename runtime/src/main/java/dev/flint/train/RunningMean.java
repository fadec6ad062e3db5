package dev.flint.train;

/**
 * The mean of a stream of values, optionally weighted: a batch's mean loss weighted by its size
 * gives the mean over samples, so a short last batch counts as much as its samples do.
 */
public final class RunningMean {
  private double sum;
  private double weight;
  private long count;

  /** Adds {@code value} with weight 1. */
  public void add(double value) {
    add(value, 1);
  }

  /** Adds {@code value} with weight {@code weight} (for a batch mean: the batch size). */
  public void add(double value, double weight) {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("RunningMean: a weight must be finite and >= 0, but got " + weight);
    }
    sum += value * weight;
    this.weight += weight;
    count++;
  }

  /** The weighted mean of the values added (NaN before the first). */
  public double mean() {
    return weight == 0 ? Double.NaN : sum / weight;
  }

  /** The number of values added. */
  public long count() {
    return count;
  }

  /** Forgets every value. */
  public void reset() {
    sum = 0;
    weight = 0;
    count = 0;
  }
}

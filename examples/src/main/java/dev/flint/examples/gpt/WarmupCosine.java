package dev.flint.examples.gpt;

/**
 * nanoGPT's learning-rate shape as a factor of the peak rate, for {@code LambdaLR}: linear warm-up
 * over {@code warmup} steps, then a cosine from 1 down to {@code floor} at step {@code horizon},
 * then {@code floor}. The horizon may be set once the run knows how many steps fit its time.
 */
public final class WarmupCosine {
  private final int warmup;
  private final double floor;
  private int horizon;

  public WarmupCosine(int warmup, int horizon, double floor) {
    if (warmup < 0 || !(floor >= 0 && floor <= 1)) {
      throw new IllegalArgumentException("WarmupCosine: need warmup >= 0 and 0 <= floor <= 1, but got warmup " + warmup
          + ", floor " + floor);
    }
    this.warmup = warmup;
    this.floor = floor;
    setHorizon(horizon);
  }

  /** The step at which the cosine reaches the floor (at least the warm-up's end). */
  public void setHorizon(int horizon) {
    this.horizon = Math.max(horizon, warmup + 1);
  }

  public int horizon() {
    return horizon;
  }

  public int warmup() {
    return warmup;
  }

  /** The factor before optimizer step {@code step} (0-based). */
  public double factor(int step) {
    if (step < warmup) {
      return (step + 1.0) / warmup;
    }
    if (step >= horizon) {
      return floor;
    }
    double progress = (double) (step - warmup) / (horizon - warmup);
    return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}

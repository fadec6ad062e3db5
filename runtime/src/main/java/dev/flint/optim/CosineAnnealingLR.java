package dev.flint.optim;

/**
 * Anneals the learning rate along a cosine from its base value to {@code etaMin} over
 * {@code tMax} epochs, as {@code torch.optim.lr_scheduler.CosineAnnealingLR}:
 * lr(t) = η_min + (base_lr − η_min)(1 + cos(πt / T_max)) / 2, rising again after T_max. Like
 * PyTorch, each step derives the new rate from the current one (so a rate changed by hand is
 * followed), which equals the closed form when nothing else changes the rate.
 */
public final class CosineAnnealingLR extends LRScheduler {
  private final int tMax;
  private final double etaMin;

  /** A cosine schedule down to 0. */
  public CosineAnnealingLR(Optimizer optimizer, int tMax) {
    this(optimizer, tMax, 0);
  }

  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
    super(optimizer);
    if (tMax <= 0) {
      throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, but got " + tMax);
    }
    this.tMax = tMax;
    this.etaMin = etaMin;
  }

  @Override
  protected double computeLr() {
    int t = lastEpoch();
    double lr = optimizer().lr();
    if ((t - 1 - tMax) % (2 * tMax) == 0) {
      // Leaving the minimum: the recursive ratio below would divide by zero here.
      return lr + (baseLr() - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
    }
    return (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax)) * (lr - etaMin) + etaMin;
  }
}

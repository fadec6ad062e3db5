package dev.flint.optim;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, as
 * {@code torch.optim.lr_scheduler.StepLR}: lr = base_lr · gamma^⌊epoch / stepSize⌋ (computed, as
 * PyTorch does, by multiplying the current rate at each boundary).
 */
public final class StepLR extends LRScheduler {
  private final int stepSize;
  private final double gamma;

  /** A StepLR with gamma 0.1. */
  public StepLR(Optimizer optimizer, int stepSize) {
    this(optimizer, stepSize, 0.1);
  }

  public StepLR(Optimizer optimizer, int stepSize, double gamma) {
    super(optimizer);
    if (stepSize <= 0) {
      throw new IllegalArgumentException("StepLR: stepSize must be positive, but got " + stepSize);
    }
    this.stepSize = stepSize;
    this.gamma = gamma;
  }

  @Override
  protected double computeLr() {
    double lr = optimizer().lr();
    return lastEpoch() % stepSize == 0 ? lr * gamma : lr;
  }
}

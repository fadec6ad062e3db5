package dev.flint.optim;

import java.util.function.IntToDoubleFunction;

/**
 * Sets the learning rate to the base rate times a factor of the step count, as
 * {@code torch.optim.lr_scheduler.LambdaLR}: lr(t) = base_lr · λ(t), with λ(0) applied at
 * construction. Warm-up followed by a cosine decay, say, is
 * {@code t -> t < w ? (t + 1.0) / w : min + (1 - min) * (1 + cos(π (t - w) / (n - w))) / 2}.
 */
public final class LambdaLR extends LRScheduler {
  private final IntToDoubleFunction factor;

  /** Applies {@code factor}(0) to the optimizer's current rate, which becomes the base rate. */
  public LambdaLR(Optimizer optimizer, IntToDoubleFunction factor) {
    super(optimizer);
    if (factor == null) {
      throw new IllegalArgumentException("LambdaLR: factor is null");
    }
    this.factor = factor;
    applyLr();
  }

  @Override
  protected double computeLr() {
    double f = factor.applyAsDouble(lastEpoch());
    if (!Double.isFinite(f) || f < 0) {
      throw new IllegalStateException("LambdaLR: the factor at step " + lastEpoch() + " is " + f
          + "; it must be a finite number >= 0");
    }
    return baseLr() * f;
  }
}

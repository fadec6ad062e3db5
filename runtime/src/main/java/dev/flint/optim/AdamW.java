package dev.flint.optim;

import dev.flint.tensor.Tensor;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: each step first shrinks the
 * parameter, θ ← θ(1 − γλ), then applies Adam's update to the undecayed gradient. Defaults as
 * {@link Adam} except weight decay 0.01.
 */
public final class AdamW extends Adam {
  /** With PyTorch's default learning rate, 0.001. */
  public AdamW(Iterable<Tensor> params) {
    this(params, 1e-3);
  }

  public AdamW(Iterable<Tensor> params, double lr) {
    super(params, lr, true, 0.01);
  }

  @Override
  public AdamW betas(double beta1, double beta2) {
    super.betas(beta1, beta2);
    return this;
  }

  @Override
  public AdamW eps(double eps) {
    super.eps(eps);
    return this;
  }

  @Override
  public AdamW weightDecay(double weightDecay) {
    super.weightDecay(weightDecay);
    return this;
  }

  @Override
  public AdamW amsgrad(boolean amsgrad) {
    super.amsgrad(amsgrad);
    return this;
  }
}

package dev.flint.nn;

import dev.flint.autograd.NamedNode;
import dev.flint.tensor.Tensor;

/**
 * The Huber-like smooth L1 error, as {@code torch.nn.SmoothL1Loss}: with d = |xᵢ − yᵢ|, the loss is
 * 0.5·d²/β where d &lt; β and d − 0.5·β elsewhere (β = 0 gives the L1 loss). Default β = 1.
 */
public final class SmoothL1Loss extends Loss {
  private final double beta;

  /** The mean smooth L1 loss with β = 1. */
  public SmoothL1Loss() {
    this(Reduction.MEAN, 1.0);
  }

  public SmoothL1Loss(Reduction reduction) {
    this(reduction, 1.0);
  }

  public SmoothL1Loss(Reduction reduction, double beta) {
    super(reduction);
    if (!(beta >= 0)) {
      throw new IllegalArgumentException("SmoothL1Loss: beta must be >= 0, but got " + beta);
    }
    this.beta = beta;
  }

  public double beta() {
    return beta;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return NamedNode.name(compute(input, target), "SmoothL1LossBackward");   // PyTorch's grad_fn name
  }

  private Tensor compute(Tensor input, Tensor target) {
    checkSameShapeFloat(input, target);
    Tensor d = input.sub(target).abs();
    if (beta == 0) {
      return reduction().apply(d);
    }
    Tensor perElement = Tensor.where(d.lt(beta), d.mul(d).mul(0.5 / beta), d.sub(0.5 * beta));
    return reduction().apply(perElement);
  }
}

package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * The squared error (xᵢ − yᵢ)², reduced, as {@code torch.nn.MSELoss}. Input and target have one
 * shape (unlike PyTorch, which warns and broadcasts, a mismatch is an error).
 */
public final class MSELoss extends Loss {
  /** The mean squared error. */
  public MSELoss() {
    this(Reduction.MEAN);
  }

  public MSELoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    checkSameShapeFloat(input, target);
    Tensor d = input.sub(target);
    return reduction().apply(d.mul(d));
  }
}

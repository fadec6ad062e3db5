package dev.flint.nn;

import dev.flint.autograd.NamedNode;
import dev.flint.tensor.Tensor;

/** The absolute error |xᵢ − yᵢ|, reduced, as {@code torch.nn.L1Loss}. Input and target have one shape. */
public final class L1Loss extends Loss {
  /** The mean absolute error. */
  public L1Loss() {
    this(Reduction.MEAN);
  }

  public L1Loss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return NamedNode.name(compute(input, target), "L1LossBackward");   // PyTorch's grad_fn name
  }

  private Tensor compute(Tensor input, Tensor target) {
    checkSameShapeFloat(input, target);
    return reduction().apply(input.sub(target).abs());
  }
}

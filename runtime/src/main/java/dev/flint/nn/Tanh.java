package dev.flint.nn;

import dev.flint.tensor.Tensor;

/** The hyperbolic tangent elementwise ({@code torch.nn.Tanh}); any shape. */
public class Tanh extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return F.tanh(input);
  }
}

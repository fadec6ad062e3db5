package dev.flint.nn;

import dev.flint.tensor.Tensor;

/** The rectifier {@code max(x, 0)} elementwise ({@code torch.nn.ReLU}); any shape. */
public class ReLU extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return F.relu(input);
  }
}

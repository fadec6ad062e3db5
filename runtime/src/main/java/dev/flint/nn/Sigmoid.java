package dev.flint.nn;

import dev.flint.tensor.Tensor;

/** The logistic function {@code 1 / (1 + e^−x)} elementwise ({@code torch.nn.Sigmoid}); any shape. */
public class Sigmoid extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return F.sigmoid(input);
  }
}

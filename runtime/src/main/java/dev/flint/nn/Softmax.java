package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * Softmax along {@code dim} ({@code torch.nn.Softmax}): {@code y_i = e^(x_i) / Σ_j e^(x_j)}, computed
 * stably; same shape as the input.
 */
public class Softmax extends Module {
  private final int dim;

  public Softmax(int dim) {
    this.dim = dim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.softmax(input, dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}

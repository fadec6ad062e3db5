package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * Log-softmax along {@code dim} ({@code torch.nn.LogSoftmax}): {@code y_i = x_i − log Σ_j e^(x_j)},
 * computed stably; same shape as the input.
 */
public class LogSoftmax extends Module {
  private final int dim;

  public LogSoftmax(int dim) {
    this.dim = dim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.logSoftmax(input, dim);
  }

  @Override
  protected String extraRepr() {
    return "dim=" + dim;
  }
}

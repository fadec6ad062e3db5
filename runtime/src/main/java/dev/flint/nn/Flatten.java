package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * Flattens dimensions {@code startDim..endDim} into one ({@code torch.nn.Flatten}); by default all but
 * the batch dimension: {@code [N, C, H, W] -> [N, C·H·W]}.
 */
public class Flatten extends Module {
  private final int startDim;
  private final int endDim;

  /** Flattens all dimensions after the first. */
  public Flatten() {
    this(1, -1);
  }

  /** Flattens dimensions {@code startDim} to {@code endDim} (inclusive; negative counts from the end). */
  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.flatten(input, startDim, endDim);
  }

  @Override
  protected String extraRepr() {
    return "start_dim=" + startDim + ", end_dim=" + endDim;
  }
}

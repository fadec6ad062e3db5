package dev.flint.nn;

import dev.flint.tensor.Tensor;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
  /** The average over elements (for weighted losses: the weighted average), a 0-d tensor. */
  MEAN,
  /** The sum over elements, a 0-d tensor. */
  SUM,
  /** No reduction: one loss value per element (per sample for class losses). */
  NONE;

  /** Applies this reduction to per-element losses, mean being the plain average. */
  public Tensor apply(Tensor perElement) {
    switch (this) {
      case MEAN: return perElement.mean();
      case SUM: return perElement.sum();
      default: return perElement;
    }
  }
}

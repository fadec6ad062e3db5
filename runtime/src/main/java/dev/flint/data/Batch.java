package dev.flint.data;

import dev.flint.tensor.Tensor;
import java.util.Objects;

/**
 * A batch of samples as a {@link DataLoader} yields it: the inputs {@code x} and targets {@code y}
 * stacked along a new first dimension ({@code x: [batch, ...]}, {@code y: [batch, ...]}). The
 * targets are null when the samples have none.
 */
public record Batch(Tensor x, Tensor y) {
  public Batch {
    Objects.requireNonNull(x, "a batch's x must not be null");
    if (y != null && x.dim() > 0 && y.dim() > 0 && x.size(0) != y.size(0)) {
      throw new IllegalArgumentException(
          "a batch's x and y must have the same first dimension, but x has " + x.size(0) + " rows and y has " + y.size(0));
    }
  }

  /** The number of samples: the first dimension of {@code x}. */
  public int size() {
    return x.dim() == 0 ? 1 : x.size(0);
  }
}

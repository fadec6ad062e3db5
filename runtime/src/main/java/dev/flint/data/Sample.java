package dev.flint.data;

import dev.flint.tensor.Tensor;
import java.util.Objects;

/**
 * One example of a supervised dataset: the input {@code x} and its target {@code y}. The target
 * is null for datasets without one (unsupervised data, or features read without a target column).
 */
public record Sample(Tensor x, Tensor y) {
  public Sample {
    Objects.requireNonNull(x, "a sample's x must not be null");
  }

  /** A sample without a target. */
  public static Sample of(Tensor x) {
    return new Sample(x, null);
  }
}

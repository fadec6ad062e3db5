package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * The leaky rectifier ({@code torch.nn.LeakyReLU}): {@code x} where {@code x > 0}, else
 * {@code negativeSlope·x} (default slope 0.01); any shape.
 */
public class LeakyReLU extends Module {
  private final double negativeSlope;

  /** Slope 0.01 for negative inputs. */
  public LeakyReLU() {
    this(0.01);
  }

  public LeakyReLU(double negativeSlope) {
    this.negativeSlope = negativeSlope;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.leakyRelu(input, negativeSlope);
  }

  @Override
  protected String extraRepr() {
    return "negative_slope=" + negativeSlope;
  }
}

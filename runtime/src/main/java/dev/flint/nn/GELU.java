package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * The Gaussian error linear unit ({@code torch.nn.GELU}): {@code x·Φ(x) = x/2·(1 + erf(x/√2))}, or
 * with {@code approximate = "tanh"}: {@code x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}; any shape.
 */
public class GELU extends Module {
  private final String approximate;

  /** The exact form, with erf. */
  public GELU() {
    this("none");
  }

  /** {@code "none"} (exact, with erf) or {@code "tanh"} (the approximation). */
  public GELU(String approximate) {
    F.checkGeluApproximation(approximate);
    this.approximate = approximate;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.gelu(input, approximate);
  }

  @Override
  protected String extraRepr() {
    return "approximate='" + approximate + "'";
  }
}

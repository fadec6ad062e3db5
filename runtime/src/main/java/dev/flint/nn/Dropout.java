package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * Inverted dropout ({@code torch.nn.Dropout}): in training, each element is zeroed with probability
 * {@code p} and the survivors are scaled by {@code 1/(1−p)}, so the expected value is unchanged; in
 * evaluation mode it is the identity. The mask comes from the default generator. Any shape.
 */
public class Dropout extends Module {
  private final double p;

  /** Drops with probability 0.5. */
  public Dropout() {
    this(0.5);
  }

  public Dropout(double p) {
    F.checkProbability(p);
    this.p = p;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.dropout(input, p, isTraining());
  }

  @Override
  protected String extraRepr() {
    return "p=" + p + ", inplace=False";
  }
}

package dev.flint.nn;

import dev.flint.autograd.NamedNode;
import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
/**
 * The binary cross entropy between probabilities x and targets y, as {@code torch.nn.BCELoss}:
 * −w·(y·log x + (1 − y)·log(1 − x)), with each log clamped to ≥ −100 as PyTorch does, so x = 0 or 1
 * gives a finite loss. Inputs must lie in [0, 1]; for raw scores use {@link BCEWithLogitsLoss},
 * which is also more stable. The optional weight broadcasts against the input.
 */
public final class BCELoss extends Loss {
  private static final double LOG_FLOOR = -100;

  private Tensor weight;

  /** The mean binary cross entropy. */
  public BCELoss() {
    this(Reduction.MEAN);
  }

  public BCELoss(Reduction reduction) {
    super(reduction);
  }

  /** Rescales each element's loss by {@code weight} (broadcast against the input); returns this. */
  public BCELoss weight(Tensor weight) {
    if (weight != null) {
      checkFloat("weight", weight);
    }
    this.weight = weight;
    return this;
  }

  public Tensor weight() {
    return weight;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return NamedNode.name(compute(input, target), "BinaryCrossEntropyBackward");   // PyTorch's grad_fn name
  }

  private Tensor compute(Tensor input, Tensor target) {
    checkSameShapeFloat(input, target);
    if (weight != null) {
      checkBroadcastsTo("weight", weight, input);
    }
    double[] x = input.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] >= 0 && x[i] <= 1)) {
        throw new IllegalArgumentException(
            "BCELoss: all elements of input should be between 0 and 1, but input" + index(i, Internals.shapeRef(input))
                + " is " + x[i] + "; apply sigmoid first, or use BCEWithLogitsLoss on raw scores");
      }
    }
    Tensor logX = clampedLog(input);
    Tensor log1mX = clampedLog(input.neg().add(1));
    Tensor oneMinusY = target.neg().add(1);
    Tensor perElement = target.mul(logX).add(oneMinusY.mul(log1mX)).neg();
    if (weight != null) {
      perElement = perElement.mul(weight.dtype() == input.dtype() ? weight : weight.to(input.dtype()));
    }
    return reduction().apply(perElement);
  }

  /**
   * max(log v, −100), where v is x or 1 − x. Masking the argument before the log keeps the gradient
   * of the clamped elements 0 instead of 0·∞ = NaN.
   */
  private static Tensor clampedLog(Tensor v) {
    Tensor keep = v.detach().log().gt(LOG_FLOOR);
    Tensor safe = Tensor.where(keep, v, 1);
    return Tensor.where(keep, safe.log(), LOG_FLOOR);
  }
}

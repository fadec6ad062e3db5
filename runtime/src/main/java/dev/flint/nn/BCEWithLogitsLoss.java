package dev.flint.nn;

import dev.flint.autograd.NamedNode;
import dev.flint.tensor.Tensor;

/**
 * Sigmoid and binary cross entropy in one stable step, as {@code torch.nn.BCEWithLogitsLoss}: for
 * logits x, targets y and positive-class weight p,
 * (1 − y)·x + (1 + (p − 1)·y)·softplus(−x), with softplus(−x) = m + log(e^(−m) + e^(−x−m)) and
 * m = max(−x, 0) (no overflow for any x, and the exact gradient σ(x) − y even at x = 0). Without a
 * pos weight this is max(x, 0) − x·y + log(1 + e^(−|x|)). {@code posWeight} broadcasts against the
 * last dimension (one weight per class); {@code weight} rescales each element.
 */
public final class BCEWithLogitsLoss extends Loss {
  private Tensor weight;
  private Tensor posWeight;

  /** The mean loss, no weights. */
  public BCEWithLogitsLoss() {
    this(Reduction.MEAN);
  }

  public BCEWithLogitsLoss(Reduction reduction) {
    super(reduction);
  }

  /** Weights the positive term of each class (a tensor broadcast against the target); returns this. */
  public BCEWithLogitsLoss posWeight(Tensor posWeight) {
    if (posWeight != null) {
      checkFloat("posWeight", posWeight);
    }
    this.posWeight = posWeight;
    return this;
  }

  /** Rescales each element's loss by {@code weight} (broadcast against the input); returns this. */
  public BCEWithLogitsLoss weight(Tensor weight) {
    if (weight != null) {
      checkFloat("weight", weight);
    }
    this.weight = weight;
    return this;
  }

  public Tensor posWeight() {
    return posWeight;
  }

  public Tensor weight() {
    return weight;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return NamedNode.name(compute(input, target), "BinaryCrossEntropyWithLogitsBackward");   // PyTorch's grad_fn name
  }

  private Tensor compute(Tensor input, Tensor target) {
    checkSameShapeFloat(input, target);
    if (posWeight != null) {
      checkBroadcastsTo("posWeight", posWeight, input);
    }
    if (weight != null) {
      checkBroadcastsTo("weight", weight, input);
    }
    Tensor m = input.neg().relu();
    Tensor softplusNeg = m.add(m.neg().exp().add(input.neg().sub(m).exp()).log());
    Tensor logWeight = posWeight == null ? null : same(posWeight, input).sub(1).mul(target).add(1);
    Tensor perElement = target.neg().add(1).mul(input)
        .add(logWeight == null ? softplusNeg : logWeight.mul(softplusNeg));
    if (weight != null) {
      perElement = perElement.mul(same(weight, input));
    }
    return reduction().apply(perElement);
  }

  private static Tensor same(Tensor t, Tensor like) {
    return t.dtype() == like.dtype() ? t : t.to(like.dtype());
  }
}

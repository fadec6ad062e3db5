package dev.flint.nn;

import dev.flint.autograd.NamedNode;
import dev.flint.internal.Internals;
import dev.flint.nn.NLLLoss.ClassTargets;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The cross entropy between logits and targets, as {@code torch.nn.CrossEntropyLoss}: log-softmax
 * over the class dimension (1; 0 for an unbatched [C] input), then the negative log likelihood.
 * Input: logits [N, C] or [N, C, d1, ...] or [C]. Target, either:
 * <ul>
 *   <li>class indices, INT64 of shape [N] (or [N, d1, ...], or []): element n's loss is
 *       (1 − ε)·w[yₙ]·(−log pₙ[yₙ]) + (ε/C)·Σ_c w[c]·(−log pₙ[c]) with label smoothing ε; targets
 *       equal to {@code ignoreIndex} (default −100) give 0, and the mean divides by Σ w[yₙ] over the
 *       others;</li>
 *   <li>class probabilities, a float tensor of the input's shape: element n's loss is
 *       −Σ_c w[c]·qₙ[c]·log pₙ[c] with q = (1 − ε)·y + ε/C; the mean divides by N·d1·….</li>
 * </ul>
 * w is the optional class weight (1 without one).
 */
public final class CrossEntropyLoss extends Loss {
  private Tensor weight;
  private long ignoreIndex = -100;
  private double labelSmoothing;

  /** The mean cross entropy. */
  public CrossEntropyLoss() {
    this(Reduction.MEAN);
  }

  public CrossEntropyLoss(Reduction reduction) {
    super(reduction);
  }

  /** Weights each class by {@code weight[c]} (a 1-D float tensor of size C); returns this. */
  public CrossEntropyLoss weight(Tensor weight) {
    if (weight != null) {
      checkFloat("weight", weight);
      if (weight.dim() != 1) {
        throw new IllegalArgumentException(
            "CrossEntropyLoss: weight must be 1-D with one value per class, but has shape "
                + Arrays.toString(Internals.shapeRef(weight)));
      }
    }
    this.weight = weight;
    return this;
  }

  /** Sets the class-index target that contributes nothing (default −100); returns this. */
  public CrossEntropyLoss ignoreIndex(long ignoreIndex) {
    this.ignoreIndex = ignoreIndex;
    return this;
  }

  /** Sets the label smoothing ε in [0, 1] (default 0); returns this. */
  public CrossEntropyLoss labelSmoothing(double labelSmoothing) {
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new IllegalArgumentException(
          "CrossEntropyLoss: labelSmoothing must be in [0, 1], but got " + labelSmoothing);
    }
    this.labelSmoothing = labelSmoothing;
    return this;
  }

  public Tensor weight() {
    return weight;
  }

  public long ignoreIndex() {
    return ignoreIndex;
  }

  public double labelSmoothing() {
    return labelSmoothing;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return NamedNode.name(compute(input, target), "NllLossBackward");   // PyTorch's grad_fn name
  }

  private Tensor compute(Tensor input, Tensor target) {
    checkFloat("input", input);
    if (input.dim() == 0) {
      throw new IllegalArgumentException("CrossEntropyLoss: input must have a class dimension, but is 0-d");
    }
    boolean unbatched = input.dim() == 1;
    Tensor x = unbatched ? input.reshape(1, input.size(0)) : input;
    int classes = x.size(1);
    if (weight != null && weight.numel() != classes) {
      throw new IllegalArgumentException(
          "CrossEntropyLoss: weight has " + weight.numel() + " values, but the input has " + classes
              + " classes (dimension " + (unbatched ? 0 : 1) + " of shape " + Arrays.toString(Internals.shapeRef(input)) + ")");
    }
    Tensor logP = x.logSoftmax(1);
    DType t = target.dtype();
    if (t.isFloatingPoint() && Arrays.equals(Internals.shapeRef(target), Internals.shapeRef(input))) {
      if (t != input.dtype()) {
        throw new IllegalArgumentException(
            "CrossEntropyLoss: input is " + input.dtype().shortName() + " but the probability target is "
                + t.shortName() + "; convert the target with target.to(DType." + input.dtype() + ")");
      }
      return probabilities(logP, unbatched ? target.reshape(1, classes) : target, classes, unbatched);
    }
    if (t == DType.INT64 && Arrays.equals(Internals.shapeRef(target), ClassTargets.expectedShape(input))) {
      return classIndices(logP, unbatched ? target.reshape(1) : target, classes, unbatched);
    }
    throw new IllegalArgumentException(
        "CrossEntropyLoss: expected target of dtype INT64 with shape " + Arrays.toString(ClassTargets.expectedShape(input))
            + " (class indices) or a float tensor of shape " + Arrays.toString(Internals.shapeRef(input))
            + " (probabilities), but got " + t.shortName() + " " + Arrays.toString(Internals.shapeRef(target))
            + (t.isFloatingPoint() && target.numel() * classes == input.numel()
                ? "; class indices stored as floats must be converted with target.to(DType.INT64)"
                : t == DType.INT32 ? "; convert the target with target.to(DType.INT64) (PyTorch also refuses Int targets)"
                : ""));
  }

  private Tensor classIndices(Tensor logP, Tensor target, int classes, boolean unbatched) {
    ClassTargets targets = ClassTargets.of("CrossEntropyLoss", logP, target, weight, ignoreIndex);
    Tensor perElement = targets.pick(logP).neg().mul(targets.weights);
    if (labelSmoothing > 0) {
      Tensor smooth = weighted(logP).sum(1).neg().mul(targets.kept);
      perElement = perElement.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing / classes));
    }
    return targets.reduce(reduction(), perElement, unbatched);
  }

  private Tensor probabilities(Tensor logP, Tensor target, int classes, boolean unbatched) {
    Tensor q = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
    Tensor perElement = weighted(logP.mul(q)).sum(1).neg();
    switch (reduction()) {
      case MEAN: return perElement.mean();
      case SUM: return perElement.sum();
      default: return unbatched ? perElement.reshape() : perElement;
    }
  }

  /** {@code v · w[c]} along dimension 1, or {@code v} without class weights. */
  private Tensor weighted(Tensor v) {
    if (weight == null) {
      return v;
    }
    int[] view = new int[v.dim()];
    Arrays.fill(view, 1);
    view[1] = weight.numel();
    Tensor w = weight.dtype() == v.dtype() ? weight : weight.to(v.dtype());
    return v.mul(w.reshape(view));
  }
}

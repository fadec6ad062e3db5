package dev.flint.nn;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.NamedNode;
import dev.flint.autograd.Node;
import dev.flint.compiled.BufferPool;
import dev.flint.compiled.Buffers;
import dev.flint.internal.Internals;
import dev.flint.kernel.Kernels;
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
 *
 * <p>Class indices for contiguous [N, C] logits, without class weights or label smoothing, and with a
 * mean or sum, run as one fused op (Note [Fused cross entropy]); everything else is the composition
 * logSoftmax, gather, reduce of the op table, which is also the reference the fused form is tested against.
 */
public final class CrossEntropyLoss extends Loss {
  /** Each graph's row log-sum-exps and input gradient, reused once the graph's backward has freed it. */
  private final BufferPool buffers = new BufferPool(2);
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
    if (fusable(input, target)) {
      return fused(input, target);
    }
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

  // Note [Fused cross entropy]
  // With class indices and no class weights or smoothing, L = s · Σₙ (lseₙ − x[n, yₙ]) over the rows
  // not ignored, lseₙ = log Σ_c exp x[n, c], s = 1 / (rows kept) for the mean or 1 for the sum, so
  // dL/dx[n, c] = s · g · (exp(x[n, c] − lseₙ) − [c = yₙ]). One pass forward (which keeps lse) and one
  // backward, into buffers the loss keeps (BufferPool's protocol, as MSELoss): a training step
  // allocates no batch-sized arrays for the loss (the eager composition made about ten).

  private boolean fusable(Tensor input, Tensor target) {
    return weight == null && labelSmoothing == 0 && reduction() != Reduction.NONE && input.dim() == 2
        && input.isContiguous() && target.dtype() == DType.INT64 && target.dim() == 1
        && target.size(0) == input.size(0) && target.isContiguous();
  }

  private Tensor fused(Tensor input, Tensor target) {
    boolean record = GradMode.isEnabled() && input.requiresGrad();
    Tensor[] set = buffers.claim();
    Tensor lse = set[0] = Buffers.reuse(set[0], DType.FLOAT64, input.size(0));
    double sum = Kernels.crossEntropySum("CrossEntropyLoss", input, target, ignoreIndex, lse);
    double scale = reduction() == Reduction.MEAN ? 1.0 / Kernels.crossEntropyKept(target, ignoreIndex) : 1.0;
    // a mean over no kept targets is 0 · ∞ = NaN, as PyTorch's
    Tensor loss = Tensor.scalar(reduction() == Reduction.MEAN ? sum * scale : sum, input.dtype());
    if (record) {
      Internals.setGradFn(loss, new Backward(input, target, ignoreIndex, scale, buffers, set));
    } else {
      buffers.giveBack(set);
    }
    return loss;
  }

  /** The backward of the fused cross entropy (Note [Fused cross entropy]). */
  private static final class Backward extends Node {
    private final Tensor[] inputs;
    private final long ignoreIndex;
    private final double scale;
    private final BufferPool pool;
    private Tensor[] set;
    private final Tensor[] grads = new Tensor[2];
    private final int inputVersion;
    private final int targetVersion;

    Backward(Tensor input, Tensor target, long ignoreIndex, double scale, BufferPool pool, Tensor[] set) {
      this.inputs = new Tensor[] {input, target};
      this.inputVersion = input.storage().version();
      this.targetVersion = target.storage().version();
      this.ignoreIndex = ignoreIndex;
      this.scale = scale;
      this.pool = pool;
      this.set = set;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      Loss.checkUnmodified(name(), "input", x, inputVersion);
      Loss.checkUnmodified(name(), "target", y, targetVersion);
      Tensor dx = set[1] = Buffers.reuse(set[1], x.dtype(), Internals.shapeRef(x));
      grads[0] = Kernels.crossEntropyGrad(x, y, ignoreIndex, set[0], scale * grad.item(), dx);
      grads[1] = null;
      return grads;
    }

    @Override
    protected void releaseSaved() {
      pool.giveBack(set);
      set = null;
      inputs[0] = null;
      inputs[1] = null;
    }

    @Override
    public String name() {
      return "NllLossBackward";
    }
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

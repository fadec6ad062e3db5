package dev.flint.nn;

import dev.flint.autograd.NamedNode;
import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The negative log likelihood of class-index targets, as {@code torch.nn.NLLLoss}: for log
 * probabilities x of shape [N, C] (or [N, C, d1, ...], or [C] unbatched) and INT64 targets y of
 * shape [N] (or [N, d1, ...], or []), the loss of element n is −w[yₙ]·x[n, yₙ]. Targets equal to
 * {@code ignoreIndex} (default −100) contribute 0, and the mean divides by the total weight
 * Σ w[yₙ] of the others (the count when there are no class weights).
 */
public final class NLLLoss extends Loss {
  private Tensor weight;
  private long ignoreIndex = -100;

  /** The mean negative log likelihood. */
  public NLLLoss() {
    this(Reduction.MEAN);
  }

  public NLLLoss(Reduction reduction) {
    super(reduction);
  }

  /** Weights each class's loss by {@code weight[c]} (a 1-D float tensor of size C); returns this. */
  public NLLLoss weight(Tensor weight) {
    this.weight = checkClassWeight(weight);
    return this;
  }

  /** Sets the target value that contributes nothing (default −100); returns this. */
  public NLLLoss ignoreIndex(long ignoreIndex) {
    this.ignoreIndex = ignoreIndex;
    return this;
  }

  public Tensor weight() {
    return weight;
  }

  public long ignoreIndex() {
    return ignoreIndex;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return NamedNode.name(compute(input, target), "NllLossBackward");   // PyTorch's grad_fn name
  }

  private Tensor compute(Tensor input, Tensor target) {
    checkFloat("input", input);
    if (input.dim() == 0) {
      throw new IllegalArgumentException("NLLLoss: input must have a class dimension, but is 0-d");
    }
    if (target.dtype() != DType.INT64
        || !Arrays.equals(Internals.shapeRef(target), ClassTargets.expectedShape(input))) {
      throw new IllegalArgumentException(
          "NLLLoss: expected target of dtype INT64 with shape " + Arrays.toString(ClassTargets.expectedShape(input))
              + " (class indices) for input of shape " + Arrays.toString(Internals.shapeRef(input)) + ", but got "
              + target.dtype().shortName() + " " + Arrays.toString(Internals.shapeRef(target))
              + (target.dtype() != DType.INT64 ? "; convert the target with target.to(DType.INT64)" : ""));
    }
    boolean unbatched = input.dim() == 1;
    Tensor x = unbatched ? input.reshape(1, input.size(0)) : input;
    Tensor y = unbatched ? target.reshape(1) : target;
    ClassTargets targets = ClassTargets.of(name(), x, y, weight, ignoreIndex);
    Tensor perElement = targets.pick(x).neg().mul(targets.weights);
    return targets.reduce(reduction(), perElement, unbatched);
  }

  /** Validates a class-weight tensor (null allowed). */
  Tensor checkClassWeight(Tensor weight) {
    if (weight != null) {
      checkFloat("weight", weight);
      if (weight.dim() != 1) {
        throw new IllegalArgumentException(
            name() + ": weight must be 1-D with one value per class, but has shape " + Arrays.toString(Internals.shapeRef(weight)));
      }
    }
    return weight;
  }

  /**
   * Validated class-index targets for input [N, C, d...] and target [N, d...]: the indices to
   * gather (ignored ones replaced by 0), each element's weight w[yₙ] (0 where ignored) and their sum.
   */
  static final class ClassTargets {
    /** INT64 [N, 1, d...]. */
    final Tensor index;
    /** The input's dtype, [N, d...]: w[yₙ], or 1 without class weights; 0 where ignored. */
    final Tensor weights;
    /** The input's dtype, [N, d...]: 1, or 0 where ignored. */
    final Tensor kept;
    final double totalWeight;

    private ClassTargets(Tensor index, Tensor weights, Tensor kept, double totalWeight) {
      this.index = index;
      this.weights = weights;
      this.kept = kept;
      this.totalWeight = totalWeight;
    }

    /** The target shape class indices need: the input's shape without dimension 1 ([] for a 1-D input). */
    static int[] expectedShape(Tensor input) {
      int[] s = Internals.shapeRef(input);
      if (s.length <= 1) {
        return new int[0];
      }
      int[] out = new int[s.length - 1];
      out[0] = s[0];
      System.arraycopy(s, 2, out, 1, s.length - 2);
      return out;
    }

    static ClassTargets of(String loss, Tensor input, Tensor target, Tensor classWeight, long ignoreIndex) {
      int classes = input.size(1);
      if (classWeight != null && classWeight.numel() != classes) {
        throw new IllegalArgumentException(
            loss + ": weight has " + classWeight.numel() + " values, but the input has " + classes
                + " classes (dimension 1 of shape " + Arrays.toString(Internals.shapeRef(input)) + ")");
      }
      double[] w = classWeight == null ? null : classWeight.toDoubleArray();
      long[] y = target.toLongArray();
      long[] index = new long[y.length];
      double[] weights = new double[y.length];
      double[] kept = new double[y.length];
      double total = 0;
      for (int i = 0; i < y.length; i++) {
        if (y[i] == ignoreIndex) {
          continue;
        }
        if (y[i] < 0 || y[i] >= classes) {
          throw new IllegalArgumentException(
              loss + ": target " + y[i] + " is out of range for " + classes + " classes (at "
                  + (target.dim() == 1 ? "batch index " + i : "target index " + index(i, Internals.shapeRef(target))) + ")");
        }
        index[i] = y[i];
        weights[i] = w == null ? 1 : w[(int) y[i]];
        kept[i] = 1;
        total += weights[i];
      }
      int[] shape = target.shape();
      int[] indexShape = new int[shape.length + 1];
      indexShape[0] = shape[0];
      indexShape[1] = 1;
      System.arraycopy(shape, 1, indexShape, 2, shape.length - 1);
      return new ClassTargets(Tensor.of(index, indexShape), like(weights, shape, input), like(kept, shape, input), total);
    }

    /** input[n, yₙ, ...] for every target element, shape [N, d...]. */
    Tensor pick(Tensor input) {
      return input.gather(1, index).squeeze(1);
    }

    /** Reduces per-element losses; the mean is weighted (divides by the total weight), as PyTorch's. */
    Tensor reduce(Reduction reduction, Tensor perElement, boolean unbatched) {
      switch (reduction) {
        case MEAN: return perElement.sum().div(totalWeight);
        case SUM: return perElement.sum();
        default: return unbatched ? perElement.reshape() : perElement;
      }
    }

    private static Tensor like(double[] values, int[] shape, Tensor input) {
      if (input.dtype() == DType.FLOAT64) {
        return Tensor.of(values, shape);
      }
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      return Tensor.of(f, shape);
    }
  }
}

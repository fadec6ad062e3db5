package dev.flint.nn;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * A fully connected layer ({@code torch.nn.Linear}): {@code y = x·Wᵀ + b}.
 *
 * <p>Shapes: {@code x: [*, in] -> y: [*, out]}; {@code weight: [out, in]}, {@code bias: [out]}.
 * Initialised as PyTorch does (kaiming_uniform with a = √5): weight and bias uniform in
 * {@code [−1/√in, 1/√in]}, drawn from the default generator.
 */
public class Linear extends Module {
  /** The weight {@code [out, in]}. */
  public final Tensor weight;
  /** The bias {@code [out]}, or null when built without one. */
  public final Tensor bias;
  private final int inFeatures;
  private final int outFeatures;

  /** A layer from {@code inFeatures} to {@code outFeatures} with a bias. */
  public Linear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true);
  }

  /** A layer from {@code inFeatures} to {@code outFeatures}, with a bias if {@code bias}. */
  public Linear(int inFeatures, int outFeatures, boolean bias) {
    if (inFeatures < 0 || outFeatures < 0) {
      throw new IllegalArgumentException("Linear: in_features and out_features must be >= 0, but got "
          + inFeatures + " and " + outFeatures);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    double bound = Init.fanInBound(inFeatures);
    this.weight = registerParameter("weight", Init.uniform(bound, outFeatures, inFeatures));
    this.bias = bias ? registerParameter("bias", Init.uniform(bound, outFeatures)) : null;
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }

  /** {@code x·Wᵀ + b}; fails with the layer and both sizes when the last dimension of {@code x} is not {@code in}. */
  @Override
  public Tensor forward(Tensor input) {
    if (input.dim() == 0 || input.size(-1) != inFeatures) {
      throw new IllegalArgumentException("Linear(in_features=" + inFeatures + ", out_features=" + outFeatures + ") expects input with last dimension " + inFeatures
          + ", but got shape " + Arrays.toString(Internals.shapeRef(input)));
    }
    return F.linear(input, weight, bias);
  }

  @Override
  protected String extraRepr() {
    return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
  }
}

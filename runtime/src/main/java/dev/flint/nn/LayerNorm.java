package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * Layer normalization over the trailing dimensions ({@code torch.nn.LayerNorm}):
 * {@code y = (x − μ) / √(σ² + eps) · weight + bias}, where μ and the biased variance σ² are taken
 * over the last {@code normalizedShape.length} dimensions of each sample.
 *
 * <p>Shapes: {@code x: [*, normalizedShape...] -> y} of the same shape; {@code weight} and {@code bias}
 * have {@code normalizedShape} (initially ones and zeros). Default eps 1e-5.
 */
public class LayerNorm extends Module {
  /** The elementwise scale, shaped {@code normalizedShape}; null without elementwise affine. */
  public final Tensor weight;
  /** The elementwise shift, shaped {@code normalizedShape}; null without elementwise affine. */
  public final Tensor bias;
  private final int[] normalizedShape;
  private final double eps;

  /** Normalizes over trailing dimensions of these sizes, with eps 1e-5. */
  public LayerNorm(int... normalizedShape) {
    this(normalizedShape, 1e-5);
  }

  public LayerNorm(int[] normalizedShape, double eps) {
    this(normalizedShape, eps, true);
  }

  /** With {@code elementwiseAffine} false there is no weight and bias (the fields are null). */
  public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
    if (normalizedShape.length == 0) {
      throw new IllegalArgumentException("LayerNorm: normalized_shape must name at least one dimension");
    }
    for (int s : normalizedShape) {
      if (s <= 0) {
        throw new IllegalArgumentException("LayerNorm: normalized_shape must be positive, but got "
            + Repr.tuple(normalizedShape));
      }
    }
    this.normalizedShape = normalizedShape.clone();
    this.eps = eps;
    this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
    this.bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.layerNorm(input, normalizedShape, weight, bias, eps);
  }

  @Override
  protected String extraRepr() {
    return Repr.tuple(normalizedShape) + ", eps=" + Repr.num(eps) + ", elementwise_affine=" + Repr.bool(weight != null);
  }
}

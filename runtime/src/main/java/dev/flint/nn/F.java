package dev.flint.nn;

import dev.flint.autograd.EagerAlgebra;
import dev.flint.compiled.LayerKernels;
import dev.flint.internal.Internals;
import dev.flint.layers.Composites;
import dev.flint.layers.LayerSpec;
import dev.flint.layers.Sizes;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The functional forms of the layers ({@code torch.nn.functional}): stateless functions of tensors,
 * differentiable through eager autograd. Each layer's {@code forward} calls one of these. The math is
 * {@code dev.flint.layers}' (Composites and the LayerSpec forwards), which the processor compiles too.
 */
public final class F {
  // Conv, pooling and erf are op-table rows; their eager entry points live on the algebra, not on Tensor.
  static final EagerAlgebra OPS = EagerAlgebra.INSTANCE;

  private F() {}

  private static int[] pair(int v) {
    return new int[] {v, v};
  }

  // ---------------------------------------------------------------- activations

  /** {@code max(x, 0)} elementwise. */
  public static Tensor relu(Tensor x) {
    return x.relu();
  }

  /** {@code x} where positive, else {@code negativeSlope·x}; the gradient is 1 or the slope (at 0: the slope). */
  public static Tensor leakyRelu(Tensor x, double negativeSlope) {
    return x.mul(LayerKernels.leakyReluSlopes(x, negativeSlope));   // d(leaky)/dx, constant per element
  }

  /** Leaky ReLU with slope 0.01. */
  public static Tensor leakyRelu(Tensor x) {
    return leakyRelu(x, 0.01);
  }

  /** {@code 1 / (1 + e^−x)} elementwise. */
  public static Tensor sigmoid(Tensor x) {
    return x.sigmoid();
  }

  /** The hyperbolic tangent elementwise. */
  public static Tensor tanh(Tensor x) {
    return x.tanh();
  }

  /** The exact GELU {@code x/2·(1 + erf(x/√2))}. */
  public static Tensor gelu(Tensor x) {
    return gelu(x, "none");
  }

  /** GELU, exact ({@code "none"}) or with PyTorch's tanh approximation ({@code "tanh"}). */
  public static Tensor gelu(Tensor x, String approximate) {
    checkGeluApproximation(approximate);
    return Composites.gelu(OPS, x, approximate.equals("tanh"));
  }

  static void checkGeluApproximation(String approximate) {
    LayerSpec.GELU.bind(approximate);   // the spec's check
  }

  /** Softmax along {@code dim}: {@code e^(x_i) / Σ_j e^(x_j)}, computed stably. */
  public static Tensor softmax(Tensor x, int dim) {
    return x.softmax(dim);
  }

  /** Log-softmax along {@code dim}: {@code x_i − log Σ_j e^(x_j)}, computed stably. */
  public static Tensor logSoftmax(Tensor x, int dim) {
    return x.logSoftmax(dim);
  }

  // ---------------------------------------------------------------- dropout

  /**
   * Inverted dropout: when {@code training}, zeroes each element with probability {@code p} (mask from
   * the default generator) and scales the rest by {@code 1/(1−p)}; otherwise returns {@code x}.
   */
  public static Tensor dropout(Tensor x, double p, boolean training) {
    checkProbability(p);
    return Composites.dropout(OPS, x, p, training, () -> LayerKernels.dropoutMask(x, p));
  }

  static void checkProbability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
    }
  }

  // ---------------------------------------------------------------- linear and convolution

  /** {@code x·wᵀ + b} for {@code x: [*, in]}, {@code w: [out, in]}, {@code b: [out]} or null. */
  public static Tensor linear(Tensor x, Tensor w, Tensor b) {
    return Composites.linear(OPS, x, Internals.shapeRef(x), w, w.size(0), b);
  }

  /**
   * 2-D convolution (cross-correlation) of {@code x: [N, C, H, W]} (or {@code [C, H, W]}) with
   * {@code w: [O, C, kH, kW]}, plus {@code b: [O]} (or null), with equal stride and zero padding in
   * both directions.
   */
  public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
    return Composites.conv2d(OPS, x, Internals.shapeRef(x), w, w.size(0), w.size(2), b, stride, padding);
  }

  /**
   * 1-D convolution (cross-correlation) of {@code x: [N, C, L]} (or {@code [C, L]}) with {@code w: [O, C, k]},
   * plus {@code b: [O]} (or null): the 2-D kernel on a height-1 view ({@code [N, C, 1, L]} with a
   * {@code [O, C, 1, k]} filter, stride and padding along the width only).
   */
  public static Tensor conv1d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
    return Composites.conv1d(OPS, x, Internals.shapeRef(x), w, w.size(0), w.size(2), b, stride, padding);
  }


  /** Max pooling over {@code kernel × kernel} windows with stride = kernel. */
  public static Tensor maxPool2d(Tensor x, int kernel) {
    return maxPool2d(x, kernel, kernel, 0);
  }

  /** Max pooling of {@code [N, C, H, W]} or {@code [C, H, W]}; padding never wins. */
  public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
    return OPS.maxPool2d(x, pair(kernel), pair(stride), pair(padding));
  }

  /** Average pooling over {@code kernel × kernel} windows with stride = kernel. */
  public static Tensor avgPool2d(Tensor x, int kernel) {
    return avgPool2d(x, kernel, kernel, 0);
  }

  /** Average pooling of {@code [N, C, H, W]} or {@code [C, H, W]}; padding counts as zeros in the mean. */
  public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
    return OPS.avgPool2d(x, pair(kernel), pair(stride), pair(padding));
  }

  // ---------------------------------------------------------------- normalization

  /**
   * Batch normalization of {@code x: [N, C, *]} per channel. When {@code training}, uses the batch
   * mean and biased variance, and (if the running tensors are not null) updates them in place:
   * {@code running = (1 − momentum)·running + momentum·stat}, with the unbiased variance. Otherwise
   * normalizes with the running statistics. {@code weight}/{@code bias} ({@code [C]}) may be null.
   */
  public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, double momentum, double eps) {
    if (x.dim() < 2) {
      throw new IllegalArgumentException("batch_norm: expected input [N, C, *], but got shape "
          + Arrays.toString(Internals.shapeRef(x)));
    }
    int[] shape = x.shape();
    int c = shape[1];
    int count = c == 0 ? 0 : x.numel() / c;
    if (training && count <= 1) {
      throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, "
          + "but got input of shape " + Arrays.toString(shape));
    }
    if (!training && (runningMean == null || runningVar == null)) {
      throw new IllegalArgumentException("batch_norm: evaluation mode needs running_mean and running_var");
    }
    // BatchNorm2d's forward is the same; only the ranks it accepts differ
    EagerLayer layer = new EagerLayer(training, "weight", weight, "bias", bias, "runningMean", runningMean,
        "runningVar", runningVar);
    return LayerSpec.BATCH_NORM_1D.forward(OPS, layer, LayerSpec.BATCH_NORM_1D.bind(c, eps, momentum), x);
  }

  /**
   * Layer normalization over the trailing dimensions {@code normalizedShape}: each sample's values
   * there are centered and divided by {@code √(biased variance + eps)}, then scaled by
   * {@code weight} and shifted by {@code bias} (both shaped {@code normalizedShape}, or null).
   */
  public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    int[] shape = x.shape();
    int k = normalizedShape.length;
    boolean fits = shape.length >= k;
    for (int i = 0; fits && i < k; i++) {
      fits = shape[shape.length - k + i] == normalizedShape[i];
    }
    if (!fits) {
      throw new IllegalArgumentException("layer_norm: given normalized_shape=" + Arrays.toString(normalizedShape)
          + ", expected input with shape [*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
          + "], but got input of shape " + Arrays.toString(shape));
    }
    return Composites.layerNorm(OPS, Sizes.EAGER, x, shape, normalizedShape, eps, weight, bias);
  }

  // ---------------------------------------------------------------- attention

  /** {@link #scaledDotProductAttention(Tensor, Tensor, Tensor, Tensor, double, boolean)} without a mask or dropout. */
  public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, boolean isCausal) {
    return ScaledDotProductAttention.apply(query, key, value, null, 0, isCausal);
  }

  /**
   * {@code softmax(q·kᵀ / √E + mask) · v} over query {@code [..., T, E]}, key {@code [..., S, E]} and value
   * {@code [..., S, Ev]} with the same leading (batch, head) dims, giving {@code [..., T, Ev]}, as PyTorch 2's
   * {@code torch.nn.functional.scaled_dot_product_attention}. A BOOL {@code attnMask} is true where attention
   * is allowed; a floating one is added to the scores; it broadcasts to {@code [..., T, S]}; null for none.
   * {@code isCausal} lets query i attend to keys {@code j <= i} only (not together with a mask).
   * {@code dropoutP > 0} drops attention weights (scaling the rest by {@code 1/(1-p)}) whatever the module's
   * mode, as PyTorch's functional form: pass 0 in evaluation.
   *
   * <p>One fused kernel: memory beyond the inputs and output is one number per query row, for forward and
   * backward alike (FlashAttention's recomputation). A query row whose keys are all masked gives zeros and no
   * gradient, as PyTorch ≥ 2.5 (earlier versions gave NaN).
   */
  public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask,
      double dropoutP, boolean isCausal) {
    return ScaledDotProductAttention.apply(query, key, value, attnMask, dropoutP, isCausal);
  }

  // ---------------------------------------------------------------- lookup and reshaping

  /** Rows of {@code weight: [num, dim]} picked by integer {@code indices: [*]}: the result is {@code [*, dim]}. */
  public static Tensor embedding(Tensor indices, Tensor weight) {
    if (indices.dtype().isFloatingPoint() || indices.dtype() == DType.BOOL) {
      throw new IllegalArgumentException("embedding: expected INT64 or INT32 indices, but got " + indices.dtype()
          + "; convert with to(DType.INT64)");
    }
    int num = weight.size(0);
    for (long i : indices.toLongArray()) {
      if (i < 0 || i >= num) {
        throw new IndexOutOfBoundsException("embedding: index " + i + " is out of range for a table of " + num
            + " rows (valid: 0.." + (num - 1) + ")");
      }
    }
    return Composites.embedding(OPS, indices, Internals.shapeRef(indices), weight, weight.size(1));
  }

  /**
   * {@link #embedding(Tensor, Tensor)} where entries equal to {@code paddingIdx} (a row of {@code weight}) send
   * no gradient to that row, as PyTorch's {@code padding_idx}: their output is the row, detached.
   */
  public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
    Tensor rows = embedding(indices, weight);
    if (!rows.requiresGrad()) {
      return rows;
    }
    Tensor isPadding = indices.eq((double) paddingIdx).unsqueeze(-1);
    return Tensor.where(isPadding, rows.detach(), rows);
  }

  /** Merges dimensions {@code startDim..endDim} (inclusive; negative counts from the end) into one. */
  public static Tensor flatten(Tensor x, int startDim, int endDim) {
    int rank = Math.max(x.dim(), 1);
    int s = startDim < 0 ? startDim + rank : startDim;
    int e = endDim < 0 ? endDim + rank : endDim;
    if (s < 0 || e >= rank || s > e) {
      throw new IllegalArgumentException("flatten: start_dim " + startDim + " and end_dim " + endDim
          + " do not name a range of dimensions of shape " + Arrays.toString(Internals.shapeRef(x)));
    }
    if (x.dim() == 0) {
      return x.reshape(1);
    }
    return x.reshape(Composites.flattened(Sizes.EAGER, Internals.shapeRef(x), s, e));
  }

  /** Flattens all dimensions after the first: {@code [N, ...] -> [N, prod(...)]}. */
  public static Tensor flatten(Tensor x) {
    return flatten(x, 1, -1);
  }
}

package dev.flint.nn;

import dev.flint.autograd.EagerAlgebra;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The functional forms of the layers ({@code torch.nn.functional}): stateless functions of tensors,
 * differentiable through eager autograd. Each layer's {@code forward} calls one of these.
 */
public final class F {
  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

  // Conv, pooling and erf are op-table rows; their eager entry points live on the algebra, not on Tensor.
  private static final EagerAlgebra OPS = EagerAlgebra.INSTANCE;

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
    double[] v = x.toDoubleArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] > 0 ? 1 : negativeSlope;   // d(leaky)/dx, constant per element
    }
    return x.mul(TensorData.converted(Tensor.wrap(Storage.of(v), x.shapeRef()), floatType(x)));
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
    if (approximate.equals("tanh")) {
      Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_TWO_OVER_PI);
      return x.mul(0.5).mul(inner.tanh().add(1));
    }
    return x.mul(0.5).mul(OPS.erf(x.mul(SQRT_HALF)).add(1));
  }

  static void checkGeluApproximation(String approximate) {
    if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
      throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", but got \"" + approximate + "\"");
    }
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
    if (!training || p == 0) {
      return x;
    }
    if (p == 1) {
      return x.mul(0.0);
    }
    double keep = 1 / (1 - p);
    Generator g = Generator.defaultGenerator();
    int n = x.numel();
    Tensor mask;
    if (x.dtype() == DType.FLOAT64) {
      double[] m = new double[n];
      for (int i = 0; i < n; i++) {
        m[i] = g.nextDouble() < p ? 0 : keep;
      }
      mask = Tensor.wrap(Storage.of(m), x.shapeRef());
    } else {
      float[] m = new float[n];
      for (int i = 0; i < n; i++) {
        m[i] = g.nextDouble() < p ? 0f : (float) keep;
      }
      mask = Tensor.wrap(Storage.of(m), x.shapeRef());
    }
    return x.mul(mask);
  }

  /** The dtype of a constant combined with {@code x}: x's own if floating, else FLOAT32. */
  private static DType floatType(Tensor x) {
    return x.dtype().isFloatingPoint() ? x.dtype() : DType.FLOAT32;
  }

  static void checkProbability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
    }
  }

  // ---------------------------------------------------------------- linear and convolution

  /** {@code x·wᵀ + b} for {@code x: [*, in]}, {@code w: [out, in]}, {@code b: [out]} or null. */
  public static Tensor linear(Tensor x, Tensor w, Tensor b) {
    Tensor y = x.matmul(w.transpose(0, 1));
    return b == null ? y : y.add(b);
  }

  /**
   * 2-D convolution (cross-correlation) of {@code x: [N, C, H, W]} (or {@code [C, H, W]}) with
   * {@code w: [O, C, kH, kW]}, plus {@code b: [O]} (or null), with equal stride and zero padding in
   * both directions.
   */
  public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
    boolean unbatched = x.dim() == 3;
    Tensor in = unbatched ? x.unsqueeze(0) : x;
    Tensor y = OPS.conv2d(in, w, pair(stride), pair(padding));
    if (b != null) {
      y = y.add(b.reshape(1, b.numel(), 1, 1));
    }
    return unbatched ? y.squeeze(0) : y;
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
          + Arrays.toString(x.shapeRef()));
    }
    int[] shape = x.shape();
    int n = shape[0];
    int c = shape[1];
    int count = c == 0 ? 0 : x.numel() / c;
    Tensor x3 = x.reshape(n, c, count / Math.max(n, 1));   // [N, C, L]: statistics over dims 0 and 2
    Tensor normalized;
    if (training) {
      if (count <= 1) {
        throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, "
            + "but got input of shape " + Arrays.toString(shape));
      }
      Tensor mean = x3.mean(2, true).mean(0, true);
      Tensor centered = x3.sub(mean);
      Tensor var = centered.mul(centered).mean(2, true).mean(0, true);
      normalized = centered.div(var.add(eps).sqrt());
      if (runningMean != null && runningVar != null) {
        updateRunningStats(runningMean, runningVar, mean, var, momentum, count);
      }
    } else {
      if (runningMean == null || runningVar == null) {
        throw new IllegalArgumentException("batch_norm: evaluation mode needs running_mean and running_var");
      }
      normalized = x3.sub(runningMean.reshape(1, c, 1)).div(runningVar.reshape(1, c, 1).add(eps).sqrt());
    }
    if (weight != null) {
      normalized = normalized.mul(weight.reshape(1, c, 1));
    }
    if (bias != null) {
      normalized = normalized.add(bias.reshape(1, c, 1));
    }
    return normalized.reshape(shape);
  }

  /** {@code running = (1 − momentum)·running + momentum·batch}, in place; the variance made unbiased first. */
  private static void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var,
      double momentum, int count) {
    double[] m = mean.toDoubleArray();
    double[] v = var.toDoubleArray();
    double[] rm = runningMean.toDoubleArray();
    double[] rv = runningVar.toDoubleArray();
    double unbias = count / (count - 1.0);
    for (int i = 0; i < rm.length; i++) {
      rm[i] = (1 - momentum) * rm[i] + momentum * m[i];
      rv[i] = (1 - momentum) * rv[i] + momentum * v[i] * unbias;
    }
    TensorData.copyInto(Tensor.of(rm), runningMean);
    TensorData.copyInto(Tensor.of(rv), runningVar);
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
    int[] flat = Arrays.copyOf(shape, shape.length - k + 1);
    int m = 1;
    for (int s : normalizedShape) {
      m *= s;
    }
    flat[flat.length - 1] = m;
    Tensor xf = x.reshape(flat);
    Tensor centered = xf.sub(xf.mean(-1, true));
    Tensor var = centered.mul(centered).mean(-1, true);
    Tensor y = centered.div(var.add(eps).sqrt()).reshape(shape);
    if (weight != null) {
      y = y.mul(weight);
    }
    if (bias != null) {
      y = y.add(bias);
    }
    return y;
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
    int[] outShape = Arrays.copyOf(indices.shapeRef(), indices.dim() + 1);
    outShape[indices.dim()] = weight.size(1);
    return weight.indexSelect(0, indices.reshape(-1)).reshape(outShape);
  }

  /** Merges dimensions {@code startDim..endDim} (inclusive; negative counts from the end) into one. */
  public static Tensor flatten(Tensor x, int startDim, int endDim) {
    int rank = Math.max(x.dim(), 1);
    int s = startDim < 0 ? startDim + rank : startDim;
    int e = endDim < 0 ? endDim + rank : endDim;
    if (s < 0 || e >= rank || s > e) {
      throw new IllegalArgumentException("flatten: start_dim " + startDim + " and end_dim " + endDim
          + " do not name a range of dimensions of shape " + Arrays.toString(x.shapeRef()));
    }
    if (x.dim() == 0) {
      return x.reshape(1);
    }
    int[] shape = x.shapeRef();
    int[] out = new int[shape.length - (e - s)];
    int merged = 1;
    for (int d = s; d <= e; d++) {
      merged *= shape[d];
    }
    System.arraycopy(shape, 0, out, 0, s);
    out[s] = merged;
    System.arraycopy(shape, e + 1, out, s + 1, shape.length - e - 1);
    return x.reshape(out);
  }

  /** Flattens all dimensions after the first: {@code [N, ...] -> [N, prod(...)]}. */
  public static Tensor flatten(Tensor x) {
    return flatten(x, 1, -1);
  }
}

package dev.flint.nn;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * A 2-D convolution layer ({@code torch.nn.Conv2d}, square kernels): {@code y[n, o] = bias[o] +
 * Σ_c weight[o, c] ⋆ x[n, c]}, where ⋆ is cross-correlation with the given stride and zero padding.
 *
 * <p>Shapes: {@code x: [N, C_in, H, W] -> y: [N, C_out, H_out, W_out]} with
 * {@code H_out = (H + 2·padding − kernel) / stride + 1} (floor); {@code weight: [C_out, C_in, k, k]},
 * {@code bias: [C_out]}. An unbatched {@code [C_in, H, W]} input gives {@code [C_out, H_out, W_out]}.
 * Initialised as PyTorch does: weight and bias uniform in {@code [−1/√fanIn, 1/√fanIn]},
 * {@code fanIn = C_in·k·k}.
 */
public class Conv2d extends Module {
  /** The filters {@code [out, in, k, k]}. */
  public final Tensor weight;
  /** The bias {@code [out]}, or null when built without one. */
  public final Tensor bias;
  private final int inChannels;
  private final int outChannels;
  private final int kernelSize;
  private final int stride;
  private final int padding;

  /** Stride 1, no padding, with a bias. */
  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, kernelSize, 1, 0, true);
  }

  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(inChannels, outChannels, kernelSize, stride, padding, true);
  }

  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias) {
    if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0) {
      throw new IllegalArgumentException("Conv2d: channels, kernel_size and stride must be positive and padding "
          + ">= 0, but got in_channels=" + inChannels + ", out_channels=" + outChannels + ", kernel_size="
          + kernelSize + ", stride=" + stride + ", padding=" + padding);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
    double bound = Init.fanInBound(inChannels * kernelSize * kernelSize);
    this.weight = registerParameter("weight", Init.uniform(bound, outChannels, inChannels, kernelSize, kernelSize));
    this.bias = bias ? registerParameter("bias", Init.uniform(bound, outChannels)) : null;
  }

  @Override
  public Tensor forward(Tensor input) {
    int rank = input.dim();
    if ((rank != 3 && rank != 4) || input.size(-3) != inChannels) {
      throw new IllegalArgumentException(this + " expects input [N, " + inChannels + ", H, W] or [" + inChannels
          + ", H, W] with " + inChannels + " channels, but got shape " + Arrays.toString(Internals.shapeRef(input)));
    }
    int h = input.size(-2) + 2 * padding;
    int w = input.size(-1) + 2 * padding;
    if (h < kernelSize || w < kernelSize) {
      throw new IllegalArgumentException(this + ": kernel size " + kernelSize + " is larger than the padded input "
          + "(" + h + ", " + w + ") of shape " + Arrays.toString(Internals.shapeRef(input)));
    }
    return F.conv2d(input, weight, bias, stride, padding);
  }

  @Override
  protected String extraRepr() {
    return inChannels + ", " + outChannels + ", kernel_size=" + Repr.pair(kernelSize, kernelSize)
        + ", stride=" + Repr.pair(stride, stride)
        + (padding != 0 ? ", padding=" + Repr.pair(padding, padding) : "")
        + (bias == null ? ", bias=False" : "");
  }
}

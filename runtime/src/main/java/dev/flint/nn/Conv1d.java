package dev.flint.nn;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * A 1-D convolution layer ({@code torch.nn.Conv1d}): {@code y[n, o] = bias[o] + Σ_c weight[o, c] ⋆ x[n, c]},
 * ⋆ being cross-correlation with the given stride and zero padding.
 *
 * <p>Shapes: {@code x: [N, C_in, L] -> y: [N, C_out, L_out]} with
 * {@code L_out = (L + 2·padding − kernel) / stride + 1} (floor); {@code weight: [C_out, C_in, k]},
 * {@code bias: [C_out]}; an unbatched {@code [C_in, L]} gives {@code [C_out, L_out]}. Initialised as
 * PyTorch does: uniform in {@code [−1/√fanIn, 1/√fanIn]}, {@code fanIn = C_in·k}.
 */
public class Conv1d extends Module {
  /** The filters {@code [out, in, k]}. */
  public final Tensor weight;
  /** The bias {@code [out]}, or null when built without one. */
  public final Tensor bias;
  private final int inChannels;
  private final int outChannels;
  private final int kernelSize;
  private final int stride;
  private final int padding;

  /** Stride 1, no padding, with a bias. */
  public Conv1d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, kernelSize, 1, 0, true);
  }

  public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(inChannels, outChannels, kernelSize, stride, padding, true);
  }

  public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias) {
    if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0) {
      throw new IllegalArgumentException("Conv1d: channels, kernel_size and stride must be positive and padding "
          + ">= 0, but got in_channels=" + inChannels + ", out_channels=" + outChannels + ", kernel_size="
          + kernelSize + ", stride=" + stride + ", padding=" + padding);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
    double bound = Init.fanInBound(inChannels * kernelSize);
    this.weight = registerParameter("weight", Init.uniform(bound, outChannels, inChannels, kernelSize));
    this.bias = bias ? registerParameter("bias", Init.uniform(bound, outChannels)) : null;
  }

  @Override
  public Tensor forward(Tensor input) {
    int rank = input.dim();
    if ((rank != 2 && rank != 3) || input.size(-2) != inChannels) {
      throw new IllegalArgumentException(this + " expects input [N, " + inChannels + ", L] or [" + inChannels
          + ", L] with " + inChannels + " channels, but got shape " + Arrays.toString(Internals.shapeRef(input)));
    }
    if (input.size(-1) + 2 * padding < kernelSize) {
      throw new IllegalArgumentException(this + ": kernel size " + kernelSize + " is larger than the padded input "
          + "length " + (input.size(-1) + 2 * padding) + " of shape " + Arrays.toString(Internals.shapeRef(input)));
    }
    return F.conv1d(input, weight, bias, stride, padding);
  }

  @Override
  protected String extraRepr() {
    return inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize + ",), stride=(" + stride + ",)"
        + (padding != 0 ? ", padding=(" + padding + ",)" : "")
        + (bias == null ? ", bias=False" : "");
  }
}

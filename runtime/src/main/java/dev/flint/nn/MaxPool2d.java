package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * The maximum over each {@code kernel × kernel} window ({@code torch.nn.MaxPool2d}); padding never wins.
 *
 * <p>Shapes: {@code x: [N, C, H, W] -> [N, C, H_out, W_out]} (or unbatched {@code [C, H, W]}) with
 * {@code H_out = (H + 2·padding − kernel) / stride + 1} (floor). The stride defaults to the kernel size.
 */
public class MaxPool2d extends Module {
  private final int kernelSize;
  private final int stride;
  private final int padding;

  /** Non-overlapping windows: stride = kernel, no padding. */
  public MaxPool2d(int kernelSize) {
    this(kernelSize, kernelSize, 0);
  }

  public MaxPool2d(int kernelSize, int stride) {
    this(kernelSize, stride, 0);
  }

  public MaxPool2d(int kernelSize, int stride, int padding) {
    if (kernelSize <= 0 || stride <= 0 || padding < 0 || 2 * padding > kernelSize) {
      throw new IllegalArgumentException("MaxPool2d: kernel_size and stride must be positive and padding at most "
          + "half the kernel, but got kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding);
    }
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.maxPool2d(input, kernelSize, stride, padding);
  }

  @Override
  protected String extraRepr() {
    return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=1, ceil_mode=False";
  }
}

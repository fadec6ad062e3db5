package dev.flint.ops;

import java.util.List;

/**
 * The shape rules of the convolution and pooling rows ({@code CONV2D}, {@code MAX_POOL2D}, ...), kept
 * beside {@link Shapes} so the processor reports a wrong channel count or an oversized kernel at
 * compile time with the same message eager code throws. Spatial sizes must be known numbers
 * ({@link DimAlgebra#known}); the batch and channel sizes may be symbolic.
 */
final class ConvShapes {
  private ConvShapes() {}

  /** {@code x [N, C, H, W]} and {@code w [O, C, kH, kW]} give {@code [N, O, Ho, Wo]}. */
  static int[] conv2d(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] x = in.get(0);
    int[] w = in.get(1);
    if (x.length != 4 || w.length != 4) {
      throw new ShapeError(op + ": expected input [N, C, H, W] and weight [O, C, kH, kW], but got "
          + dims.str(x) + " and " + dims.str(w));
    }
    if (x[1] != w[1]) {
      throw new ShapeError(op + ": weight " + dims.str(w) + " expects input with " + dims.show(w[1])
          + " channels, but got " + dims.show(x[1]) + " channels (input shape " + dims.str(x) + ")");
    }
    int[] s = attrs.ints(Attrs.STRIDE);
    int[] p = attrs.ints(Attrs.PADDING);
    return new int[] {x[0], w[0], outputSize(op, dims.known(op, x[2]), dims.known(op, w[2]), s[0], p[0]),
        outputSize(op, dims.known(op, x[3]), dims.known(op, w[3]), s[1], p[1])};
  }

  /** {@code x [N, C, H, W]} or {@code [C, H, W]} pooled to {@code [..., Ho, Wo]}. */
  static int[] pool2d(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] x = in.get(0);
    if (x.length != 3 && x.length != 4) {
      throw new ShapeError(op + ": expected input [N, C, H, W] or [C, H, W], but got shape " + dims.str(x));
    }
    int[] k = attrs.ints(Attrs.KERNEL);
    int[] s = attrs.ints(Attrs.STRIDE);
    int[] p = attrs.ints(Attrs.PADDING);
    for (int d = 0; d < 2; d++) {
      if (2 * p[d] > k[d]) {
        throw new ShapeError(op + ": padding must be at most half the kernel size, but got padding " + Shapes.str(p)
            + " for kernel " + Shapes.str(k));
      }
    }
    int[] out = x.clone();
    out[x.length - 2] = outputSize(op, dims.known(op, x[x.length - 2]), k[0], s[0], p[0]);
    out[x.length - 1] = outputSize(op, dims.known(op, x[x.length - 1]), k[1], s[1], p[1]);
    return out;
  }

  /** The {@code shape} attribute: gradients shaped like the forward op's input. */
  static int[] fromShapeAttr(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    return attrs.ints(Attrs.SHAPE);
  }

  /** The second input's shape (MAX_POOL2D_BACKWARD's {@code x}). */
  static int[] secondInput(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    return in.get(1).clone();
  }

  /** {@code (in + 2·padding − kernel) / stride + 1}, floor; fails when the kernel exceeds the padded input. */
  static int outputSize(String op, int in, int kernel, int stride, int padding) {
    if (stride < 1 || padding < 0) {
      throw new ShapeError(op + ": stride must be >= 1 and padding >= 0, but got stride " + stride + " and padding "
          + padding);
    }
    if (in + 2 * padding < kernel) {
      throw new ShapeError(op + ": kernel size " + kernel + " is larger than the padded input size "
          + (in + 2 * padding));
    }
    return (in + 2 * padding - kernel) / stride + 1;
  }
}

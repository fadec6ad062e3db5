package dev.flint.processor.ir;

import dev.flint.ops.Attrs;
import dev.flint.ops.ShapeError;
import java.util.List;

/**
 * Primitives that have a kernel (and gradient kernels) in {@code dev.flint.kernel} but no row in the op
 * table yet: convolution, pooling, erf. Their derivative rules are in {@code grad.Differentiate} and
 * call the same gradient kernels eager mode uses. TODO(#4): move them into {@code dev.flint.ops.Op}
 * once the table has rows for them, and drop this enum.
 */
public enum Extern {
  /** {@code Conv.conv2d(x, w, s, s, p, p)}: {@code [N, C, H, W] ⋆ [O, C, k, k] -> [N, O, Ho, Wo]}. */
  CONV2D("Conv", "conv2d"),
  /** {@code Conv.conv2dInputGrad(g, w, inH, inW, s, s, p, p)}. */
  CONV2D_INPUT_GRAD("Conv", "conv2dInputGrad"),
  /** {@code Conv.conv2dWeightGrad(g, x, k, k, s, s, p, p)}. */
  CONV2D_WEIGHT_GRAD("Conv", "conv2dWeightGrad"),
  /** {@code Pool.maxPool2d(x, k, k, s, s, p, p)}. */
  MAX_POOL2D("Pool", "maxPool2d"),
  /** {@code Pool.maxPool2dBackward(g, x, k, k, s, s, p, p)}. */
  MAX_POOL2D_BACKWARD("Pool", "maxPool2dBackward"),
  /** {@code Pool.avgPool2d(x, k, k, s, s, p, p)}. */
  AVG_POOL2D("Pool", "avgPool2d"),
  /** {@code Pool.avgPool2dBackward(g, inShape, k, k, s, s, p, p)}. */
  AVG_POOL2D_BACKWARD("Pool", "avgPool2dBackward"),
  /** {@code Erf.erf(x)}, elementwise. */
  ERF("Erf", "erf");

  public static final String KERNEL = "kernel";
  public static final String STRIDE = "stride";
  public static final String PADDING = "padding";
  public static final String IN_SHAPE = "inShape";

  private final String kernelClass;
  private final String method;

  Extern(String kernelClass, String method) {
    this.kernelClass = kernelClass;
    this.method = method;
  }

  /** The simple name of the kernel class in {@code dev.flint.kernel}. */
  public String kernelClass() {
    return kernelClass;
  }

  public String method() {
    return method;
  }

  /** The output shape, checking the operands like the kernel will. */
  public int[] inferShape(List<int[]> in, Attrs a) {
    int[] x = in.get(0);
    return switch (this) {
      case CONV2D -> {
        int[] w = in.get(1);
        if (x.length != 4 || w.length != 4 || x[1] != w[1]) {
          throw new ShapeError("conv2d: input " + Symbolic.shape(x) + " and weight " + Symbolic.shape(w)
              + " do not fit: expected input [N, " + (w.length == 4 ? w[1] : "C") + ", H, W]");
        }
        int ho = window(x[2], w[2], a);
        int wo = window(x[3], w[3], a);
        yield new int[] {x[0], w[0], ho, wo};
      }
      case MAX_POOL2D, AVG_POOL2D -> {
        if (x.length != 4) {
          throw new ShapeError(method + ": expected input [N, C, H, W], but got " + Symbolic.shape(x));
        }
        int k = a.integer(KERNEL);
        yield new int[] {x[0], x[1], window(x[2], k, a), window(x[3], k, a)};
      }
      case CONV2D_INPUT_GRAD, AVG_POOL2D_BACKWARD -> a.ints(IN_SHAPE);
      case CONV2D_WEIGHT_GRAD -> new int[] {in.get(0)[1], in.get(1)[1], a.integer(KERNEL), a.integer(KERNEL)};
      case MAX_POOL2D_BACKWARD -> in.get(1).clone();
      case ERF -> x.clone();
    };
  }

  private static int window(int size, int kernel, Attrs a) {
    int out = (size + 2 * a.integer(PADDING) - kernel) / a.integer(STRIDE) + 1;
    if (size + 2 * a.integer(PADDING) < kernel) {
      throw new ShapeError("kernel size " + kernel + " is larger than the padded input size "
          + (size + 2 * a.integer(PADDING)));
    }
    return out;
  }
}

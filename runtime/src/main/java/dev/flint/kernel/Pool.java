package dev.flint.kernel;

import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * 2-D pooling kernels ({@code max_pool2d}, {@code avg_pool2d} with PyTorch's defaults: floor mode,
 * padding counted in the average) and their gradients. Input {@code [N, C, H, W]} or {@code [C, H, W]};
 * each {@code H × W} plane is pooled independently to {@code Ho × Wo}, where
 * {@code Ho = (H + 2·padH − kH) / strideH + 1}. FLOAT32 and FLOAT64.
 */
public final class Pool {
  private Pool() {}

  /** {@code y[.., i, j] = max} over the window at {@code (i·sH − pH, j·sW − pW)}; padding never wins. */
  public static Tensor maxPool2d(Tensor x, int kH, int kW, int sH, int sW, int pH, int pW) {
    Window g = new Window("max_pool2d", x, kH, kW, sH, sW, pH, pW);
    double[] in = x.toDoubleArray();
    double[] out = new double[g.planes * g.ho * g.wo];
    Parallel.forRange(g.planes, g.work(), (from, to) -> {
      for (int plane = from; plane < to; plane++) {
        for (int i = 0; i < g.ho; i++) {
          for (int j = 0; j < g.wo; j++) {
            out[(plane * g.ho + i) * g.wo + j] = in[g.argmax(in, plane, i, j)];
          }
        }
      }
    });
    return g.result(out, x.dtype(), g.outShape());
  }

  /** The gradient of {@link #maxPool2d}: each output gradient flows to its window's first maximum. */
  public static Tensor maxPool2dBackward(Tensor gy, Tensor x, int kH, int kW, int sH, int sW, int pH, int pW) {
    Window g = new Window("max_pool2d backward", x, kH, kW, sH, sW, pH, pW);
    g.checkGrad(gy);
    double[] in = x.toDoubleArray();
    double[] gout = gy.toDoubleArray();
    double[] dx = new double[in.length];
    Parallel.forRange(g.planes, g.work(), (from, to) -> {
      for (int plane = from; plane < to; plane++) {
        for (int i = 0; i < g.ho; i++) {
          for (int j = 0; j < g.wo; j++) {
            dx[g.argmax(in, plane, i, j)] += gout[(plane * g.ho + i) * g.wo + j];
          }
        }
      }
    });
    return g.result(dx, gy.dtype(), x.shapeRef());
  }

  /** {@code y[.., i, j] =} the mean over the window, dividing by {@code kH·kW} (padding counts as zeros). */
  public static Tensor avgPool2d(Tensor x, int kH, int kW, int sH, int sW, int pH, int pW) {
    Window g = new Window("avg_pool2d", x, kH, kW, sH, sW, pH, pW);
    double[] in = x.toDoubleArray();
    double[] out = new double[g.planes * g.ho * g.wo];
    double scale = 1.0 / (kH * kW);
    Parallel.forRange(g.planes, g.work(), (from, to) -> {
      for (int plane = from; plane < to; plane++) {
        for (int i = 0; i < g.ho; i++) {
          for (int j = 0; j < g.wo; j++) {
            double s = 0;
            for (int a = Math.max(0, i * sH - pH); a < Math.min(g.h, i * sH - pH + kH); a++) {
              for (int b = Math.max(0, j * sW - pW); b < Math.min(g.w, j * sW - pW + kW); b++) {
                s += in[(plane * g.h + a) * g.w + b];
              }
            }
            out[(plane * g.ho + i) * g.wo + j] = s * scale;
          }
        }
      }
    });
    return g.result(out, x.dtype(), g.outShape());
  }

  /** The gradient of {@link #avgPool2d} for an input of shape {@code inShape}: each window shares its gradient equally. */
  public static Tensor avgPool2dBackward(Tensor gy, int[] inShape, int kH, int kW, int sH, int sW, int pH, int pW) {
    Window g = new Window("avg_pool2d backward", gy.dtype(), inShape, kH, kW, sH, sW, pH, pW);
    g.checkGrad(gy);
    double[] gout = gy.toDoubleArray();
    double[] dx = new double[g.planes * g.h * g.w];
    double scale = 1.0 / (kH * kW);
    Parallel.forRange(g.planes, g.work(), (from, to) -> {
      for (int plane = from; plane < to; plane++) {
        for (int i = 0; i < g.ho; i++) {
          for (int j = 0; j < g.wo; j++) {
            double share = gout[(plane * g.ho + i) * g.wo + j] * scale;
            for (int a = Math.max(0, i * sH - pH); a < Math.min(g.h, i * sH - pH + kH); a++) {
              for (int b = Math.max(0, j * sW - pW); b < Math.min(g.w, j * sW - pW + kW); b++) {
                dx[(plane * g.h + a) * g.w + b] += share;
              }
            }
          }
        }
      }
    });
    return g.result(dx, gy.dtype(), inShape);
  }

  /** The sizes of one pooling, checked once; planes are the flattened leading dimensions. */
  private static final class Window {
    final int[] shape;
    final int planes, h, w, kh, kw, sh, sw, ph, pw, ho, wo;

    Window(String op, Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
      this(op, x.dtype(), x.shapeRef(), kh, kw, sh, sw, ph, pw);
    }

    Window(String op, DType dtype, int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
      if (!dtype.isFloatingPoint()) {
        throw new IllegalArgumentException(op + ": expected a FLOAT32 or FLOAT64 input, but got " + dtype
            + "; convert with to(DType.FLOAT32)");
      }
      if (shape.length != 3 && shape.length != 4) {
        throw new IllegalArgumentException(op + ": expected input [N, C, H, W] or [C, H, W], but got shape "
            + Arrays.toString(shape));
      }
      if (kh < 1 || kw < 1 || sh < 1 || sw < 1) {
        throw new IllegalArgumentException(op + ": kernel size and stride must be >= 1, but got kernel (" + kh + ", "
            + kw + ") and stride (" + sh + ", " + sw + ")");
      }
      if (ph < 0 || pw < 0 || 2 * ph > kh || 2 * pw > kw) {
        throw new IllegalArgumentException(op + ": padding must be >= 0 and at most half the kernel size, but got "
            + "padding (" + ph + ", " + pw + ") for kernel (" + kh + ", " + kw + ")");
      }
      this.shape = shape;
      this.h = shape[shape.length - 2];
      this.w = shape[shape.length - 1];
      this.planes = shape.length == 4 ? shape[0] * shape[1] : shape[0];
      if (h + 2 * ph < kh || w + 2 * pw < kw) {
        throw new IllegalArgumentException(op + ": kernel (" + kh + ", " + kw + ") is larger than the padded input ("
            + (h + 2 * ph) + ", " + (w + 2 * pw) + ") of shape " + Arrays.toString(shape));
      }
      this.kh = kh;
      this.kw = kw;
      this.sh = sh;
      this.sw = sw;
      this.ph = ph;
      this.pw = pw;
      this.ho = Conv.outputSize(h, kh, sh, ph);
      this.wo = Conv.outputSize(w, kw, sw, pw);
    }

    /** A rough operation count, for deciding whether to split planes over threads. */
    long work() {
      return (long) planes * (h * w + (long) ho * wo * kh * kw);
    }

    int[] outShape() {
      int[] out = shape.clone();
      out[out.length - 2] = ho;
      out[out.length - 1] = wo;
      return out;
    }

    void checkGrad(Tensor gy) {
      if (!Arrays.equals(gy.shapeRef(), outShape())) {
        throw new IllegalArgumentException("pool2d backward: expected a gradient of shape "
            + Arrays.toString(outShape()) + ", but got " + Arrays.toString(gy.shapeRef()));
      }
    }

    /** The flat input index of the first maximum in window (i, j) of {@code plane}; NaN wins, as in PyTorch. */
    int argmax(double[] in, int plane, int i, int j) {
      int best = -1;
      double max = Double.NEGATIVE_INFINITY;
      for (int a = Math.max(0, i * sh - ph); a < Math.min(h, i * sh - ph + kh); a++) {
        for (int b = Math.max(0, j * sw - pw); b < Math.min(w, j * sw - pw + kw); b++) {
          int at = (plane * h + a) * w + b;
          double v = in[at];
          if (best < 0 || v > max || Double.isNaN(v)) {
            best = at;
            max = v;
            if (Double.isNaN(v)) {
              return best;
            }
          }
        }
      }
      return best;
    }

    Tensor result(double[] values, DType dtype, int[] shape) {
      if (dtype == DType.FLOAT64) {
        return Tensor.wrap(Storage.of(values), shape);
      }
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      return Tensor.wrap(Storage.of(f), shape);
    }
  }
}

package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorPool;
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
    Tensor xc = x.contiguous();
    int inOff = xc.offset();
    int[] outShape = g.outShape();
    if (x.dtype() == DType.FLOAT32 && g.pairs && VectorTier.active()) {
      return Internals.wrap(Storage.of(maxPairs(g, xc.storage().floats(), inOff)), outShape);
    }
    if (x.dtype() == DType.FLOAT32) {
      // twin-float: maxPool2d (FLOAT32 copy of twin-source maxPool2d, written by FloatTwinsTest: edit the source)
      float[] in = xc.storage().floats();
      float[] out = new float[g.planes * g.ho * g.wo];
      Parallel.forRange(g.planes, g.work(), (from, to) -> {
        if (g.unrolled) {
          for (int plane = from; plane < to; plane++) {
            for (int i = 0; i < g.ho; i++) {
              g.rowMax(in, inOff, plane, i, out, (plane * g.ho + i) * g.wo);
            }
          }
          return;
        }
        for (int plane = from; plane < to; plane++) {
          for (int i = 0; i < g.ho; i++) {
            for (int j = 0; j < g.wo; j++) {
              out[(plane * g.ho + i) * g.wo + j] = in[inOff + g.argmax(in, inOff, plane, i, j)];
            }
          }
        }
      });
      return Internals.wrap(Storage.of(out), outShape);
      // twin-end: maxPool2d
    }
    // twin-source: maxPool2d
    double[] in = xc.storage().doubles();
    double[] out = new double[g.planes * g.ho * g.wo];
    Parallel.forRange(g.planes, g.work(), (from, to) -> {
      if (g.unrolled) {
        for (int plane = from; plane < to; plane++) {
          for (int i = 0; i < g.ho; i++) {
            g.rowMax(in, inOff, plane, i, out, (plane * g.ho + i) * g.wo);
          }
        }
        return;
      }
      for (int plane = from; plane < to; plane++) {
        for (int i = 0; i < g.ho; i++) {
          for (int j = 0; j < g.wo; j++) {
            out[(plane * g.ho + i) * g.wo + j] = in[inOff + g.argmax(in, inOff, plane, i, j)];
          }
        }
      }
    });
    return Internals.wrap(Storage.of(out), outShape);
    // twin-end: maxPool2d
  }

  /** The gradient of {@link #maxPool2d}: each output gradient flows to its window's first maximum. */
  public static Tensor maxPool2dBackward(Tensor gy, Tensor x, int kH, int kW, int sH, int sW, int pH, int pW) {
    Window g = new Window("max_pool2d backward", x, kH, kW, sH, sW, pH, pW);
    g.checkGrad(gy);
    if (gy.dtype() != x.dtype()) {
      // Mixed dtypes are rare: compute in FLOAT64 and return the gradient's dtype.
      Tensor dx = maxPool2dBackward(gy.to(DType.FLOAT64), x.to(DType.FLOAT64), kH, kW, sH, sW, pH, pW);
      return dx.to(gy.dtype());
    }
    Tensor xc = x.contiguous();
    Tensor gc = gy.contiguous();
    int inOff = xc.offset();
    int gOff = gc.offset();
    int size = g.planes * g.h * g.w;
    if (x.dtype() == DType.FLOAT32 && g.pairs && VectorTier.active()) {
      return Internals.wrap(Storage.of(maxPairsBackward(g, xc.storage().floats(), inOff, gc.storage().floats(), gOff)),
          x.shape());
    }
    if (x.dtype() == DType.FLOAT32) {
      // twin-float: maxPool2dBackward (FLOAT32 copy of twin-source maxPool2dBackward, written by FloatTwinsTest: edit the source)
      float[] in = xc.storage().floats();
      float[] gout = gc.storage().floats();
      float[] dx = new float[size];
      Parallel.forRange(g.planes, g.work(), (from, to) -> {
        if (g.unrolled) {
          int[] idx = new int[g.wo];
          for (int plane = from; plane < to; plane++) {
            for (int i = 0; i < g.ho; i++) {
              g.rowArgmax(in, inOff, plane, i, idx);
              int row = gOff + (plane * g.ho + i) * g.wo;
              for (int j = 0; j < g.wo; j++) {
                dx[idx[j]] += gout[row + j];
              }
            }
          }
          return;
        }
        for (int plane = from; plane < to; plane++) {
          for (int i = 0; i < g.ho; i++) {
            for (int j = 0; j < g.wo; j++) {
              dx[g.argmax(in, inOff, plane, i, j)] += gout[gOff + (plane * g.ho + i) * g.wo + j];
            }
          }
        }
      });
      return Internals.wrap(Storage.of(dx), x.shape());
      // twin-end: maxPool2dBackward
    }
    // twin-source: maxPool2dBackward
    double[] in = xc.storage().doubles();
    double[] gout = gc.storage().doubles();
    double[] dx = new double[size];
    Parallel.forRange(g.planes, g.work(), (from, to) -> {
      if (g.unrolled) {
        int[] idx = new int[g.wo];
        for (int plane = from; plane < to; plane++) {
          for (int i = 0; i < g.ho; i++) {
            g.rowArgmax(in, inOff, plane, i, idx);
            int row = gOff + (plane * g.ho + i) * g.wo;
            for (int j = 0; j < g.wo; j++) {
              dx[idx[j]] += gout[row + j];
            }
          }
        }
        return;
      }
      for (int plane = from; plane < to; plane++) {
        for (int i = 0; i < g.ho; i++) {
          for (int j = 0; j < g.wo; j++) {
            dx[g.argmax(in, inOff, plane, i, j)] += gout[gOff + (plane * g.ho + i) * g.wo + j];
          }
        }
      }
    });
    return Internals.wrap(Storage.of(dx), x.shape());
    // twin-end: maxPool2dBackward
  }

  /**
   * FLOAT32 2×2 windows with stride 2 ({@link Window#pairs}) on the vector tier: per output row, as
   * many blocks of {@link VectorPool#windowsPerBlock()} windows as {@link VectorPool#max} may take
   * (its filler stores stay inside this plane's outputs, which later blocks, the row's scalar tail
   * and the next rows overwrite), the last one partial when its extra windows (read from the next
   * input rows) also land there, then the rest window by window.
   */
  private static float[] maxPairs(Window g, float[] in, int inOff) {
    float[] out = new float[g.planes * g.ho * g.wo];
    int half = VectorPool.windowsPerBlock();
    Parallel.forRange(g.planes, g.work(), (from, to) -> {
      for (int plane = from; plane < to; plane++) {
        int planeEnd = (plane + 1) * g.ho * g.wo;
        for (int i = 0; i < g.ho; i++) {
          int r0 = inOff + (plane * g.h + 2 * i) * g.w;
          int at = (plane * g.ho + i) * g.wo;
          int full = g.wo / half;
          int blocks = full;
          if (full * half < g.wo && at + (full + 2) * half <= planeEnd && r0 + g.w + 2 * (full + 1) * half < in.length) {
            blocks++;   // a last, partial block: its extra windows land on later outputs of this plane
          }
          while (blocks > 0 && (at + (blocks + 1) * half > planeEnd || r0 + g.w + 2 * blocks * half >= in.length)) {
            blocks--;
          }
          VectorPool.max(in, r0, g.w, out, at, blocks);
          for (int j = Math.min(g.wo, blocks * half); j < g.wo; j++) {
            out[at + j] = in[r0 + 2 * j + g.pairArgmax(in, r0 + 2 * j)];
          }
        }
      }
    });
    return out;
  }

  /** The gradient of {@link #maxPairs}: each block's two input rows written whole, the tail window by window. */
  private static float[] maxPairsBackward(Window g, float[] in, int inOff, float[] gout, int gOff) {
    float[] dx = new float[g.planes * g.h * g.w];
    int half = VectorPool.windowsPerBlock();
    Parallel.forRange(g.planes, g.work(), (from, to) -> {
      for (int plane = from; plane < to; plane++) {
        for (int i = 0; i < g.ho; i++) {
          int d0 = (plane * g.h + 2 * i) * g.w;
          int r0 = inOff + d0;
          int gAt = gOff + (plane * g.ho + i) * g.wo;
          int full = g.wo / half;
          int blocks = full;
          if (full * half < g.wo && g.w == 2 * g.wo && i + 1 < g.ho && 2 * (full + 1) * half <= 3 * g.w
              && gAt + (full + 2) * half <= gout.length && r0 + g.w + 2 * (full + 1) * half < in.length) {
            // a last, partial block: what it writes past the row pair's end lands on the next pair
            // (and no further), whose every element this thread writes afterwards (see VectorPool.maxBackward)
            blocks++;
          }
          while (blocks > 0 && (gAt + (blocks + 1) * half > gout.length || r0 + g.w + 2 * blocks * half >= in.length)) {
            blocks--;
          }
          VectorPool.maxBackward(in, r0, g.w, gout, gAt, dx, d0, blocks);
          for (int j = Math.min(g.wo, blocks * half); j < g.wo; j++) {
            // all four elements, as the blocks do: a partial block of the row pair above wrote here
            int off = g.pairArgmax(in, r0 + 2 * j);
            float gj = gout[gAt + j];
            int a0 = d0 + 2 * j;
            dx[a0] = off == 0 ? gj : 0f;
            dx[a0 + 1] = off == 1 ? gj : 0f;
            dx[a0 + g.w] = off == g.w ? gj : 0f;
            dx[a0 + g.w + 1] = off == g.w + 1 ? gj : 0f;
          }
        }
      }
    });
    return dx;
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
    /** Whether {@link #rowArgmax} applies: 2×2 windows, no padding (floor mode keeps windows in the plane). */
    final boolean unrolled;
    /** Whether {@link #unrolled} windows also have stride 2, so no two windows share an element. */
    final boolean pairs;

    Window(String op, Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
      this(op, x.dtype(), Internals.shapeRef(x), kh, kw, sh, sw, ph, pw);
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
      this.unrolled = kh == 2 && kw == 2 && ph == 0 && pw == 0;
      this.pairs = unrolled && sh == 2 && sw == 2;
    }

    /**
     * The first maximum of the 2×2 window whose top-left element is {@code in[a0]} (NaN first), as
     * its offset from {@code a0} (0, 1, w or w + 1): as {@link #rowArgmax}, branch-free.
     */
    int pairArgmax(float[] in, int a0) {
      float v0 = in[a0];
      float v1 = in[a0 + 1];
      float v2 = in[a0 + w];
      float v3 = in[a0 + w + 1];
      float m = Math.max(Math.max(v0, v1), Math.max(v2, v3));
      int id = w + 1;
      id = v2 == m | v2 != v2 ? w : id;
      id = v1 == m | v1 != v1 ? 1 : id;
      id = v0 == m | v0 != v0 ? 0 : id;
      return id;
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
      if (!Arrays.equals(Internals.shapeRef(gy), outShape())) {
        throw new IllegalArgumentException("pool2d backward: expected a gradient of shape "
            + Arrays.toString(outShape()) + ", but got " + Arrays.toString(Internals.shapeRef(gy)));
      }
    }

    // twin-float: windowRows (FLOAT32 copy of twin-source windowRows, written by FloatTwinsTest: edit the source)
    /**
     * {@link #argmax} for every 2×2 window of output row {@code i} of {@code plane}, when there is no
     * padding ({@link #unrolled}): {@code idx[j]} gets the flat index.
     * Branch-free (selects on locals; random data mispredicts the branches of {@link #argmax} about
     * once a window): the window's maximum by {@code Math.max} (which propagates NaN), then the
     * elements equal to it (or NaN) are picked in reverse window order, so the first one wins, as in
     * {@link #argmax}.
     */
    void rowArgmax(float[] in, int off, int plane, int i, int[] idx) {
      int start = (plane * h + i * sh) * w;
      for (int j = 0; j < wo; j++) {
        int a0 = start + j * sw;
        int a1 = a0 + 1;
        int a2 = a0 + w;
        int a3 = a2 + 1;
        float v0 = in[off + a0];
        float v1 = in[off + a1];
        float v2 = in[off + a2];
        float v3 = in[off + a3];
        float m = Math.max(Math.max(v0, v1), Math.max(v2, v3));
        int id = a3;
        id = v2 == m | v2 != v2 ? a2 : id;
        id = v1 == m | v1 != v1 ? a1 : id;
        id = v0 == m | v0 != v0 ? a0 : id;
        idx[j] = id;
      }
    }

    /**
     * The values of {@link #rowArgmax}'s windows into {@code out} from {@code at}, without their
     * indices: {@code Math.max} returns its first argument's NaN, so the chain yields the first NaN;
     * a zero maximum takes the first zero in window order, so its sign is the first maximum's.
     */
    void rowMax(float[] in, int off, int plane, int i, float[] out, int at) {
      int start = off + (plane * h + i * sh) * w;
      for (int j = 0; j < wo; j++) {
        int a0 = start + j * sw;
        float v0 = in[a0];
        float v1 = in[a0 + 1];
        float v2 = in[a0 + w];
        float v3 = in[a0 + w + 1];
        float m = Math.max(Math.max(v0, v1), Math.max(v2, v3));
        float zero = v0 == 0 ? v0 : v1 == 0 ? v1 : v2 == 0 ? v2 : v3;
        out[at + j] = m == 0 ? zero : m;
      }
    }
    // twin-end: windowRows

    // twin-source: windowRows
    /**
     * {@link #argmax} for every 2×2 window of output row {@code i} of {@code plane}, when there is no
     * padding ({@link #unrolled}): {@code idx[j]} gets the flat index.
     * Branch-free (selects on locals; random data mispredicts the branches of {@link #argmax} about
     * once a window): the window's maximum by {@code Math.max} (which propagates NaN), then the
     * elements equal to it (or NaN) are picked in reverse window order, so the first one wins, as in
     * {@link #argmax}.
     */
    void rowArgmax(double[] in, int off, int plane, int i, int[] idx) {
      int start = (plane * h + i * sh) * w;
      for (int j = 0; j < wo; j++) {
        int a0 = start + j * sw;
        int a1 = a0 + 1;
        int a2 = a0 + w;
        int a3 = a2 + 1;
        double v0 = in[off + a0];
        double v1 = in[off + a1];
        double v2 = in[off + a2];
        double v3 = in[off + a3];
        double m = Math.max(Math.max(v0, v1), Math.max(v2, v3));
        int id = a3;
        id = v2 == m | v2 != v2 ? a2 : id;
        id = v1 == m | v1 != v1 ? a1 : id;
        id = v0 == m | v0 != v0 ? a0 : id;
        idx[j] = id;
      }
    }

    /**
     * The values of {@link #rowArgmax}'s windows into {@code out} from {@code at}, without their
     * indices: {@code Math.max} returns its first argument's NaN, so the chain yields the first NaN;
     * a zero maximum takes the first zero in window order, so its sign is the first maximum's.
     */
    void rowMax(double[] in, int off, int plane, int i, double[] out, int at) {
      int start = off + (plane * h + i * sh) * w;
      for (int j = 0; j < wo; j++) {
        int a0 = start + j * sw;
        double v0 = in[a0];
        double v1 = in[a0 + 1];
        double v2 = in[a0 + w];
        double v3 = in[a0 + w + 1];
        double m = Math.max(Math.max(v0, v1), Math.max(v2, v3));
        double zero = v0 == 0 ? v0 : v1 == 0 ? v1 : v2 == 0 ? v2 : v3;
        out[at + j] = m == 0 ? zero : m;
      }
    }
    // twin-end: windowRows

    // twin-float: argmax (FLOAT32 copy of twin-source argmax, written by FloatTwinsTest: edit the source)
    /**
     * The flat index (relative to {@code off}) of the first maximum in window (i, j) of {@code plane};
     * NaN wins, as in PyTorch.
     */
    int argmax(float[] in, int off, int plane, int i, int j) {
      int best = -1;
      float max = Float.NEGATIVE_INFINITY;
      int a1 = Math.min(h, i * sh - ph + kh);
      int b0 = Math.max(0, j * sw - pw);
      int b1 = Math.min(w, j * sw - pw + kw);
      for (int a = Math.max(0, i * sh - ph); a < a1; a++) {
        int row = (plane * h + a) * w;
        for (int b = b0; b < b1; b++) {
          float v = in[off + row + b];
          if (best < 0 || v > max || v != v) {
            best = row + b;
            max = v;
            if (v != v) {
              return best;
            }
          }
        }
      }
      return best;
    }
    // twin-end: argmax

    // twin-source: argmax
    /**
     * The flat index (relative to {@code off}) of the first maximum in window (i, j) of {@code plane};
     * NaN wins, as in PyTorch.
     */
    int argmax(double[] in, int off, int plane, int i, int j) {
      int best = -1;
      double max = Double.NEGATIVE_INFINITY;
      int a1 = Math.min(h, i * sh - ph + kh);
      int b0 = Math.max(0, j * sw - pw);
      int b1 = Math.min(w, j * sw - pw + kw);
      for (int a = Math.max(0, i * sh - ph); a < a1; a++) {
        int row = (plane * h + a) * w;
        for (int b = b0; b < b1; b++) {
          double v = in[off + row + b];
          if (best < 0 || v > max || v != v) {
            best = row + b;
            max = v;
            if (v != v) {
              return best;
            }
          }
        }
      }
      return best;
    }
    // twin-end: argmax

    Tensor result(double[] values, DType dtype, int[] shape) {
      if (dtype == DType.FLOAT64) {
        return Internals.wrap(Storage.of(values), shape);
      }
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      return Internals.wrap(Storage.of(f), shape);
    }
  }
}

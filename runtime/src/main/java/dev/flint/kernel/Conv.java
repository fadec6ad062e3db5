package dev.flint.kernel;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * 2-D convolution kernels (cross-correlation, as {@code torch.nn.functional.conv2d}) by im2col: each
 * sample's receptive fields are unrolled into a {@code [C·kH·kW, Ho·Wo]} matrix, so the convolution
 * and both its gradients become matrix products. FLOAT32 and FLOAT64; inputs of any layout.
 *
 * <p>Shapes: input {@code x: [N, C, H, W]}, weight {@code w: [O, C, kH, kW]}, output
 * {@code [N, O, Ho, Wo]} with {@code Ho = (H + 2·padH − kH) / strideH + 1} (floor), likewise Wo.
 */
public final class Conv {
  private Conv() {}

  /** The output size of a convolution or pooling window along one dimension (floor mode). */
  public static int outputSize(int in, int kernel, int stride, int padding) {
    return (in + 2 * padding - kernel) / stride + 1;
  }

  /** {@code y[n, o] = Σ_c w[o, c] ⋆ x[n, c]}: the convolution without bias. Samples run in parallel. */
  public static Tensor conv2d(Tensor x, Tensor w, int strideH, int strideW, int padH, int padW) {
    checkDtypes("conv2d", x, w);
    Geometry g = new Geometry(x.shapeRef(), w.shapeRef(), strideH, strideW, padH, padW);
    Tensor xc = x.contiguous();
    Tensor wc = w.contiguous();
    Tensor out = Tensor.empty(x.dtype(), g.n, g.o, g.ho, g.wo);
    int xo = xc.offset();
    int wo = wc.offset();
    int sample = g.c * g.h * g.w;
    Parallel.forRange(g.n, g.flops(), (from, to) -> {
      if (xc.dtype() == DType.FLOAT32) {
        float[] cols = new float[g.k * g.p];
        for (int n = from; n < to; n++) {
          im2col(xc.storage().floats(), xo + n * sample, g, cols);
          gemm(wc.storage().floats(), wo, cols, out.storage().floats(), n * g.o * g.p, g.o, g.k, g.p);
        }
      } else {
        double[] cols = new double[g.k * g.p];
        for (int n = from; n < to; n++) {
          im2col(xc.storage().doubles(), xo + n * sample, g, cols);
          gemm(wc.storage().doubles(), wo, cols, out.storage().doubles(), n * g.o * g.p, g.o, g.k, g.p);
        }
      }
    });
    return out;
  }

  /**
   * The gradient with respect to the input of {@link #conv2d}: {@code col2im(wᵀ · gy[n])} for each
   * sample, where {@code gy: [N, O, Ho, Wo]} and the input had shape {@code inShape}.
   */
  public static Tensor conv2dInputGrad(Tensor gy, Tensor w, int[] inShape,
      int strideH, int strideW, int padH, int padW) {
    checkDtypes("conv2d backward", gy, w);
    Geometry g = new Geometry(inShape, w.shapeRef(), strideH, strideW, padH, padW);
    g.checkOutput(gy.shapeRef());
    Tensor gc = gy.contiguous();
    Tensor wc = w.contiguous();
    Tensor dx = Tensor.empty(gy.dtype(), g.n, g.c, g.h, g.w);
    int go = gc.offset();
    int wo = wc.offset();
    Parallel.forRange(g.n, g.flops(), (from, to) -> {
      if (gc.dtype() == DType.FLOAT32) {
        float[] cols = new float[g.k * g.p];
        for (int n = from; n < to; n++) {
          Arrays.fill(cols, 0);
          gemmTransposedA(wc.storage().floats(), wo, gc.storage().floats(), go + n * g.o * g.p, cols, g.o, g.k, g.p);
          col2im(cols, g, dx.storage().floats(), n * g.c * g.h * g.w);
        }
      } else {
        double[] cols = new double[g.k * g.p];
        for (int n = from; n < to; n++) {
          Arrays.fill(cols, 0);
          gemmTransposedA(wc.storage().doubles(), wo, gc.storage().doubles(), go + n * g.o * g.p, cols, g.o, g.k, g.p);
          col2im(cols, g, dx.storage().doubles(), n * g.c * g.h * g.w);
        }
      }
    });
    return dx;
  }

  /**
   * The gradient with respect to the weight of {@link #conv2d}: {@code Σ_n gy[n] · im2col(x[n])ᵀ},
   * shaped {@code weightShape = [O, C, kH, kW]}. Each thread sums its samples; the partial sums are
   * then added in a fixed order, so the result does not depend on scheduling.
   */
  public static Tensor conv2dWeightGrad(Tensor gy, Tensor x, int[] weightShape,
      int strideH, int strideW, int padH, int padW) {
    checkDtypes("conv2d backward", gy, x);
    Geometry g = new Geometry(x.shapeRef(), weightShape, strideH, strideW, padH, padW);
    g.checkOutput(gy.shapeRef());
    Tensor gc = gy.contiguous();
    Tensor xc = x.contiguous();
    int go = gc.offset();
    int xo = xc.offset();
    int sample = g.c * g.h * g.w;
    boolean f32 = gc.dtype() == DType.FLOAT32;
    int chunks = Math.max(1, Math.min(g.n, Parallel.threads()));
    Object[] partial = new Object[chunks];
    int per = (g.n + chunks - 1) / chunks;
    Parallel.forRange(chunks, g.flops(), (from, to) -> {
      for (int chunk = from; chunk < to; chunk++) {
        int n0 = chunk * per;
        int n1 = Math.min(g.n, n0 + per);
        if (f32) {
          float[] dw = new float[g.o * g.k];
          float[] cols = new float[g.k * g.p];
          float[] rows = new float[g.p * g.k];
          for (int n = n0; n < n1; n++) {
            im2col(xc.storage().floats(), xo + n * sample, g, cols);
            transpose(cols, rows, g.k, g.p);
            gemm(gc.storage().floats(), go + n * g.o * g.p, rows, dw, 0, g.o, g.p, g.k);
          }
          partial[chunk] = dw;
        } else {
          double[] dw = new double[g.o * g.k];
          double[] cols = new double[g.k * g.p];
          double[] rows = new double[g.p * g.k];
          for (int n = n0; n < n1; n++) {
            im2col(xc.storage().doubles(), xo + n * sample, g, cols);
            transpose(cols, rows, g.k, g.p);
            gemm(gc.storage().doubles(), go + n * g.o * g.p, rows, dw, 0, g.o, g.p, g.k);
          }
          partial[chunk] = dw;
        }
      }
    });
    Tensor dw = Tensor.empty(gy.dtype(), weightShape);
    for (Object part : partial) {
      if (part == null) {
        continue;   // a chunk with no samples (n < threads)
      }
      if (f32) {
        float[] sum = dw.storage().floats();
        float[] add = (float[]) part;
        for (int i = 0; i < sum.length; i++) {
          sum[i] += add[i];
        }
      } else {
        double[] sum = dw.storage().doubles();
        double[] add = (double[]) part;
        for (int i = 0; i < sum.length; i++) {
          sum[i] += add[i];
        }
      }
    }
    return dw;
  }

  private static void transpose(float[] a, float[] t, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
  }

  private static void transpose(double[] a, double[] t, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
  }

  /** Fails unless both tensors are FLOAT32 or both are FLOAT64. */
  static void checkDtypes(String op, Tensor a, Tensor b) {
    if (!a.dtype().isFloatingPoint() || a.dtype() != b.dtype()) {
      throw new IllegalArgumentException(op + ": expected FLOAT32 or FLOAT64 tensors of one dtype, but got "
          + a.dtype() + " and " + b.dtype() + "; convert with to(DType.FLOAT32)");
    }
  }

  /** The sizes of one convolution, checked once. */
  static final class Geometry {
    final int n, c, h, w, o, kh, kw, sh, sw, ph, pw, ho, wo, k, p;

    Geometry(int[] x, int[] weight, int sh, int sw, int ph, int pw) {
      if (x.length != 4 || weight.length != 4) {
        throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] and weight [O, C, kH, kW], but got "
            + Arrays.toString(x) + " and " + Arrays.toString(weight));
      }
      if (x[1] != weight[1]) {
        throw new IllegalArgumentException("conv2d: weight " + Arrays.toString(weight) + " expects input with "
            + weight[1] + " channels, but got " + x[1] + " channels (input shape " + Arrays.toString(x) + ")");
      }
      if (sh < 1 || sw < 1 || ph < 0 || pw < 0) {
        throw new IllegalArgumentException("conv2d: stride must be >= 1 and padding >= 0, but got stride ("
            + sh + ", " + sw + ") and padding (" + ph + ", " + pw + ")");
      }
      this.n = x[0];
      this.c = x[1];
      this.h = x[2];
      this.w = x[3];
      this.o = weight[0];
      this.kh = weight[2];
      this.kw = weight[3];
      this.sh = sh;
      this.sw = sw;
      this.ph = ph;
      this.pw = pw;
      if (h + 2 * ph < kh || w + 2 * pw < kw) {
        throw new IllegalArgumentException("conv2d: kernel size (" + kh + ", " + kw + ") is larger than the padded "
            + "input (" + (h + 2 * ph) + ", " + (w + 2 * pw) + ")");
      }
      this.ho = outputSize(h, kh, sh, ph);
      this.wo = outputSize(w, kw, sw, pw);
      this.k = c * kh * kw;
      this.p = ho * wo;
    }

    /** The multiply-adds of one pass, for deciding whether to split over threads. */
    long flops() {
      return (long) n * o * k * p;
    }

    void checkOutput(int[] gy) {
      if (gy.length != 4 || gy[0] != n || gy[1] != o || gy[2] != ho || gy[3] != wo) {
        throw new IllegalArgumentException("conv2d backward: expected a gradient of shape "
            + Arrays.toString(new int[] {n, o, ho, wo}) + ", but got " + Arrays.toString(gy));
      }
    }
  }

  // ---------------------------------------------------------------- im2col / col2im

  /** Unrolls one sample {@code x[c, h, w]} (at {@code off}) into {@code cols[(c·kH + i)·kW + j, oh·Wo + ow]}. */
  static void im2col(float[] x, int off, Geometry g, float[] cols) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * g.p;
          for (int oh = 0; oh < g.ho; oh++) {
            int ih = oh * g.sh - g.ph + i;
            int at = row + oh * g.wo;
            if (ih < 0 || ih >= g.h) {
              Arrays.fill(cols, at, at + g.wo, 0f);
              continue;
            }
            int base = off + (c * g.h + ih) * g.w;
            for (int ow = 0; ow < g.wo; ow++) {
              int iw = ow * g.sw - g.pw + j;
              cols[at + ow] = iw >= 0 && iw < g.w ? x[base + iw] : 0f;
            }
          }
        }
      }
    }
  }

  static void im2col(double[] x, int off, Geometry g, double[] cols) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * g.p;
          for (int oh = 0; oh < g.ho; oh++) {
            int ih = oh * g.sh - g.ph + i;
            int at = row + oh * g.wo;
            if (ih < 0 || ih >= g.h) {
              Arrays.fill(cols, at, at + g.wo, 0);
              continue;
            }
            int base = off + (c * g.h + ih) * g.w;
            for (int ow = 0; ow < g.wo; ow++) {
              int iw = ow * g.sw - g.pw + j;
              cols[at + ow] = iw >= 0 && iw < g.w ? x[base + iw] : 0;
            }
          }
        }
      }
    }
  }

  /** The adjoint of {@link #im2col}: adds each column entry back to the input pixel it came from. */
  static void col2im(float[] cols, Geometry g, float[] dx, int off) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * g.p;
          for (int oh = 0; oh < g.ho; oh++) {
            int ih = oh * g.sh - g.ph + i;
            if (ih < 0 || ih >= g.h) {
              continue;
            }
            int at = row + oh * g.wo;
            int base = off + (c * g.h + ih) * g.w;
            for (int ow = 0; ow < g.wo; ow++) {
              int iw = ow * g.sw - g.pw + j;
              if (iw >= 0 && iw < g.w) {
                dx[base + iw] += cols[at + ow];
              }
            }
          }
        }
      }
    }
  }

  static void col2im(double[] cols, Geometry g, double[] dx, int off) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = ((c * g.kh + i) * g.kw + j) * g.p;
          for (int oh = 0; oh < g.ho; oh++) {
            int ih = oh * g.sh - g.ph + i;
            if (ih < 0 || ih >= g.h) {
              continue;
            }
            int at = row + oh * g.wo;
            int base = off + (c * g.h + ih) * g.w;
            for (int ow = 0; ow < g.wo; ow++) {
              int iw = ow * g.sw - g.pw + j;
              if (iw >= 0 && iw < g.w) {
                dx[base + iw] += cols[at + ow];
              }
            }
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- matrix products (row-major)

  /** {@code c[cOff + M×N] = a[aOff + M×K] · b[K×N]}; the inner loop runs along rows so the JIT vectorizes it. */
  static void gemm(float[] a, int aOff, float[] b, float[] c, int cOff, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * n;
      for (int kk = 0; kk < k; kk++) {
        float av = a[aOff + i * k + kk];
        int bk = kk * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bk + j];
        }
      }
    }
  }

  static void gemm(double[] a, int aOff, double[] b, double[] c, int cOff, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * n;
      for (int kk = 0; kk < k; kk++) {
        double av = a[aOff + i * k + kk];
        int bk = kk * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bk + j];
        }
      }
    }
  }

  /** {@code c[K×N] += a[aOff + M×K]ᵀ · b[bOff + M×N]}. */
  static void gemmTransposedA(float[] a, int aOff, float[] b, int bOff, float[] c, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      int bi = bOff + i * n;
      for (int kk = 0; kk < k; kk++) {
        float av = a[aOff + i * k + kk];
        int ck = kk * n;
        for (int j = 0; j < n; j++) {
          c[ck + j] += av * b[bi + j];
        }
      }
    }
  }

  static void gemmTransposedA(double[] a, int aOff, double[] b, int bOff, double[] c, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      int bi = bOff + i * n;
      for (int kk = 0; kk < k; kk++) {
        double av = a[aOff + i * k + kk];
        int ck = kk * n;
        for (int j = 0; j < n; j++) {
          c[ck + j] += av * b[bi + j];
        }
      }
    }
  }
}

package dev.flint.kernel;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * 2-D convolution kernels (cross-correlation, as {@code torch.nn.functional.conv2d}) by im2col: each
 * sample's receptive fields are unrolled into a {@code [C·kH·kW, Ho·Wo]} matrix, so the convolution
 * and both its gradients become batched matrix products, run by the library's {@link MatMul} kernel
 * over chunks of samples. FLOAT32 and FLOAT64; inputs of any layout.
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

  /** {@code y[n, o] = Σ_c w[o, c] ⋆ x[n, c]}: the convolution without bias, as {@code w · im2col(x[n])}. */
  public static Tensor conv2d(Tensor x, Tensor w, int strideH, int strideW, int padH, int padW) {
    checkDtypes("conv2d", x, w);
    Geometry g = new Geometry(x.shapeRef(), w.shapeRef(), strideH, strideW, padH, padW);
    Tensor xc = x.contiguous();
    Tensor w2 = matrix(w.contiguous(), g.o, g.k, false);
    Tensor out = Tensor.empty(x.dtype(), g.n, g.o, g.ho, g.wo);
    Tensor buffer = Tensor.empty(x.dtype(), g.chunk() * g.k * g.p);
    for (int n0 = 0; n0 < g.n; n0 += g.chunk()) {
      int count = Math.min(g.chunk(), g.n - n0);
      unfold(xc, n0, count, g, buffer);
      Kernels.matmul(w2, batch(buffer, 0, count, g.k, g.p), batch(out, n0 * g.o * g.p, count, g.o, g.p));
    }
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
    Tensor wt = matrix(w.contiguous(), g.k, g.o, true);
    Tensor dx = Tensor.empty(gy.dtype(), g.n, g.c, g.h, g.w);
    Tensor buffer = Tensor.empty(gy.dtype(), g.chunk() * g.k * g.p);
    for (int n0 = 0; n0 < g.n; n0 += g.chunk()) {
      int count = Math.min(g.chunk(), g.n - n0);
      Kernels.matmul(wt, batch(gc, gc.offset() + n0 * g.o * g.p, count, g.o, g.p), batch(buffer, 0, count, g.k, g.p));
      fold(buffer, n0, count, g, dx);
    }
    return dx;
  }

  /**
   * The gradient with respect to the weight of {@link #conv2d}: {@code Σ_n gy[n] · im2col(x[n])ᵀ},
   * shaped {@code weightShape = [O, C, kH, kW]}; the per-sample products are summed in sample order.
   */
  public static Tensor conv2dWeightGrad(Tensor gy, Tensor x, int[] weightShape,
      int strideH, int strideW, int padH, int padW) {
    checkDtypes("conv2d backward", gy, x);
    Geometry g = new Geometry(x.shapeRef(), weightShape, strideH, strideW, padH, padW);
    g.checkOutput(gy.shapeRef());
    Tensor gc = gy.contiguous();
    Tensor xc = x.contiguous();
    Tensor dw = Tensor.empty(gy.dtype(), weightShape);
    Tensor buffer = Tensor.empty(gy.dtype(), g.chunk() * g.k * g.p);
    for (int n0 = 0; n0 < g.n; n0 += g.chunk()) {
      int count = Math.min(g.chunk(), g.n - n0);
      unfold(xc, n0, count, g, buffer);
      // im2col(x[n])ᵀ as a transposed view [count, P, K]: the matmul reads any layout.
      Tensor colsT = Tensor.view(buffer.storage(), 0, new int[] {count, g.p, g.k}, new int[] {g.k * g.p, 1, g.p});
      Tensor products = Kernels.matmul(batch(gc, gc.offset() + n0 * g.o * g.p, count, g.o, g.p), colsT);
      addSamples(products, count, dw);
    }
    return dw;
  }

  /** The weight {@code [O, C, kH, kW]} as the matrix {@code [O, K]}, or its transpose {@code [K, O]} as a view. */
  private static Tensor matrix(Tensor w, int rows, int cols, boolean transposed) {
    int k = transposed ? rows : cols;
    return Tensor.view(w.storage(), w.offset(), new int[] {rows, cols}, transposed ? new int[] {1, k} : new int[] {k, 1});
  }

  /** A contiguous {@code [count, rows, cols]} view of {@code t}'s storage from {@code offset}. */
  private static Tensor batch(Tensor t, int offset, int count, int rows, int cols) {
    return Tensor.view(t.storage(), offset, new int[] {count, rows, cols}, new int[] {rows * cols, cols, 1});
  }

  /** im2col of samples {@code [n0, n0 + count)} of {@code x} into {@code buffer}, one {@code [K, P]} block each. */
  private static void unfold(Tensor x, int n0, int count, Geometry g, Tensor buffer) {
    int sample = g.c * g.h * g.w;
    int block = g.k * g.p;
    Parallel.forRange(count, (long) count * block, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (x.dtype() == DType.FLOAT32) {
          im2col(x.storage().floats(), x.offset() + (n0 + i) * sample, g, buffer.storage().floats(), i * block);
        } else {
          im2col(x.storage().doubles(), x.offset() + (n0 + i) * sample, g, buffer.storage().doubles(), i * block);
        }
      }
    });
  }

  /** col2im of each {@code [K, P]} block of {@code buffer} into sample {@code n0 + i} of {@code dx}. */
  private static void fold(Tensor buffer, int n0, int count, Geometry g, Tensor dx) {
    int sample = g.c * g.h * g.w;
    int block = g.k * g.p;
    Parallel.forRange(count, (long) count * block, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (dx.dtype() == DType.FLOAT32) {
          col2im(buffer.storage().floats(), i * block, g, dx.storage().floats(), (n0 + i) * sample);
        } else {
          col2im(buffer.storage().doubles(), i * block, g, dx.storage().doubles(), (n0 + i) * sample);
        }
      }
    });
  }

  /** {@code dw += Σ_i products[i]} over the {@code count} leading matrices, in order. */
  private static void addSamples(Tensor products, int count, Tensor dw) {
    int size = dw.numel();
    if (dw.dtype() == DType.FLOAT32) {
      float[] sum = dw.storage().floats();
      float[] add = products.storage().floats();
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < size; j++) {
          sum[j] += add[products.offset() + i * size + j];
        }
      }
    } else {
      double[] sum = dw.storage().doubles();
      double[] add = products.storage().doubles();
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < size; j++) {
          sum[j] += add[products.offset() + i * size + j];
        }
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

    /** Samples per im2col buffer: as many as fit in about 4M elements, at least one. */
    int chunk() {
      return (int) Math.max(1, Math.min(n, (1L << 22) / Math.max(1L, (long) k * p)));
    }

    void checkOutput(int[] gy) {
      if (gy.length != 4 || gy[0] != n || gy[1] != o || gy[2] != ho || gy[3] != wo) {
        throw new IllegalArgumentException("conv2d backward: expected a gradient of shape "
            + Arrays.toString(new int[] {n, o, ho, wo}) + ", but got " + Arrays.toString(gy));
      }
    }
  }

  // ---------------------------------------------------------------- im2col / col2im

  /** The first output column whose input column {@code ow·sW − pW + j} is inside the image. */
  static int firstInside(Geometry g, int j) {
    int need = g.pw - j; // ow·sW >= need
    return need <= 0 ? 0 : Math.min(g.wo, (need + g.sw - 1) / g.sw);
  }

  /** One past the last output column whose input column {@code ow·sW − pW + j} is inside the image. */
  static int endInside(Geometry g, int j) {
    int limit = g.w + g.pw - j; // ow·sW < limit
    return limit <= 0 ? 0 : Math.min(g.wo, (limit - 1) / g.sw + 1);
  }

  /** Unrolls one sample {@code x[c, h, w]} (at {@code off}) into {@code cols[(c·kH + i)·kW + j, oh·Wo + ow]}. */
  static void im2col(float[] x, int off, Geometry g, float[] cols, int colsOff) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = colsOff + ((c * g.kh + i) * g.kw + j) * g.p;
          int lo = firstInside(g, j);
          int hi = Math.max(lo, endInside(g, j));
          int shift = j - g.pw;
          for (int oh = 0; oh < g.ho; oh++) {
            int ih = oh * g.sh - g.ph + i;
            int at = row + oh * g.wo;
            if (ih < 0 || ih >= g.h) {
              Arrays.fill(cols, at, at + g.wo, 0f);
              continue;
            }
            int base = off + (c * g.h + ih) * g.w + shift;
            for (int ow = 0; ow < lo; ow++) {
              cols[at + ow] = 0f;
            }
            if (g.sw == 1) {
              System.arraycopy(x, base + lo, cols, at + lo, hi - lo);
            } else {
              for (int ow = lo; ow < hi; ow++) {
                cols[at + ow] = x[base + ow * g.sw];
              }
            }
            for (int ow = hi; ow < g.wo; ow++) {
              cols[at + ow] = 0f;
            }
          }
        }
      }
    }
  }

  static void im2col(double[] x, int off, Geometry g, double[] cols, int colsOff) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = colsOff + ((c * g.kh + i) * g.kw + j) * g.p;
          int lo = firstInside(g, j);
          int hi = Math.max(lo, endInside(g, j));
          int shift = j - g.pw;
          for (int oh = 0; oh < g.ho; oh++) {
            int ih = oh * g.sh - g.ph + i;
            int at = row + oh * g.wo;
            if (ih < 0 || ih >= g.h) {
              Arrays.fill(cols, at, at + g.wo, 0);
              continue;
            }
            int base = off + (c * g.h + ih) * g.w + shift;
            for (int ow = 0; ow < lo; ow++) {
              cols[at + ow] = 0;
            }
            if (g.sw == 1) {
              System.arraycopy(x, base + lo, cols, at + lo, hi - lo);
            } else {
              for (int ow = lo; ow < hi; ow++) {
                cols[at + ow] = x[base + ow * g.sw];
              }
            }
            for (int ow = hi; ow < g.wo; ow++) {
              cols[at + ow] = 0;
            }
          }
        }
      }
    }
  }

  /** The adjoint of {@link #im2col}: adds each column entry back to the input pixel it came from. */
  static void col2im(float[] cols, int colsOff, Geometry g, float[] dx, int off) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = colsOff + ((c * g.kh + i) * g.kw + j) * g.p;
          int lo = firstInside(g, j);
          int hi = endInside(g, j);
          int shift = j - g.pw;
          for (int oh = 0; oh < g.ho; oh++) {
            int ih = oh * g.sh - g.ph + i;
            if (ih < 0 || ih >= g.h) {
              continue;
            }
            int at = row + oh * g.wo;
            int base = off + (c * g.h + ih) * g.w + shift;
            for (int ow = lo; ow < hi; ow++) {
              dx[base + ow * g.sw] += cols[at + ow];
            }
          }
        }
      }
    }
  }

  static void col2im(double[] cols, int colsOff, Geometry g, double[] dx, int off) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = colsOff + ((c * g.kh + i) * g.kw + j) * g.p;
          int lo = firstInside(g, j);
          int hi = endInside(g, j);
          int shift = j - g.pw;
          for (int oh = 0; oh < g.ho; oh++) {
            int ih = oh * g.sh - g.ph + i;
            if (ih < 0 || ih >= g.h) {
              continue;
            }
            int at = row + oh * g.wo;
            int base = off + (c * g.h + ih) * g.w + shift;
            for (int ow = lo; ow < hi; ow++) {
              dx[base + ow * g.sw] += cols[at + ow];
            }
          }
        }
      }
    }
  }
}

package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorConvProducts;
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

  /**
   * {@code y[n, o] = Σ_c w[o, c] ⋆ x[n, c]}: the convolution without bias, as one product
   * {@code w[O, K] · cols[K, count·P]} per chunk of samples, whose columns are then dealt back to
   * the samples' {@code [O, P]} blocks.
   */
  public static Tensor conv2d(Tensor x, Tensor w, int strideH, int strideW, int padH, int padW) {
    checkDtypes("conv2d", x, w);
    Geometry g = new Geometry(Internals.shapeRef(x), Internals.shapeRef(w), strideH, strideW, padH, padW);
    Tensor xc = x.contiguous();
    Tensor w2 = matrix(w.contiguous(), g.o, g.k, false);
    Tensor out = Tensor.empty(x.dtype(), g.n, g.o, g.ho, g.wo);
    int chunk = g.chunk();
    boolean vector = vectorProducts(x.dtype(), g);
    Tensor cols = Workspace.get(x.dtype(), 0, g.k * rowLength(vector, chunk * g.p));
    Tensor product = Workspace.get(x.dtype(), 1, g.o * rowLength(vector, chunk * g.p));
    for (int n0 = 0; n0 < g.n; n0 += chunk) {
      int count = Math.min(chunk, g.n - n0);
      int cn = count * g.p;
      int ld = rowLength(vector, cn);
      unfold(xc, n0, count, g, cols, ld);
      if (vector) {
        vectorProduct(w2, false, cols, product, g.o, g.k, cn, ld);
      } else {
        Kernels.matmul(w2, wide(cols, g.k, cn), wide(product, g.o, cn));
      }
      deal(product, out, n0, count, g.o, g.p, ld);
    }
    return out;
  }

  /**
   * The gradient with respect to the input of {@link #conv2d}: {@code col2im(wᵀ · gy)}, one product
   * {@code wᵀ[K, O] · gy[O, count·P]} per chunk of samples, where {@code gy: [N, O, Ho, Wo]} and the
   * input had shape {@code inShape}.
   */
  public static Tensor conv2dInputGrad(Tensor gy, Tensor w, int[] inShape,
      int strideH, int strideW, int padH, int padW) {
    checkDtypes("conv2d backward", gy, w);
    Geometry g = new Geometry(inShape, Internals.shapeRef(w), strideH, strideW, padH, padW);
    g.checkOutput(Internals.shapeRef(gy));
    Tensor gc = gy.contiguous();
    Tensor w2 = matrix(w.contiguous(), g.o, g.k, false);
    Tensor dx = Tensor.empty(gy.dtype(), g.n, g.c, g.h, g.w);
    int chunk = g.chunk();
    boolean vector = vectorProducts(gy.dtype(), g);
    Tensor cols = Workspace.get(gy.dtype(), 0, g.k * rowLength(vector, chunk * g.p));
    Tensor grads = Workspace.get(gy.dtype(), 1, g.o * rowLength(vector, chunk * g.p));
    for (int n0 = 0; n0 < g.n; n0 += chunk) {
      int count = Math.min(chunk, g.n - n0);
      int cn = count * g.p;
      int ld = rowLength(vector, cn);
      gather(gc, n0, count, g.o, g.p, grads, ld);
      if (vector) {
        vectorProduct(w2, true, grads, cols, g.k, g.o, cn, ld);
      } else {
        Kernels.matmulTN(w2, wide(grads, g.o, cn), wide(cols, g.k, cn));
      }
      fold(cols, n0, count, g, dx, ld);
    }
    return dx;
  }

  /**
   * The gradient with respect to the weight of {@link #conv2d}: {@code Σ_n gy[n] · im2col(x[n])ᵀ},
   * shaped {@code weightShape = [O, C, kH, kW]}, as one product {@code gy[O, count·P] · cols[K, count·P]ᵀ}
   * per chunk of samples (the chunks' products summed in order).
   */
  public static Tensor conv2dWeightGrad(Tensor gy, Tensor x, int[] weightShape,
      int strideH, int strideW, int padH, int padW) {
    checkDtypes("conv2d backward", gy, x);
    Geometry g = new Geometry(Internals.shapeRef(x), weightShape, strideH, strideW, padH, padW);
    g.checkOutput(Internals.shapeRef(gy));
    Tensor gc = gy.contiguous();
    Tensor xc = x.contiguous();
    Tensor dw = Tensor.empty(gy.dtype(), weightShape);
    Tensor dw2 = matrix(dw, g.o, g.k, false);
    int chunk = g.chunk();
    boolean vector = vectorProducts(x.dtype(), g);
    Tensor cols = Workspace.get(x.dtype(), 0, g.k * rowLength(vector, chunk * g.p));
    Tensor grads = Workspace.get(gy.dtype(), 1, g.o * rowLength(vector, chunk * g.p));
    Tensor part = g.n > chunk ? Tensor.empty(gy.dtype(), g.o, g.k) : null;
    for (int n0 = 0; n0 < g.n; n0 += chunk) {
      int count = Math.min(chunk, g.n - n0);
      int cn = count * g.p;
      int ld = rowLength(vector, cn);
      unfold(xc, n0, count, g, cols, ld);
      gather(gc, n0, count, g.o, g.p, grads, ld);
      Tensor target = n0 == 0 ? dw2 : part;
      if (vector) {
        vectorWeightProduct(grads, cols, target, g.o, g.k, cn, ld);
      } else {
        weightProduct(wide(grads, g.o, cn), wide(cols, g.k, cn), target);
      }
      if (n0 > 0) {
        addSamples(part, 1, dw);
      }
    }
    return dw;
  }

  /**
   * {@code out[O, K] = grads[O, L] · cols[K, L]ᵀ}. A product too small for the matmul to split over
   * threads itself but worth splitting (a first layer's: tiny output, long reduction) is cut along
   * L into one slice per thread, whose partial products are then added in slice order.
   */
  private static void weightProduct(Tensor grads, Tensor cols, Tensor out) {
    int o = grads.size(0);
    int k = cols.size(0);
    int len = grads.size(1);
    long work = (long) o * k * len;
    int parts = Math.min(Parallel.threads(), len);
    if (parts < 2 || work >= MatMul.SPLIT_MIN_WORK || !Parallel.worthSplitting(work)) {
      Kernels.matmulNT(grads, cols, out);
      return;
    }
    Tensor[] partial = new Tensor[parts];
    int slice = (len + parts - 1) / parts;
    Parallel.forRange(parts, work, (from, to) -> {
      for (int t = from; t < to; t++) {
        int c0 = t * slice;
        int c1 = Math.min(len, c0 + slice);
        Tensor gs = Internals.view(grads.storage(), grads.offset() + c0, new int[] {o, c1 - c0}, new int[] {len, 1});
        Tensor cs = Internals.view(cols.storage(), cols.offset() + c0, new int[] {k, c1 - c0}, new int[] {len, 1});
        partial[t] = Kernels.matmulNT(gs, cs, t == 0 ? out : null);
      }
    });
    for (int t = 1; t < parts; t++) {
      addSamples(partial[t], 1, out);
    }
  }

  /**
   * Up to this many elements in the weight matrix, FLOAT32 products take {@link VectorConvProducts},
   * which reads the wide operand in place and the weight as broadcast scalars from cache.
   */
  private static final int SMALL_WEIGHT = 1 << 14;

  /**
   * {@code c[m, n] = a·b} on the vector tier, where {@code a} is the weight matrix {@code w2 [O, K]}
   * (or its transpose, {@code [K, O]}, when {@code transposed}) and b and c are workspaces holding
   * {@code [·, n]} matrices with rows {@code ld} apart; columns split over the threads.
   */
  private static void vectorProduct(Tensor w2, boolean transposed, Tensor b, Tensor c, int m, int k, int n, int ld) {
    float[] a = w2.storage().floats();
    int ao = w2.offset();
    int sa0 = transposed ? 1 : k;
    int sa1 = transposed ? m : 1;
    float[] bd = b.storage().floats();
    float[] cd = c.storage().floats();
    long work = (long) m * k * n;
    int strip = 2 * VectorConvProducts.lanes();
    int strips = (n + strip - 1) / strip;
    int parts = Parallel.worthSplitting(work) ? Math.min(strips, 2 * Parallel.threads()) : 1;
    int per = (strips + parts - 1) / parts * strip;
    Parallel.forRange(parts, work, (p0, p1) ->
        VectorConvProducts.gemm(a, ao, sa0, sa1, bd, 0, ld, cd, 0, ld, m, k, Math.min(n, p0 * per), Math.min(n, p1 * per)));
  }

  /**
   * {@link #weightProduct} on the vector tier as dot products ({@link VectorConvProducts#dotNT}): one
   * slice of the rows per thread when worth splitting, the slices' products then added in order.
   */
  private static void vectorWeightProduct(Tensor grads, Tensor cols, Tensor out, int o, int k, int len, int ld) {
    long work = (long) o * k * len;
    float[] gd = grads.storage().floats();
    float[] cd = cols.storage().floats();
    float[] od = out.storage().floats();
    int go = grads.offset();
    int co = cols.offset();
    int oo = out.offset();
    int parts = Parallel.worthSplitting(work) ? Math.min(Parallel.threads(), Math.max(1, len / 1024)) : 1;
    if (parts < 2) {
      VectorConvProducts.dotNT(gd, go, ld, cd, co, ld, od, oo, k, o, k, 0, len);
      return;
    }
    float[][] partial = new float[parts][];
    int slice = (len + parts - 1) / parts;
    Parallel.forRange(parts, work, (from, to) -> {
      for (int t = from; t < to; t++) {
        float[] dst = t == 0 ? od : (partial[t] = new float[o * k]);
        VectorConvProducts.dotNT(gd, go, ld, cd, co, ld, dst, t == 0 ? oo : 0, k, o, k, t * slice,
            Math.min(len, (t + 1) * slice));
      }
    });
    for (int t = 1; t < parts; t++) {
      for (int i = 0; i < o * k; i++) {
        od[oo + i] += partial[t][i];
      }
    }
  }

  /** Whether this convolution's FLOAT32 products take {@link VectorConvProducts}: the tier is on and the weight is small. */
  private static boolean vectorProducts(DType dtype, Geometry g) {
    return dtype == DType.FLOAT32 && VectorTier.active() && (long) g.o * g.k <= SMALL_WEIGHT;
  }

  /**
   * The row length of a workspace matrix of n columns: n for the matmul kernel; for
   * {@link VectorConvProducts}, which walks many rows at the same column at once, n rounded up to an
   * odd number of 64-byte lines, so those rows fall into different L1 cache sets (rows of 12,544 or
   * 50,176 floats, a multiple of 4 KiB apart or nearly, shared a few sets and missed L1 on every load).
   */
  private static int rowLength(boolean vector, int n) {
    if (!vector) {
      return n;
    }
    int lines = (n + 15) / 16;
    return (lines | 1) * 16;
  }

  /** The weight {@code [O, C, kH, kW]} as the matrix {@code [O, K]}, or its transpose {@code [K, O]} as a view. */
  private static Tensor matrix(Tensor w, int rows, int cols, boolean transposed) {
    int k = transposed ? rows : cols;
    return Internals.view(w.storage(), w.offset(), new int[] {rows, cols}, transposed ? new int[] {1, k} : new int[] {k, 1});
  }

  /** A contiguous {@code [rows, cols]} view of the start of {@code t}'s storage (a workspace). */
  private static Tensor wide(Tensor t, int rows, int cols) {
    return Internals.view(t.storage(), 0, new int[] {rows, cols}, new int[] {cols, 1});
  }

  /**
   * Copies samples {@code [n0, n0 + count)} of {@code src: [N, rows, P]} (contiguous) into the
   * workspace {@code dst} as the matrix {@code [rows, count·P]} (rows {@code ld} apart): sample i's block takes columns
   * {@code [i·P, (i+1)·P)}.
   */
  private static void gather(Tensor src, int n0, int count, int rows, int p, Tensor dst, int ld) {
    Object from = array(src);
    Object to = array(dst);
    Parallel.forRange(count, (long) count * rows * p, (s0, s1) -> {
      for (int i = s0; i < s1; i++) {
        int at = src.offset() + (n0 + i) * rows * p;
        for (int r = 0; r < rows; r++) {
          System.arraycopy(from, at + r * p, to, r * ld + i * p, p);
        }
      }
    });
  }

  /** The inverse of {@link #gather}: the workspace {@code [rows, count·P]} back into samples {@code n0..} of {@code dst}. */
  private static void deal(Tensor src, Tensor dst, int n0, int count, int rows, int p, int ld) {
    Object from = array(src);
    Object to = array(dst);
    Parallel.forRange(count, (long) count * rows * p, (s0, s1) -> {
      for (int i = s0; i < s1; i++) {
        int at = dst.offset() + (n0 + i) * rows * p;
        for (int r = 0; r < rows; r++) {
          System.arraycopy(from, r * ld + i * p, to, at + r * p, p);
        }
      }
    });
  }

  /** The primitive array behind a FLOAT32 or FLOAT64 tensor, for {@link System#arraycopy}. */
  private static Object array(Tensor t) {
    return t.dtype() == DType.FLOAT32 ? t.storage().floats() : t.storage().doubles();
  }

  /**
   * im2col of samples {@code [n0, n0 + count)} of {@code x} into the workspace {@code cols} as the
   * matrix {@code [K, count·P]}: sample i fills columns {@code [i·P, (i+1)·P)}.
   */
  private static void unfold(Tensor x, int n0, int count, Geometry g, Tensor cols, int ld) {
    int sample = g.c * g.h * g.w;
    Parallel.forRange(count, (long) count * g.k * g.p, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (x.dtype() == DType.FLOAT32) {
          im2col(x.storage().floats(), x.offset() + (n0 + i) * sample, g, cols.storage().floats(), i * g.p, ld);
        } else {
          im2col(x.storage().doubles(), x.offset() + (n0 + i) * sample, g, cols.storage().doubles(), i * g.p, ld);
        }
      }
    });
  }

  /** col2im of each sample's columns of the workspace {@code cols: [K, count·P]} into sample {@code n0 + i} of {@code dx}. */
  private static void fold(Tensor cols, int n0, int count, Geometry g, Tensor dx, int ld) {
    int sample = g.c * g.h * g.w;
    Parallel.forRange(count, (long) count * g.k * g.p, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (dx.dtype() == DType.FLOAT32) {
          col2im(cols.storage().floats(), i * g.p, ld, g, dx.storage().floats(), (n0 + i) * sample);
        } else {
          col2im(cols.storage().doubles(), i * g.p, ld, g, dx.storage().doubles(), (n0 + i) * sample);
        }
      }
    });
  }

  /** {@code dw += Σ_i products[i]} over the {@code count} leading matrices, in order. */
  private static void addSamples(Tensor products, int count, Tensor dw) {
    int size = dw.numel();
    if (dw.dtype() == DType.FLOAT32) {
      // twin-float: addSamples (FLOAT32 copy of twin-source addSamples, written by FloatTwinsTest: edit the source)
      float[] sum = dw.storage().floats();
      float[] add = products.storage().floats();
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < size; j++) {
          sum[j] += add[products.offset() + i * size + j];
        }
      }
      // twin-end: addSamples
    } else {
      // twin-source: addSamples
      double[] sum = dw.storage().doubles();
      double[] add = products.storage().doubles();
      for (int i = 0; i < count; i++) {
        for (int j = 0; j < size; j++) {
          sum[j] += add[products.offset() + i * size + j];
        }
      }
      // twin-end: addSamples
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
    /**
     * Stride 1 and output rows as wide as input rows ("same" padding across): a column row of im2col
     * is then the input plane shifted by one constant, so it moves as one block (see {@link Conv#im2colSame}).
     */
    final boolean same;

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
      this.same = sh == 1 && sw == 1 && wo == w;
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

  // twin-float: im2col (FLOAT32 copy of twin-source im2col, written by FloatTwinsTest: edit the source)
  /**
   * Unrolls one sample {@code x[c, h, w]} (at {@code off}) into {@code cols[(c·kH + i)·kW + j, oh·Wo + ow]},
   * a {@code [K, P]} block at {@code colsOff} whose rows lie {@code ld} elements apart.
   */
  static void im2col(float[] x, int off, Geometry g, float[] cols, int colsOff, int ld) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = colsOff + ((c * g.kh + i) * g.kw + j) * ld;
          if (g.same && im2colSame(x, off + c * g.h * g.w, g, cols, row, i, j)) {
            continue;
          }
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
  // twin-end: im2col

  // twin-source: im2col
  /**
   * Unrolls one sample {@code x[c, h, w]} (at {@code off}) into {@code cols[(c·kH + i)·kW + j, oh·Wo + ow]},
   * a {@code [K, P]} block at {@code colsOff} whose rows lie {@code ld} elements apart.
   */
  static void im2col(double[] x, int off, Geometry g, double[] cols, int colsOff, int ld) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = colsOff + ((c * g.kh + i) * g.kw + j) * ld;
          if (g.same && im2colSame(x, off + c * g.h * g.w, g, cols, row, i, j)) {
            continue;
          }
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
  // twin-end: im2col

  // twin-float: col2im (FLOAT32 copy of twin-source col2im, written by FloatTwinsTest: edit the source)
  /** The adjoint of {@link #im2col}: adds each column entry back to the input pixel it came from. */
  static void col2im(float[] cols, int colsOff, int ld, Geometry g, float[] dx, int off) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = colsOff + ((c * g.kh + i) * g.kw + j) * ld;
          if (g.same && col2imSame(cols, row, g, dx, off + c * g.h * g.w, i, j)) {
            continue;
          }
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
  // twin-end: col2im

  // twin-source: col2im
  /** The adjoint of {@link #im2col}: adds each column entry back to the input pixel it came from. */
  static void col2im(double[] cols, int colsOff, int ld, Geometry g, double[] dx, int off) {
    for (int c = 0; c < g.c; c++) {
      for (int i = 0; i < g.kh; i++) {
        for (int j = 0; j < g.kw; j++) {
          int row = colsOff + ((c * g.kh + i) * g.kw + j) * ld;
          if (g.same && col2imSame(cols, row, g, dx, off + c * g.h * g.w, i, j)) {
            continue;
          }
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
  // twin-end: col2im

  // twin-float: sameWindows (FLOAT32 copy of twin-source sameWindows, written by FloatTwinsTest: edit the source)
  /**
   * {@link #im2col}'s row for kernel offset (i, j) of one channel plane (at {@code plane}) when
   * {@link Geometry#same}: the in-image outputs read {@code x[plane + d + delta]} for a constant
   * delta, so one copy moves them all; the columns that wrapped around a row edge (outside the image)
   * are then zeroed, as are the rows above and below it. False (nothing written) when the image's
   * columns never meet this offset; the caller then takes the general loop.
   */
  static boolean im2colSame(float[] x, int plane, Geometry g, float[] cols, int row, int i, int j) {
    int lo = firstInside(g, j);
    int hi = endInside(g, j);
    int[] rows = rowsInside(g, i);
    if (hi <= lo || rows[1] <= rows[0]) {
      return false;
    }
    int delta = (i - g.ph) * g.w + (j - g.pw);
    int d0 = rows[0] * g.wo + lo;
    int d1 = (rows[1] - 1) * g.wo + hi;
    Arrays.fill(cols, row, row + rows[0] * g.wo, 0);
    Arrays.fill(cols, row + rows[1] * g.wo, row + g.p, 0);
    System.arraycopy(x, plane + d0 + delta, cols, row + d0, d1 - d0);
    zeroOutside(cols, row, g, rows, lo, hi);
    return true;
  }

  /**
   * {@link #col2im}'s row for kernel offset (i, j) when {@link Geometry#same}: one long add loop
   * {@code dx[plane + d + delta] += cols[row + d]} after the row's outside-the-image columns are
   * zeroed in {@code cols} (it is the caller's workspace; those entries have no pixel). Adding
   * those zeros leaves {@code dx} exact: it starts at +0, and a sum under round-to-nearest never
   * becomes -0 from there, so adding +0 changes nothing. False (nothing done) as in {@link #im2colSame}.
   */
  static boolean col2imSame(float[] cols, int row, Geometry g, float[] dx, int plane, int i, int j) {
    int lo = firstInside(g, j);
    int hi = endInside(g, j);
    int[] rows = rowsInside(g, i);
    if (hi <= lo || rows[1] <= rows[0]) {
      return false;
    }
    int delta = (i - g.ph) * g.w + (j - g.pw);
    int d0 = rows[0] * g.wo + lo;
    int d1 = (rows[1] - 1) * g.wo + hi;
    zeroOutside(cols, row, g, rows, lo, hi);
    int shift = plane + delta - row;
    for (int d = row + d0; d < row + d1; d++) {
      dx[d + shift] += cols[d];
    }
    return true;
  }

  private static void zeroOutside(float[] cols, int row, Geometry g, int[] rows, int lo, int hi) {
    // column by column (a 3×3 kernel with padding 1 has at most one on each side), each a strided run down the rows
    int first = row + rows[0] * g.wo;
    int end = row + rows[1] * g.wo;
    for (int ow = 0; ow < lo; ow++) {
      for (int at = first + ow; at < end; at += g.wo) {
        cols[at] = 0;
      }
    }
    for (int ow = hi; ow < g.wo; ow++) {
      for (int at = first + ow; at < end; at += g.wo) {
        cols[at] = 0;
      }
    }
  }
  // twin-end: sameWindows

  // twin-source: sameWindows
  /**
   * {@link #im2col}'s row for kernel offset (i, j) of one channel plane (at {@code plane}) when
   * {@link Geometry#same}: the in-image outputs read {@code x[plane + d + delta]} for a constant
   * delta, so one copy moves them all; the columns that wrapped around a row edge (outside the image)
   * are then zeroed, as are the rows above and below it. False (nothing written) when the image's
   * columns never meet this offset; the caller then takes the general loop.
   */
  static boolean im2colSame(double[] x, int plane, Geometry g, double[] cols, int row, int i, int j) {
    int lo = firstInside(g, j);
    int hi = endInside(g, j);
    int[] rows = rowsInside(g, i);
    if (hi <= lo || rows[1] <= rows[0]) {
      return false;
    }
    int delta = (i - g.ph) * g.w + (j - g.pw);
    int d0 = rows[0] * g.wo + lo;
    int d1 = (rows[1] - 1) * g.wo + hi;
    Arrays.fill(cols, row, row + rows[0] * g.wo, 0);
    Arrays.fill(cols, row + rows[1] * g.wo, row + g.p, 0);
    System.arraycopy(x, plane + d0 + delta, cols, row + d0, d1 - d0);
    zeroOutside(cols, row, g, rows, lo, hi);
    return true;
  }

  /**
   * {@link #col2im}'s row for kernel offset (i, j) when {@link Geometry#same}: one long add loop
   * {@code dx[plane + d + delta] += cols[row + d]} after the row's outside-the-image columns are
   * zeroed in {@code cols} (it is the caller's workspace; those entries have no pixel). Adding
   * those zeros leaves {@code dx} exact: it starts at +0, and a sum under round-to-nearest never
   * becomes -0 from there, so adding +0 changes nothing. False (nothing done) as in {@link #im2colSame}.
   */
  static boolean col2imSame(double[] cols, int row, Geometry g, double[] dx, int plane, int i, int j) {
    int lo = firstInside(g, j);
    int hi = endInside(g, j);
    int[] rows = rowsInside(g, i);
    if (hi <= lo || rows[1] <= rows[0]) {
      return false;
    }
    int delta = (i - g.ph) * g.w + (j - g.pw);
    int d0 = rows[0] * g.wo + lo;
    int d1 = (rows[1] - 1) * g.wo + hi;
    zeroOutside(cols, row, g, rows, lo, hi);
    int shift = plane + delta - row;
    for (int d = row + d0; d < row + d1; d++) {
      dx[d + shift] += cols[d];
    }
    return true;
  }

  private static void zeroOutside(double[] cols, int row, Geometry g, int[] rows, int lo, int hi) {
    // column by column (a 3×3 kernel with padding 1 has at most one on each side), each a strided run down the rows
    int first = row + rows[0] * g.wo;
    int end = row + rows[1] * g.wo;
    for (int ow = 0; ow < lo; ow++) {
      for (int at = first + ow; at < end; at += g.wo) {
        cols[at] = 0;
      }
    }
    for (int ow = hi; ow < g.wo; ow++) {
      for (int at = first + ow; at < end; at += g.wo) {
        cols[at] = 0;
      }
    }
  }
  // twin-end: sameWindows

  /** The output rows {@code [from, to)} whose input row {@code oh - pH + i} is inside the image (stride 1). */
  static int[] rowsInside(Geometry g, int i) {
    int from = Math.max(0, g.ph - i);
    int to = Math.min(g.ho, g.h + g.ph - i);
    return new int[] {from, Math.max(from, to)};
  }
}

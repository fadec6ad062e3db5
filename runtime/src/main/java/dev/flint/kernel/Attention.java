package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Fused scaled dot-product attention over {@code n} independent (batch, head) slices, FlashAttention's
 * way (Note [Fused attention]): {@code out_i = Σ_j softmax_j(scale · q_i·k_j + mask_ij) v_j}.
 *
 * <p>Arrays are row-major and contiguous: {@code q [n, t, e]}, {@code k [n, s, e]}, {@code v [n, s, ev]},
 * {@code out [n, t, ev]}, {@code lse [n, t]}. The mask is additive ({@code -∞} where attention is not
 * allowed) and read at {@code mask[maskBase[b] + i·maskRowStride + j·maskColStride]}, so a broadcast
 * mask is never copied to {@code [n, t, s]}; null when there is none. {@code causal} allows
 * {@code j <= i} only (top-left aligned, as PyTorch's {@code is_causal}).
 */
public final class Attention {
  /** Query rows and keys per tile: the working memory is a few [BLOCK, BLOCK] tiles per thread, whatever T is. */
  static final int BLOCK = 64;

  private Attention() {}

  /** The shapes and options of one attention call. */
  public record Spec(int n, int t, int s, int e, int ev, double scale, boolean causal, double[] mask, int[] maskBase,
      int maskRowStride, int maskColStride, double dropout, long seed) {

    double maskAt(int b, int i, int j) {
      return mask == null ? 0 : mask[maskBase[b] + i * maskRowStride + j * maskColStride];
    }

    int keyEnd(int i) {
      return causal ? Math.min(s, i + 1) : s;
    }

    /** The dropout factor of weight (b, i, j): 0 when dropped, {@code 1/(1-p)} when kept, 1 without dropout. */
    double keep(int b, int i, int j) {
      if (dropout == 0) {
        return 1;
      }
      return uniform(seed, ((long) b * t + i) * s + j) < dropout ? 0 : 1 / (1 - dropout);
    }
  }

  // Note [Fused attention]
  // Forward keeps, per query row, a running maximum m, a running sum l of exp(score - m) and the
  // un-normalised output; each block of keys rescales them by exp(m_old - m_new) (the online softmax).
  // It saves out and the row log-sum-exp lse = m + log(l), never the [t, s] weights: backward recomputes
  // p_ij = exp(score_ij - lse_i), and with D_i = dOut_i·out_i the score gradient is
  // p_ij · (z_ij · dOut_i·v_j − D_i) (z the dropout factor), as FlashAttention-2. Dropout draws from a
  // counter-based hash of (seed, b, i, j), so backward regenerates the same mask without storing it.
  // A row with every key masked has l = 0: its output is 0 and its lse +∞ (so every p is 0 and no
  // gradient flows), as PyTorch's scaled_dot_product_attention (its _safe_softmax, PyTorch ≥ 2.5).

  /**
   * Computes {@code out} and {@code lse} for contiguous {@code q}, {@code k}, {@code v} and {@code out} of one
   * floating dtype: the products run in that dtype on the GEMM kernel, the softmax arithmetic in double.
   */
  public static void forward(Spec sp, Tensor q, Tensor k, Tensor v, Tensor out, double[] lse) {
    int blocks = (sp.t + BLOCK - 1) / BLOCK;
    long work = (long) sp.n * sp.t * sp.s * (sp.e + sp.ev);
    Parallel.forRange(sp.n * blocks, work, (from, to) -> {
      Tiles tiles = new Tiles(sp, q.dtype());
      for (int task = from; task < to; task++) {
        int b = task / blocks;
        int i0 = (task % blocks) * BLOCK;
        forwardBlock(sp, b, i0, Math.min(sp.t, i0 + BLOCK), q, k, v, out, lse, tiles);
      }
    });
  }

  /** One thread's tiles: two [BLOCK, BLOCK] and one product tile in the dtype, their double copies, row state. */
  private static final class Tiles {
    final Tensor first;
    final Tensor second;
    final Tensor product;
    final double[] a = new double[BLOCK * BLOCK];
    final double[] b = new double[BLOCK * BLOCK];
    final double[] prod;
    final double[] acc;
    final double[] max = new double[BLOCK];
    final double[] sum = new double[BLOCK];

    Tiles(Spec sp, DType dtype) {
      int width = Math.max(BLOCK, Math.max(sp.e, sp.ev));
      first = Tensor.empty(dtype, BLOCK * BLOCK);
      second = Tensor.empty(dtype, BLOCK * BLOCK);
      product = Tensor.empty(dtype, BLOCK * width);
      prod = new double[BLOCK * width];
      acc = new double[BLOCK * sp.ev];
    }
  }

  /** Rows {@code [row, row + rows)} of the contiguous {@code [*, cols]} tensor x, as a matrix view. */
  private static Tensor rows(Tensor x, int row, int rows, int cols) {
    return Internals.view(x.storage(), x.offset() + row * cols, new int[] {rows, cols}, new int[] {cols, 1});
  }

  private static void load(Tensor t, int n, double[] dst) {
    int o = t.offset();
    if (t.dtype() == DType.FLOAT32) {
      float[] f = t.storage().floats();
      for (int i = 0; i < n; i++) {
        dst[i] = f[o + i];
      }
    } else {
      System.arraycopy(t.storage().doubles(), o, dst, 0, n);
    }
  }

  private static void store(double[] src, int n, Tensor t, int offset) {
    int o = t.offset() + offset;
    if (t.dtype() == DType.FLOAT32) {
      float[] f = t.storage().floats();
      for (int i = 0; i < n; i++) {
        f[o + i] = (float) src[i];
      }
    } else {
      System.arraycopy(src, 0, t.storage().doubles(), o, n);
    }
  }

  /** Query rows {@code [i0, i1)} of slice b against every allowed key block, with the online softmax. */
  private static void forwardBlock(Spec sp, int b, int i0, int i1, Tensor q, Tensor k, Tensor v, Tensor out,
      double[] lse, Tiles tl) {
    int rows = i1 - i0;
    int ev = sp.ev;
    double[] w = tl.a;
    Arrays.fill(tl.max, Double.NEGATIVE_INFINITY);
    Arrays.fill(tl.sum, 0);
    Arrays.fill(tl.acc, 0, rows * ev, 0);
    int end = sp.keyEnd(i1 - 1);
    for (int j0 = 0; j0 < end; j0 += BLOCK) {
      int cols = Math.min(end, j0 + BLOCK) - j0;
      Tensor scores = rows(tl.first, 0, rows, cols);
      Kernels.matmulNT(rows(q, b * sp.t + i0, rows, sp.e), rows(k, b * sp.s + j0, cols, sp.e), scores);
      load(scores, rows * cols, w);
      boolean any = false;
      for (int r = 0; r < rows; r++) {
        int i = i0 + r;
        int row = r * cols;
        double blockMax = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
          int j = j0 + c;
          double sc = sp.causal && j > i ? Double.NEGATIVE_INFINITY : sp.scale * w[row + c] + sp.maskAt(b, i, j);
          w[row + c] = sc;
          blockMax = Math.max(blockMax, sc);
        }
        if (blockMax == Double.NEGATIVE_INFINITY) {
          Arrays.fill(w, row, row + cols, 0);   // every key of the block masked for this row
          continue;
        }
        any = true;
        double mNew = Math.max(tl.max[r], blockMax);
        double correction = Math.exp(tl.max[r] - mNew);   // 0 on the row's first block
        tl.sum[r] *= correction;
        for (int c = 0; c < ev; c++) {
          tl.acc[r * ev + c] *= correction;
        }
        for (int c = 0; c < cols; c++) {
          double p = Math.exp(w[row + c] - mNew);
          tl.sum[r] += p;
          w[row + c] = p * sp.keep(b, i, j0 + c);
        }
        tl.max[r] = mNew;
      }
      if (any) {
        store(w, rows * cols, scores, 0);
        Tensor product = rows(tl.product, 0, rows, ev);
        Kernels.matmul(scores, rows(v, b * sp.s + j0, cols, ev), product);
        load(product, rows * ev, tl.prod);
        for (int x = 0; x < rows * ev; x++) {
          tl.acc[x] += tl.prod[x];
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      double l = tl.sum[r];
      int at = b * sp.t + i0 + r;
      for (int c = 0; c < ev; c++) {
        tl.prod[c] = l == 0 ? 0 : tl.acc[r * ev + c] / l;
      }
      store(tl.prod, ev, out, at * ev);
      lse[at] = l == 0 ? Double.POSITIVE_INFINITY : tl.max[r] + Math.log(l);
    }
  }

  /**
   * Accumulates into {@code dq, dk, dv} (double, zeroed by the caller; null when not needed) and, when
   * {@code dMask} is not null, writes the score gradient {@code [n, t, s]}; tensors as in forward.
   */
  public static void backward(Spec sp, Tensor q, Tensor k, Tensor v, Tensor out, double[] lse, Tensor dOut,
      double[] dq, double[] dk, double[] dv, double[] dMask) {
    long work = 2L * sp.n * sp.t * sp.s * (sp.e + sp.ev);
    // slices own their dq, dk and dv rows, so they split over threads without sharing a write
    Parallel.forRange(sp.n, work, (from, to) -> {
      Tiles tl = new Tiles(sp, q.dtype());
      double[] d = new double[sp.t];
      double[] x = new double[sp.ev];
      double[] y = new double[sp.ev];
      for (int b = from; b < to; b++) {
        for (int i = 0; i < sp.t; i++) {
          load(rows(dOut, b * sp.t + i, 1, sp.ev), sp.ev, x);
          load(rows(out, b * sp.t + i, 1, sp.ev), sp.ev, y);
          d[i] = dot(x, 0, y, 0, sp.ev);
        }
        for (int j0 = 0; j0 < sp.s; j0 += BLOCK) {
          int cols = Math.min(sp.s, j0 + BLOCK) - j0;
          for (int i0 = sp.causal ? Math.min(sp.t, j0) / BLOCK * BLOCK : 0; i0 < sp.t; i0 += BLOCK) {
            backwardTile(sp, b, i0, Math.min(sp.t, i0 + BLOCK) - i0, j0, cols, q, k, v, lse, d, dOut, dq, dk, dv,
                dMask, tl);
          }
        }
      }
    });
  }

  /** One [rows, cols] tile of backward: recompute the weights, then the four products of FlashAttention-2. */
  private static void backwardTile(Spec sp, int b, int i0, int rows, int j0, int cols, Tensor q, Tensor k,
      Tensor v, double[] lse, double[] d, Tensor dOut, double[] dq, double[] dk, double[] dv, double[] dMask,
      Tiles tl) {
    int e = sp.e;
    int ev = sp.ev;
    double[] p = tl.a;
    double[] ds = tl.b;
    Tensor qBlock = rows(q, b * sp.t + i0, rows, e);
    Tensor kBlock = rows(k, b * sp.s + j0, cols, e);
    Tensor dOutBlock = rows(dOut, b * sp.t + i0, rows, ev);
    Tensor pTile = rows(tl.first, 0, rows, cols);
    Tensor dsTile = rows(tl.second, 0, rows, cols);
    Kernels.matmulNT(qBlock, kBlock, pTile);
    Kernels.matmulNT(dOutBlock, rows(v, b * sp.s + j0, cols, ev), dsTile);   // dOut·vᵀ
    load(pTile, rows * cols, p);
    load(dsTile, rows * cols, ds);
    boolean any = false;
    for (int r = 0; r < rows; r++) {
      int i = i0 + r;
      double rowLse = lse[b * sp.t + i];
      for (int c = 0; c < cols; c++) {
        int j = j0 + c;
        int x = r * cols + c;
        double sc = sp.causal && j > i ? Double.NEGATIVE_INFINITY : sp.scale * p[x] + sp.maskAt(b, i, j);
        double w = sc == Double.NEGATIVE_INFINITY ? 0 : Math.exp(sc - rowLse);   // +∞ lse (all masked): 0
        double z = w == 0 ? 0 : sp.keep(b, i, j);
        double g = w == 0 ? 0 : w * (z * ds[x] - d[i]);
        any |= w != 0;
        p[x] = w * z;   // the weights as applied to v
        ds[x] = g;
        if (dMask != null) {
          dMask[(b * sp.t + i) * sp.s + j] = g;
        }
      }
    }
    if (!any) {
      return;
    }
    store(p, rows * cols, pTile, 0);
    store(ds, rows * cols, dsTile, 0);
    if (dv != null) {   // dv += (p·z)ᵀ · dOut
      product(tl, cols, ev, Kernels.matmulTN(pTile, dOutBlock, rows(tl.product, 0, cols, ev)));
      addInto(dv, (b * sp.s + j0) * ev, tl.prod, cols * ev, 1);
    }
    if (dq != null) {   // dq += scale · ds · k
      product(tl, rows, e, Kernels.matmul(dsTile, kBlock, rows(tl.product, 0, rows, e)));
      addInto(dq, (b * sp.t + i0) * e, tl.prod, rows * e, sp.scale);
    }
    if (dk != null) {   // dk += scale · dsᵀ · q
      product(tl, cols, e, Kernels.matmulTN(dsTile, qBlock, rows(tl.product, 0, cols, e)));
      addInto(dk, (b * sp.s + j0) * e, tl.prod, cols * e, sp.scale);
    }
  }

  private static void product(Tiles tl, int rows, int cols, Tensor product) {
    load(product, rows * cols, tl.prod);
  }

  private static void addInto(double[] target, int offset, double[] values, int n, double scale) {
    for (int x = 0; x < n; x++) {
      target[offset + x] += scale * values[x];
    }
  }

  private static double dot(double[] a, int ai, double[] b, int bi, int n) {
    double s = 0;
    for (int c = 0; c < n; c++) {
      s += a[ai + c] * b[bi + c];
    }
    return s;
  }

  /** A uniform double in [0, 1) from (seed, index): SplitMix64's finaliser, so any entry can be redrawn. */
  static double uniform(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (z >>> 11) * 0x1.0p-53;
  }
}

package dev.flint.kernel;

import dev.flint.tensor.Storage;
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

  /** Computes {@code out} and {@code lse}. */
  public static void forward(Spec sp, double[] q, double[] k, double[] v, double[] out, double[] lse) {
    int blocks = (sp.t + BLOCK - 1) / BLOCK;
    long work = (long) sp.n * sp.t * sp.s * (sp.e + sp.ev);
    Parallel.forRange(sp.n * blocks, work, (from, to) -> {
      Tiles tiles = new Tiles(sp);
      for (int task = from; task < to; task++) {
        int b = task / blocks;
        int i0 = (task % blocks) * BLOCK;
        forwardBlock(sp, b, i0, Math.min(sp.t, i0 + BLOCK), q, k, v, out, lse, tiles);
      }
    });
  }

  /** The per-thread tiles: scores or weights {@code [BLOCK, BLOCK]}, products, running row statistics. */
  private static final class Tiles {
    final double[] scores = new double[BLOCK * BLOCK];
    final double[] grads = new double[BLOCK * BLOCK];
    final double[] product;
    final double[] acc;
    final double[] max = new double[BLOCK];
    final double[] sum = new double[BLOCK];

    Tiles(Spec sp) {
      int width = Math.max(sp.e, sp.ev);
      product = new double[BLOCK * width];
      acc = new double[BLOCK * sp.ev];
    }
  }

  private static Tensor mat(double[] a, int offset, int rows, int cols) {
    return Tensor.view(Storage.of(a), offset, new int[] {rows, cols}, new int[] {cols, 1});
  }

  /** Query rows {@code [i0, i1)} of slice b against every allowed key block, with the online softmax. */
  private static void forwardBlock(Spec sp, int b, int i0, int i1, double[] q, double[] k, double[] v, double[] out,
      double[] lse, Tiles tl) {
    int rows = i1 - i0;
    int ev = sp.ev;
    Arrays.fill(tl.max, Double.NEGATIVE_INFINITY);
    Arrays.fill(tl.sum, 0);
    Arrays.fill(tl.acc, 0, rows * ev, 0);
    int end = sp.keyEnd(i1 - 1);
    for (int j0 = 0; j0 < end; j0 += BLOCK) {
      int cols = Math.min(end, j0 + BLOCK) - j0;
      Kernels.matmulNT(mat(q, (b * sp.t + i0) * sp.e, rows, sp.e), mat(k, (b * sp.s + j0) * sp.e, cols, sp.e),
          mat(tl.scores, 0, rows, cols));
      boolean any = false;
      for (int r = 0; r < rows; r++) {
        int i = i0 + r;
        int row = r * cols;
        double blockMax = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
          int j = j0 + c;
          double sc = sp.causal && j > i ? Double.NEGATIVE_INFINITY : sp.scale * tl.scores[row + c] + sp.maskAt(b, i, j);
          tl.scores[row + c] = sc;
          blockMax = Math.max(blockMax, sc);
        }
        if (blockMax == Double.NEGATIVE_INFINITY) {
          Arrays.fill(tl.scores, row, row + cols, 0);   // every key of the block masked for this row
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
          double p = Math.exp(tl.scores[row + c] - mNew);
          tl.sum[r] += p;
          tl.scores[row + c] = p * sp.keep(b, i, j0 + c);
        }
        tl.max[r] = mNew;
      }
      if (any) {
        Kernels.matmul(mat(tl.scores, 0, rows, cols), mat(v, (b * sp.s + j0) * ev, cols, ev),
            mat(tl.product, 0, rows, ev));
        for (int x = 0; x < rows * ev; x++) {
          tl.acc[x] += tl.product[x];
        }
      }
    }
    for (int r = 0; r < rows; r++) {
      int oi = (b * sp.t + i0 + r) * ev;
      double l = tl.sum[r];
      if (l == 0) {
        Arrays.fill(out, oi, oi + ev, 0);
        lse[b * sp.t + i0 + r] = Double.POSITIVE_INFINITY;
        continue;
      }
      for (int c = 0; c < ev; c++) {
        out[oi + c] = tl.acc[r * ev + c] / l;
      }
      lse[b * sp.t + i0 + r] = tl.max[r] + Math.log(l);
    }
  }

  /**
   * Accumulates the gradients of q, k, v (each may be null when not needed, but the arrays passed are
   * zeroed by the caller) and, when {@code dMask} is not null, writes the score gradient {@code [n, t, s]}.
   */
  public static void backward(Spec sp, double[] q, double[] k, double[] v, double[] out, double[] lse,
      double[] dOut, double[] dq, double[] dk, double[] dv, double[] dMask) {
    long work = 2L * sp.n * sp.t * sp.s * (sp.e + sp.ev);
    // slices own their dq, dk and dv rows, so they split over threads without sharing a write
    Parallel.forRange(sp.n, work, (from, to) -> {
      Tiles tl = new Tiles(sp);
      double[] d = new double[sp.t];
      for (int b = from; b < to; b++) {
        for (int i = 0; i < sp.t; i++) {
          int oi = (b * sp.t + i) * sp.ev;
          d[i] = dot(dOut, oi, out, oi, sp.ev);
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
  private static void backwardTile(Spec sp, int b, int i0, int rows, int j0, int cols, double[] q, double[] k,
      double[] v, double[] lse, double[] d, double[] dOut, double[] dq, double[] dk, double[] dv, double[] dMask,
      Tiles tl) {
    int e = sp.e;
    int ev = sp.ev;
    double[] p = tl.scores;
    double[] ds = tl.grads;
    Tensor qBlock = mat(q, (b * sp.t + i0) * e, rows, e);
    Tensor kBlock = mat(k, (b * sp.s + j0) * e, cols, e);
    Tensor dOutBlock = mat(dOut, (b * sp.t + i0) * ev, rows, ev);
    Kernels.matmulNT(qBlock, kBlock, mat(p, 0, rows, cols));
    Kernels.matmulNT(dOutBlock, mat(v, (b * sp.s + j0) * ev, cols, ev), mat(ds, 0, rows, cols));   // dOut·vᵀ
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
    if (dv != null) {   // dv += (p·z)ᵀ · dOut
      Kernels.matmulTN(mat(p, 0, rows, cols), dOutBlock, mat(tl.product, 0, cols, ev));
      addInto(dv, (b * sp.s + j0) * ev, tl.product, cols * ev, 1);
    }
    if (dq != null) {   // dq += scale · ds · k
      Kernels.matmul(mat(ds, 0, rows, cols), kBlock, mat(tl.product, 0, rows, e));
      addInto(dq, (b * sp.t + i0) * e, tl.product, rows * e, sp.scale);
    }
    if (dk != null) {   // dk += scale · dsᵀ · q
      Kernels.matmulTN(mat(ds, 0, rows, cols), qBlock, mat(tl.product, 0, cols, e));
      addInto(dk, (b * sp.s + j0) * e, tl.product, cols * e, sp.scale);
    }
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

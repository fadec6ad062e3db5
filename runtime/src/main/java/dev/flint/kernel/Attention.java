package dev.flint.kernel;

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
  /** Keys per block: the working memory of one query row is a block of scores and one output row. */
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
    long work = (long) sp.n * sp.t * sp.s * (sp.e + sp.ev);
    Parallel.forRange(sp.n * sp.t, work, (from, to) -> {
      double[] scores = new double[BLOCK];
      double[] acc = new double[sp.ev];
      for (int row = from; row < to; row++) {
        forwardRow(sp, row / sp.t, row % sp.t, q, k, v, out, lse, scores, acc);
      }
    });
  }

  private static void forwardRow(Spec sp, int b, int i, double[] q, double[] k, double[] v, double[] out,
      double[] lse, double[] scores, double[] acc) {
    int e = sp.e;
    int ev = sp.ev;
    int qi = (b * sp.t + i) * e;
    Arrays.fill(acc, 0);
    double m = Double.NEGATIVE_INFINITY;
    double l = 0;
    int end = sp.keyEnd(i);
    for (int j0 = 0; j0 < end; j0 += BLOCK) {
      int j1 = Math.min(end, j0 + BLOCK);
      double blockMax = Double.NEGATIVE_INFINITY;
      for (int j = j0; j < j1; j++) {
        double sc = sp.scale * dot(q, qi, k, (b * sp.s + j) * e, e) + sp.maskAt(b, i, j);
        scores[j - j0] = sc;
        blockMax = Math.max(blockMax, sc);
      }
      if (blockMax == Double.NEGATIVE_INFINITY) {
        continue;   // every key of the block is masked
      }
      double mNew = Math.max(m, blockMax);
      double correction = Math.exp(m - mNew);   // exp(-inf) = 0 on the first block
      l *= correction;
      for (int c = 0; c < ev; c++) {
        acc[c] *= correction;
      }
      for (int j = j0; j < j1; j++) {
        double p = Math.exp(scores[j - j0] - mNew);
        l += p;
        double w = p * sp.keep(b, i, j);
        if (w != 0) {
          int vj = (b * sp.s + j) * ev;
          for (int c = 0; c < ev; c++) {
            acc[c] += w * v[vj + c];
          }
        }
      }
      m = mNew;
    }
    int oi = (b * sp.t + i) * ev;
    if (l == 0) {
      Arrays.fill(out, oi, oi + ev, 0);
      lse[b * sp.t + i] = Double.POSITIVE_INFINITY;
      return;
    }
    for (int c = 0; c < ev; c++) {
      out[oi + c] = acc[c] / l;
    }
    lse[b * sp.t + i] = m + Math.log(l);
  }

  /**
   * Accumulates the gradients of q, k, v (each may be null when not needed, but the arrays passed are
   * zeroed by the caller) and, when {@code dMask} is not null, writes the score gradient {@code [n, t, s]}.
   */
  public static void backward(Spec sp, double[] q, double[] k, double[] v, double[] out, double[] lse,
      double[] dOut, double[] dq, double[] dk, double[] dv, double[] dMask) {
    long work = 2L * sp.n * sp.t * sp.s * (sp.e + sp.ev);
    // slices own their dk and dv rows, so they split over threads without sharing a write
    Parallel.forRange(sp.n, work, (from, to) -> {
      for (int b = from; b < to; b++) {
        backwardSlice(sp, b, q, k, v, out, lse, dOut, dq, dk, dv, dMask);
      }
    });
  }

  private static void backwardSlice(Spec sp, int b, double[] q, double[] k, double[] v, double[] out, double[] lse,
      double[] dOut, double[] dq, double[] dk, double[] dv, double[] dMask) {
    int e = sp.e;
    int ev = sp.ev;
    for (int i = 0; i < sp.t; i++) {
      double rowLse = lse[b * sp.t + i];
      if (rowLse == Double.POSITIVE_INFINITY) {
        continue;   // a fully masked row: its output is a constant 0
      }
      int qi = (b * sp.t + i) * e;
      int oi = (b * sp.t + i) * ev;
      double d = dot(dOut, oi, out, oi, ev);
      int end = sp.keyEnd(i);
      for (int j = 0; j < end; j++) {
        int kj = (b * sp.s + j) * e;
        int vj = (b * sp.s + j) * ev;
        double sc = sp.scale * dot(q, qi, k, kj, e) + sp.maskAt(b, i, j);
        if (sc == Double.NEGATIVE_INFINITY) {
          continue;
        }
        double p = Math.exp(sc - rowLse);
        double z = sp.keep(b, i, j);
        if (dv != null && z != 0) {
          double w = p * z;
          for (int c = 0; c < ev; c++) {
            dv[vj + c] += w * dOut[oi + c];
          }
        }
        double dp = z == 0 ? 0 : z * dot(dOut, oi, v, vj, ev);
        double ds = p * (dp - d);
        if (dMask != null) {
          dMask[(b * sp.t + i) * sp.s + j] = ds;
        }
        double g = sp.scale * ds;
        if (dq != null) {
          for (int c = 0; c < e; c++) {
            dq[qi + c] += g * k[kj + c];
          }
        }
        if (dk != null) {
          for (int c = 0; c < e; c++) {
            dk[kj + c] += g * q[qi + c];
          }
        }
      }
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

package dev.flint.kernel;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;

/**
 * The cross entropy of contiguous float logits [N, C] against INT64 class indices [N] in one pass each
 * way, for {@code CrossEntropyLoss}'s fused path: forward writes each row's log-sum-exp and returns
 * Σₙ (lseₙ − x[n, yₙ]); backward writes c · (softmax(xₙ) − onehot(yₙ)) from the saved log-sum-exp.
 * Rows whose target is {@code ignoreIndex} contribute nothing (and get a zero gradient). Sums and
 * exponentials run in double. The composed form (logSoftmax, gather, mean) is the reference it is
 * tested against.
 */
final class CrossEntropy {
  private CrossEntropy() {}

  /** Σ over kept rows of lseₙ − x[n, yₙ]; {@code lse} (FLOAT64 [N], contiguous) receives each row's log-sum-exp. */
  static double forward(String loss, Tensor x, Tensor y, long ignoreIndex, Tensor lse) {
    int n = x.size(0);
    int c = x.size(1);
    long[] t = y.storage().longs();
    int to = y.offset();
    double[] l = lse.storage().doubles();
    int lo = lse.offset();
    double sum = 0;
    boolean f32 = x.dtype() == DType.FLOAT32;
    float[] xf = f32 ? x.storage().floats() : null;
    double[] xd = f32 ? null : x.storage().doubles();
    int xo = x.offset();
    for (int r = 0; r < n; r++) {
      long target = t[to + r];
      if (target == ignoreIndex) {
        l[lo + r] = 0;
        continue;
      }
      if (target < 0 || target >= c) {
        throw new IllegalArgumentException(loss + ": target " + target + " is out of range for " + c
            + " classes (at batch index " + r + ")");
      }
      int row = xo + r * c;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, f32 ? xf[row + j] : xd[row + j]);
      }
      double s = 0;
      for (int j = 0; j < c; j++) {
        s += Math.exp((f32 ? xf[row + j] : xd[row + j]) - max);
      }
      double rowLse = max + Math.log(s);
      l[lo + r] = rowLse;
      sum += rowLse - (f32 ? xf[row + (int) target] : xd[row + (int) target]);
    }
    return sum;
  }

  /** The rows whose target is not {@code ignoreIndex}. */
  static int kept(Tensor y, long ignoreIndex) {
    long[] t = y.storage().longs();
    int to = y.offset();
    int n = y.numel();
    int kept = 0;
    for (int r = 0; r < n; r++) {
      kept += t[to + r] == ignoreIndex ? 0 : 1;
    }
    return kept;
  }

  /** {@code out} [N, C] (contiguous, x's dtype) = scale · (exp(xₙ − lseₙ) − onehot(yₙ)), zero on ignored rows. */
  static Tensor gradient(Tensor x, Tensor y, long ignoreIndex, Tensor lse, double scale, Tensor out) {
    int n = x.size(0);
    int c = x.size(1);
    long[] t = y.storage().longs();
    int to = y.offset();
    double[] l = lse.storage().doubles();
    int lo = lse.offset();
    int xo = x.offset();
    int oo = out.offset();
    if (x.dtype() == DType.FLOAT32) {
      float[] xf = x.storage().floats();
      float[] o = out.storage().floats();
      for (int r = 0; r < n; r++) {
        long target = t[to + r];
        int row = r * c;
        if (target == ignoreIndex) {
          java.util.Arrays.fill(o, oo + row, oo + row + c, 0f);
          continue;
        }
        double rowLse = l[lo + r];
        for (int j = 0; j < c; j++) {
          o[oo + row + j] = (float) (scale * Math.exp(xf[xo + row + j] - rowLse));
        }
        o[oo + row + (int) target] = (float) (scale * (Math.exp(xf[xo + row + (int) target] - rowLse) - 1));
      }
    } else {
      double[] xd = x.storage().doubles();
      double[] o = out.storage().doubles();
      for (int r = 0; r < n; r++) {
        long target = t[to + r];
        int row = r * c;
        if (target == ignoreIndex) {
          java.util.Arrays.fill(o, oo + row, oo + row + c, 0.0);
          continue;
        }
        double rowLse = l[lo + r];
        for (int j = 0; j < c; j++) {
          o[oo + row + j] = scale * Math.exp(xd[xo + row + j] - rowLse);
        }
        o[oo + row + (int) target] = scale * (Math.exp(xd[xo + row + (int) target] - rowLse) - 1);
      }
    }
    return out;
  }
}

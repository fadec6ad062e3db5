package dev.flint.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Derivative rules too long for an {@link Op} row's body, written against {@link Algebra} like the rows. */
final class Derivatives {
  private Derivatives() {}

  /** CAT: each input's gradient is its slice of {@code g} along the concatenation dim. */
  static <T> List<T> cat(Algebra<T> a, T g, Call<T> c) {
    int d = c.dim();
    List<T> grads = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < c.arity(); i++) {
      int size = c.inShape(i)[d];
      grads.add(c.needsGrad(i) ? a.narrow(g, d, start, size) : null);
      start += size;
    }
    return grads;
  }

  /**
   * LSTM_SCAN: one backward pass through time gives the gates' pre-activation gradients (gx's) and the
   * gradients reaching h0 and c0; W_hh's is their product with the previous states over all steps.
   */
  static <T> List<T> lstmScan(Algebra<T> a, T g, Call<T> c) {
    int[] s = c.inShape(0);
    int h = c.inShape(1)[1];
    T d = a.lstmScanBackward(g, c.out(), c.in(1));
    T dgx = c.needsGrad(0) || c.needsGrad(1) ? a.reshape(a.narrow(d, 2, 0, 4), new int[] {s[0], s[1], 4 * h}) : null;
    T first = c.needsGrad(2) || c.needsGrad(3) ? a.narrow(d, 1, 0, 1) : null;
    return Arrays.asList(c.needsGrad(0) ? dgx : null,
        c.needsGrad(1) ? recurrentWeightGrad(a, dgx, c.out(), 4 * h, h) : null,
        c.needsGrad(2) ? a.reshape(a.narrow(first, 2, 4, 1), new int[] {s[0], h}) : null,
        c.needsGrad(3) ? a.reshape(a.narrow(first, 2, 5, 1), new int[] {s[0], h}) : null);
  }

  /**
   * GRU_SCAN: one backward pass through time gives gx's gradient (r, z, n), that of
   * {@code W_hh·h + b_hh} (r, z, hn: b_hh's summed, W_hh's as a product with the previous states) and h0's.
   */
  static <T> List<T> gruScan(Algebra<T> a, T g, Call<T> c) {
    int[] s = c.inShape(0);
    int h = c.inShape(1)[1];
    T d = a.gruScanBackward(g, c.out(), c.in(1));
    T dRec = c.needsGrad(1) || c.needsGrad(2)
        ? a.reshape(a.cat(List.of(a.narrow(d, 2, 0, 2), a.narrow(d, 2, 3, 1)), 2), new int[] {s[0], s[1], 3 * h})
        : null;
    return Arrays.asList(c.needsGrad(0) ? a.reshape(a.narrow(d, 2, 0, 3), new int[] {s[0], s[1], 3 * h}) : null,
        c.needsGrad(1) ? recurrentWeightGrad(a, dRec, c.out(), 3 * h, h) : null,
        c.needsGrad(2) ? a.sum(dRec, new int[] {0, 1}, false) : null,
        c.needsGrad(3) ? a.reshape(a.narrow(a.narrow(d, 1, 0, 1), 2, 4, 1), new int[] {s[0], h}) : null);
  }

  /**
   * {@code Σ_{b,t} dRec[b, t]ᵀ · h_{t−1}[b, t]} as one product over all B·T rows ({@code [G, B·T]·[B·T, H]}):
   * h_{t−1} is slot 0 of the scan's result {@code y}. A product per batch row, summed after, had K = T
   * and wrote a {@code [B, G, H]} intermediate.
   */
  private static <T> T recurrentWeightGrad(Algebra<T> a, T dRec, T y, int gates, int h) {
    T prev = a.reshape(a.narrow(y, 2, 0, 1), new int[] {-1, h});
    T rows = a.reshape(dRec, new int[] {-1, gates});
    return a.matmul(a.permute(rows, new int[] {1, 0}), prev);
  }

  /** ATTENTION: one fused backward gives dq, dk and dv stacked along the rows ({@code [..., T + 2S, E]}). */
  static <T> List<T> attention(Algebra<T> a, T g, Call<T> c) {
    int[] q = c.inShape(0);
    int rows = q.length - 2;
    int t = q[rows];
    int s = c.inShape(1)[rows];
    DimAlgebra n = c.dims();
    T d = a.attentionBackward(g, c.in(0), c.in(1), c.in(2), c.out(), c.attrs().real(Attrs.SCALE),
        c.attrs().bool(Attrs.CAUSAL));
    return Arrays.asList(c.needsGrad(0) ? a.narrow(d, rows, 0, t) : null,
        c.needsGrad(1) ? a.narrow(d, rows, t, s) : null,
        c.needsGrad(2) ? a.narrow(d, rows, n.add(t, s), s) : null);
  }

  /** MAX/MIN along a dim: {@code g} goes to the selected element ({@code index}, kept dims) of each slice. */
  static <T> T toIndex(Algebra<T> a, T g, Call<T> c, T index) {
    int[] in = c.inShape(0);
    int[] kept = Shapes.keepDims(in, in.length == 0 ? new int[0] : new int[] {c.dim()});
    T gk = c.attrs().bool(Attrs.KEEP_DIM) ? g : a.reshape(g, kept);
    if (in.length == 0) {
      return gk;
    }
    return a.scatterAdd(gk, c.dim(), index, in);
  }
}

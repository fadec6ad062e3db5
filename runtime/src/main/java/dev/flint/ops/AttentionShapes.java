package dev.flint.ops;

import java.util.Arrays;
import java.util.List;

/** Shape rules of the fused attention rows (ATTENTION and its backward); see {@code kernel.AttentionRows}. */
final class AttentionShapes {
  private AttentionShapes() {}

  /** {@code q [..., T, E], k [..., S, E], v [..., S, E] -> [..., T, E + 1]} (the output and the row log-sum-exp). */
  static int[] attention(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] q = in.get(0);
    checkOperands(dims, op, in, 0);
    int[] out = q.clone();
    out[q.length - 1] = dims.add(q[q.length - 1], 1);
    return out;
  }

  /** {@code grad, y [..., T, E + 1], q [..., T, E], k, v [..., S, E] -> [..., T + 2S, E]} (dq, dk, dv stacked). */
  static int[] attentionBackward(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    checkOperands(dims, op, in, 1);
    int[] q = in.get(1);
    int r = q.length;
    int[] packed = q.clone();
    packed[r - 1] = dims.add(q[r - 1], 1);
    if (!Arrays.equals(in.get(0), packed) || !Arrays.equals(in.get(4), packed)) {
      throw new ShapeError(op + ": expected grad and y of ATTENTION's result shape " + dims.str(packed) + ", but got "
          + dims.str(in.get(0)) + " and " + dims.str(in.get(4)));
    }
    int s = in.get(2)[r - 2];
    int[] out = q.clone();
    out[r - 2] = dims.add(q[r - 2], dims.add(s, s));
    return out;
  }

  /** q, k, v at {@code in[first..first+2]}: one rank of at least 2, equal batch dims, one head size E, S keys and values. */
  private static void checkOperands(DimAlgebra dims, String op, List<int[]> in, int first) {
    int[] q = in.get(first);
    int[] k = in.get(first + 1);
    int[] v = in.get(first + 2);
    int r = q.length;
    boolean ok = r >= 2 && k.length == r && v.length == r;
    for (int d = 0; ok && d < r - 2; d++) {
      ok = k[d] == q[d] && v[d] == q[d];
    }
    ok = ok && k[r - 1] == q[r - 1] && v[r - 1] == q[r - 1] && v[r - 2] == k[r - 2];
    if (!ok) {
      throw new ShapeError(op + ": expected query [..., T, E], key [..., S, E] and value [..., S, E] with the same "
          + "leading dims, but got " + dims.str(q) + ", " + dims.str(k) + " and " + dims.str(v));
    }
  }
}

package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorElementwise;
import dev.flint.tensor.Tensor;

/**
 * Routes FLOAT32 elementwise ops and row sums whose operands are contiguous rows (a whole tensor, or
 * a bias repeated over the rows of a matrix) to {@link VectorElementwise}; everything else stays on
 * the loops of {@link Elementwise} and {@link Reduce}. Only called when {@link VectorTier#ENABLED}.
 * Each method returns false, having done nothing, when the layout does not fit.
 */
final class VectorRows {
  /** Below this many elements per thread a split costs more than it saves. */
  private static final int MIN_CHUNK = 1 << 14;

  private VectorRows() {}

  /** {@code o = a op b} (o contiguous, of the broadcast shape) when a and b are contiguous or a repeated row. */
  static boolean binary(Binary op, Tensor a, Tensor b, Tensor o) {
    int code = code(op);
    int[] shape = Internals.shapeRef(o);
    if (code < 0 || shape.length == 0) {
      return false;
    }
    int n = shape[shape.length - 1];
    int numel = o.numel();
    if (n == 0 || numel == 0) {
      return true;
    }
    int lda = rowStride(a, shape, numel);
    int ldb = rowStride(b, shape, numel);
    if (lda < 0 || ldb < 0) {
      return false;
    }
    int rows = numel / n;
    float[] ad = a.storage().floats();
    float[] bd = b.storage().floats();
    float[] od = o.storage().floats();
    int ao = a.offset();
    int bo = b.offset();
    int oo = o.offset();
    if (lda == n && ldb == n) {
      // both whole: one long row
      n = numel;
      rows = 1;
    }
    if (!Parallel.worthSplitting(numel) || numel < 2 * MIN_CHUNK) {
      VectorElementwise.binary(code, ad, ao, lda, bd, bo, ldb, od, oo, n, rows, n);
      return true;
    }
    int cols = n;
    int rowCount = rows;
    if (rows >= 2 * Parallel.threads()) {
      Parallel.forRange(rows, numel, (from, to) ->
          VectorElementwise.binary(code, ad, ao + from * lda, lda, bd, bo + from * ldb, ldb, od, oo + from * cols, cols, to - from, cols));
    } else {
      int chunk = Math.max(MIN_CHUNK, (cols + 2 * Parallel.threads() - 1) / (2 * Parallel.threads()));
      int chunks = (cols + chunk - 1) / chunk;
      Parallel.forRange(chunks, numel, (from, to) -> {
        for (int c = from; c < to; c++) {
          int j0 = c * chunk;
          VectorElementwise.binary(code, ad, ao + j0, lda, bd, bo + j0, ldb, od, oo + j0, cols, rowCount, Math.min(chunk, cols - j0));
        }
      });
    }
    return true;
  }

  /** {@code o[oo + i] = a[ao + i] * signum(s[so + i])} for i in [0, n): ReLU's backward. */
  static void mulSign(float[] a, int ao, float[] s, int so, float[] o, int oo, int n) {
    if (!Parallel.worthSplitting(n) || n < 2 * MIN_CHUNK) {
      VectorElementwise.binary(VectorElementwise.MUL_SIGN, a, ao, n, s, so, n, o, oo, n, 1, n);
      return;
    }
    int chunk = Math.max(MIN_CHUNK, (n + 2 * Parallel.threads() - 1) / (2 * Parallel.threads()));
    int chunks = (n + chunk - 1) / chunk;
    Parallel.forRange(chunks, n, (from, to) -> {
      for (int c = from; c < to; c++) {
        int j0 = c * chunk;
        VectorElementwise.binary(VectorElementwise.MUL_SIGN, a, ao + j0, n, s, so + j0, n, o, oo + j0, n, 1, Math.min(chunk, n - j0));
      }
    });
  }

  /** {@code o = op(x; p)} when x is contiguous. */
  static boolean unary(Unary op, Tensor x, Tensor o, float p) {
    int code = code(op);
    if (code < 0 || !x.isContiguous()) {
      return false;
    }
    int numel = o.numel();
    float[] xd = x.storage().floats();
    float[] od = o.storage().floats();
    int xo = x.offset();
    int oo = o.offset();
    if (!Parallel.worthSplitting(numel) || numel < 2 * MIN_CHUNK) {
      VectorElementwise.unary(code, xd, xo, od, oo, numel, p);
      return true;
    }
    int chunk = Math.max(MIN_CHUNK, (numel + 2 * Parallel.threads() - 1) / (2 * Parallel.threads()));
    int chunks = (numel + chunk - 1) / chunk;
    Parallel.forRange(chunks, numel, (from, to) -> {
      for (int c = from; c < to; c++) {
        int j0 = c * chunk;
        VectorElementwise.unary(code, xd, xo + j0, od, oo + j0, Math.min(chunk, numel - j0), p);
      }
    });
    return true;
  }

  /**
   * {@code o[j] = Σ_r x[r·n + j]} for a contiguous FLOAT32 {@code x} read as {@code [rows, n]}, in row
   * order in single precision, as {@code Reduce}'s plain loop adds them; false for one column (which {@code Reduce}'s
   * own loop sums).
   */
  static boolean columnSums(Tensor x, int rows, int n, Tensor o) {
    if (n < 2 || rows == 0 || !x.isContiguous()) {
      return false;
    }
    VectorElementwise.columnSums(x.storage().floats(), x.offset(), n, rows, o.storage().floats(), o.offset(), n, false);
    return true;
  }

  /**
   * {@code o[j] = Σ_r x[r, j]} when x is contiguous and the reduced dims are exactly its leading
   * {@code lead} dims, with at least two columns (a single column keeps {@link Reduce}'s double
   * accumulator). o is contiguous with the kept dims' elements.
   */
  static boolean columnSums(Tensor x, boolean[] reduced, Tensor o) {
    int[] shape = Internals.shapeRef(x);
    int lead = 0;
    while (lead < shape.length && reduced[lead]) {
      lead++;
    }
    for (int d = lead; d < shape.length; d++) {
      if (reduced[d] && shape[d] != 1) {
        return false;
      }
    }
    if (lead == 0 || !x.isContiguous()) {
      return false;
    }
    int rows = 1;
    for (int d = 0; d < lead; d++) {
      rows *= shape[d];
    }
    int n = 1;
    for (int d = lead; d < shape.length; d++) {
      n *= shape[d];
    }
    if (n < 2 || rows == 0) {
      return false;
    }
    VectorElementwise.columnSums(x.storage().floats(), x.offset(), n, rows, o.storage().floats(), o.offset(), n, false);
    return true;
  }

  /**
   * The distance between consecutive rows of {@code t} broadcast to {@code shape} (whose last dim is
   * the row): the row length when t is contiguous and not broadcast, 0 when t is one contiguous row
   * repeated (a bias), else -1.
   */
  private static int rowStride(Tensor t, int[] shape, int numel) {
    int n = shape[shape.length - 1];
    if (t.numel() == numel && t.isContiguous()) {
      // same element count as the broadcast result: no dim was broadcast
      return n;
    }
    int[] ts = Internals.shapeRef(t);
    if (t.numel() == n && (n == 1 || (ts.length > 0 && ts[ts.length - 1] == n && Internals.stridesRef(t)[ts.length - 1] == 1))) {
      return 0;
    }
    return -1;
  }

  private static int code(Binary op) {
    switch (op) {
      case ADD: return VectorElementwise.ADD;
      case SUB: return VectorElementwise.SUB;
      case MUL: return VectorElementwise.MUL;
      case DIV: return VectorElementwise.DIV;
      default: return -1;
    }
  }

  private static int code(Unary op) {
    switch (op) {
      case RELU: return VectorElementwise.RELU;
      case SIGN: return VectorElementwise.SIGN;
      case NEG: return VectorElementwise.NEG;
      case ABS: return VectorElementwise.ABS;
      case ADD_SCALAR: return VectorElementwise.ADD_SCALAR;
      case MUL_SCALAR: return VectorElementwise.MUL_SCALAR;
      default: return -1;
    }
  }
}

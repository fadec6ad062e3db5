package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;

/**
 * Iterates several strided operands of one shape row by row. Dims of size 1 are dropped and adjacent
 * dims that are contiguous for every operand are merged, so a contiguous tensor is one long row and a
 * broadcast bias add is rows of the bias length: the inner loops stay simple enough to vectorize.
 */
final class Strided {
  private Strided() {}

  /** Receives one row: {@code off[k]} is operand k's storage index of the row's first element. */
  @FunctionalInterface
  interface Rows {
    void row(int[] off, int n);
  }

  /** Per-operand strides of {@code t} viewed at {@code shape} (right-aligned), 0 where it broadcasts. */
  static int[] broadcastStrides(Tensor t, int[] shape) {
    int[] ts = Internals.shapeRef(t);
    int[] st = Internals.stridesRef(t);
    int[] out = new int[shape.length];
    int lead = shape.length - ts.length;
    for (int d = lead; d < shape.length; d++) {
      out[d] = ts[d - lead] == 1 ? 0 : st[d - lead];
    }
    return out;
  }

  /** Rows of a coalesced iteration: {@code rows} rows of {@code n} elements over dims {@code sh[0..r-1)}. */
  private static final class Plan {
    int r;
    int[] sh;
    int[][] st;
    int n;
    long rows;
  }

  private static Plan plan(int[] shape, int[][] strides, int[] inner) {
    int ops = strides.length;
    long numel = 1;
    for (int s : shape) {
      numel *= s;
    }
    if (numel == 0) {
      return null;
    }
    int rank = shape.length;
    Plan p = new Plan();
    p.sh = new int[Math.max(rank, 1)];
    p.st = new int[ops][Math.max(rank, 1)];
    int r = 0;
    for (int d = 0; d < rank; d++) {
      if (shape[d] == 1) {
        continue;
      }
      boolean merge = r > 0;
      for (int k = 0; merge && k < ops; k++) {
        merge = p.st[k][r - 1] == strides[k][d] * shape[d];
      }
      if (merge) {
        p.sh[r - 1] *= shape[d];
        for (int k = 0; k < ops; k++) {
          p.st[k][r - 1] = strides[k][d];
        }
      } else {
        p.sh[r] = shape[d];
        for (int k = 0; k < ops; k++) {
          p.st[k][r] = strides[k][d];
        }
        r++;
      }
    }
    if (r == 0) {
      p.sh[0] = 1;
      r = 1;
    }
    p.r = r;
    p.n = p.sh[r - 1];
    for (int k = 0; k < ops; k++) {
      inner[k] = p.st[k][r - 1];
    }
    p.rows = numel / p.n;
    return p;
  }

  /** Visits rows {@code [from, to)} of a plan, starting from the offsets of row {@code from}. */
  private static void run(Plan p, int[] base, long from, long to, Rows visitor) {
    int ops = base.length;
    int[] off = base.clone();
    int[] idx = new int[p.r];
    long rest = from;
    for (int d = p.r - 2; d >= 0; d--) {
      idx[d] = (int) (rest % p.sh[d]);
      rest /= p.sh[d];
      for (int k = 0; k < ops; k++) {
        off[k] += idx[d] * p.st[k][d];
      }
    }
    for (long row = from; row < to; row++) {
      visitor.row(off, p.n);
      for (int d = p.r - 2; d >= 0; d--) {
        idx[d]++;
        for (int k = 0; k < ops; k++) {
          off[k] += p.st[k][d];
        }
        if (idx[d] < p.sh[d]) {
          break;
        }
        for (int k = 0; k < ops; k++) {
          off[k] -= p.st[k][d] * p.sh[d];
        }
        idx[d] = 0;
      }
    }
  }

  /**
   * Visits the rows of {@code shape} for operands with these strides and base offsets. {@code inner}
   * receives each operand's stride along a row; it is filled before the first call.
   */
  static void forEachRow(int[] shape, int[][] strides, int[] base, int[] inner, Rows visitor) {
    Plan p = plan(shape, strides, inner);
    if (p != null) {
      run(p, base, 0, p.rows, visitor);
    }
  }

  /**
   * As {@link #forEachRow}, but big iterations are split over the {@link Parallel} pool: by rows, or
   * a single long row in chunks. Only for visitors whose rows write disjoint outputs (elementwise ops).
   */
  static void forEachRowParallel(int[] shape, int[][] strides, int[] base, int[] inner, Rows visitor) {
    Plan p = plan(shape, strides, inner);
    if (p == null) {
      return;
    }
    long numel = p.rows * p.n;
    if (p.rows == 1) {
      int chunk = 1 << 14;
      int chunks = (p.n + chunk - 1) / chunk;
      Parallel.forRange(chunks, numel, (from, to) -> {
        int[] off = new int[base.length];
        for (int c = from; c < to; c++) {
          int start = c * chunk;
          for (int k = 0; k < base.length; k++) {
            off[k] = base[k] + start * inner[k];
          }
          visitor.row(off, Math.min(chunk, p.n - start));
        }
      });
      return;
    }
    Parallel.forRange((int) Math.min(p.rows, Integer.MAX_VALUE), numel, (from, to) -> run(p, base, from, to, visitor));
  }
}

package dev.flint.kernel;

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
    int[] ts = t.shapeRef();
    int[] st = t.stridesRef();
    int[] out = new int[shape.length];
    int lead = shape.length - ts.length;
    for (int d = lead; d < shape.length; d++) {
      out[d] = ts[d - lead] == 1 ? 0 : st[d - lead];
    }
    return out;
  }

  /**
   * Visits the rows of {@code shape} for operands with these strides and base offsets. {@code inner}
   * receives each operand's stride along a row; it is filled before the first call.
   */
  static void forEachRow(int[] shape, int[][] strides, int[] base, int[] inner, Rows visitor) {
    int ops = strides.length;
    long numel = 1;
    for (int s : shape) {
      numel *= s;
    }
    if (numel == 0) {
      return;
    }
    int rank = shape.length;
    int[] sh = new int[Math.max(rank, 1)];
    int[][] st = new int[ops][Math.max(rank, 1)];
    int r = 0;
    for (int d = 0; d < rank; d++) {
      if (shape[d] == 1) {
        continue;
      }
      boolean merge = r > 0;
      for (int k = 0; merge && k < ops; k++) {
        merge = st[k][r - 1] == strides[k][d] * shape[d];
      }
      if (merge) {
        sh[r - 1] *= shape[d];
        for (int k = 0; k < ops; k++) {
          st[k][r - 1] = strides[k][d];
        }
      } else {
        sh[r] = shape[d];
        for (int k = 0; k < ops; k++) {
          st[k][r] = strides[k][d];
        }
        r++;
      }
    }
    if (r == 0) {
      sh[0] = 1;
      r = 1;
    }
    int n = sh[r - 1];
    for (int k = 0; k < ops; k++) {
      inner[k] = st[k][r - 1];
    }
    int[] off = base.clone();
    int[] idx = new int[r];
    long rows = numel / n;
    for (long row = 0; row < rows; row++) {
      visitor.row(off, n);
      for (int d = r - 2; d >= 0; d--) {
        idx[d]++;
        for (int k = 0; k < ops; k++) {
          off[k] += st[k][d];
        }
        if (idx[d] < sh[d]) {
          break;
        }
        for (int k = 0; k < ops; k++) {
          off[k] -= st[k][d] * sh[d];
        }
        idx[d] = 0;
      }
    }
  }
}

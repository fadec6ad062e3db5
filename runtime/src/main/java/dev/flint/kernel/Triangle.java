package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.ops.Attrs;
import dev.flint.ops.DimAlgebra;
import dev.flint.ops.Shapes;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.List;

/** tril and triu: a contiguous copy with one side of a diagonal of each trailing matrix zeroed. */
final class Triangle {
  private Triangle() {}

  /**
   * A copy of {@code x} (at least 2-D) keeping, in each {@code [rows, cols]} matrix of its last two dims,
   * the entries with {@code col - row <= diagonal} ({@code lower}) or {@code col - row >= diagonal}
   * (upper), and zeros elsewhere; any dtype (a BOOL tril is a causal mask).
   */
  static Tensor keep(Tensor x, int diagonal, boolean lower, Tensor into) {
    Shapes.matrixLike(DimAlgebra.EAGER, lower ? "tril" : "triu", List.of(Internals.shapeRef(x)), Attrs.NONE);
    Tensor out;
    if (into == null) {
      out = Copy.cast(x, x.dtype());   // a fresh contiguous copy
    } else if (into.isContiguous() && into.dtype() == x.dtype()
        && java.util.Arrays.equals(Internals.shapeRef(into), Internals.shapeRef(x))) {
      Copy.copy(x, into);
      out = into;
    } else {
      throw new IllegalArgumentException((lower ? "tril" : "triu") + ": out must be a contiguous " + x.dtype() + " tensor of"
          + " shape " + java.util.Arrays.toString(Internals.shapeRef(x)) + ", but got " + into.dtype() + " "
          + java.util.Arrays.toString(Internals.shapeRef(into)));
    }
    int[] shape = Internals.shapeRef(out);
    int rows = shape[shape.length - 2];
    int cols = shape[shape.length - 1];
    int matrices = rows * cols == 0 ? 0 : out.numel() / (rows * cols);
    Storage s = out.storage();
    int base = out.offset();
    for (int m = 0; m < matrices; m++) {
      for (int r = 0; r < rows; r++) {
        int row = base + (m * rows + r) * cols;
        // zero [from, to) of this row: above the diagonal for tril, below it for triu
        long edge = (long) r + diagonal;   // the column on the diagonal
        int from = lower ? (int) Math.max(0, Math.min(cols, edge + 1)) : 0;
        int to = lower ? cols : (int) Math.max(0, Math.min(cols, edge));
        if (from < to) {
          s.fill(row + from, row + to, 0);
        }
      }
    }
    return out;
  }
}

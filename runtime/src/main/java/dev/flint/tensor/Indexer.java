package dev.flint.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Applies {@link Tensor#index(Index...)} as PyTorch does: first the basic entries (integers, slices,
 * new axes) as views, left to right; then the one tensor entry, if any, as a copy along the dims it
 * covers, whose positions the basic entries have already settled. Every step is a differentiable
 * Tensor op (select, narrow, slice, unsqueeze, reshape, indexSelect), so gradients flow back.
 */
final class Indexer {
  private Indexer() {}

  static Tensor apply(Tensor x, Index... indices) {
    List<Index> entries = expandEllipsis(x, indices);
    Tensor r = x;
    int d = 0;                 // the dim of r the next entry applies to
    int originalDim = 0;       // the dim of x it applies to, for messages
    int advancedAt = -1;
    Index advanced = null;
    for (Index e : entries) {
      switch (e.kind) {
        case AT -> {
          int size = r.size(d);
          int i = e.start < 0 ? e.start + size : e.start;
          if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(describe(x, indices) + ": index " + e.start
                + " is out of bounds for dimension " + originalDim + " with size " + size);
          }
          r = r.select(d, i);
          originalDim++;
        }
        case SLICE -> {
          if (e.start != Index.OPEN || e.end != Index.OPEN || e.step != 1) {
            r = r.slice(d, e.start == Index.OPEN ? 0 : e.start, e.end == Index.OPEN ? Integer.MAX_VALUE : e.end, e.step);
          }
          d++;
          originalDim++;
        }
        case NEW_AXIS -> r = r.unsqueeze(d++);
        case TENSOR -> {
          if (advanced != null) {
            throw new IllegalArgumentException(describe(x, indices) + ": Flint supports one tensor index per call "
                + "(PyTorch broadcasts several together); index in two steps, e.g. x.index(i).index(Index.all(), j)");
          }
          advanced = e;
          advancedAt = d;
          int covered = e.consumes();
          if (e.tensor.dtype() == DType.BOOL) {
            checkMask(x, indices, r, d, e.tensor, originalDim);
          }
          d += covered;
          originalDim += covered;
        }
        default -> throw new IllegalStateException("ellipsis left after expansion");
      }
    }
    return advanced == null ? r : advancedIndex(x, indices, r, advancedAt, advanced.tensor);
  }

  /** The entries with {@code ...} replaced by whole-dim slices; checks the count of dims. */
  private static List<Index> expandEllipsis(Tensor x, Index[] indices) {
    int consumed = 0;
    int ellipses = 0;
    for (Index e : indices) {
      if (e == null) {
        throw new IllegalArgumentException(describe(x, indices) + ": an index entry is null (for None write Index.newAxis())");
      }
      consumed += e.consumes();
      ellipses += e.kind == Index.Kind.ELLIPSIS ? 1 : 0;
    }
    if (ellipses > 1) {
      throw new IllegalArgumentException(describe(x, indices) + ": an index can only have a single ellipsis ('...')");
    }
    if (consumed > x.dim()) {
      throw new IndexOutOfBoundsException(describe(x, indices) + ": too many indices for a tensor of dimension "
          + x.dim() + " (shape " + x.shapeString() + "): " + consumed + " dims indexed");
    }
    List<Index> out = new ArrayList<>();
    for (Index e : indices) {
      if (e.kind == Index.Kind.ELLIPSIS) {
        for (int k = 0; k < x.dim() - consumed; k++) {
          out.add(Index.all());
        }
      } else {
        out.add(e);
      }
    }
    return out;
  }

  private static void checkMask(Tensor x, Index[] indices, Tensor r, int d, Tensor mask, int originalDim) {
    int k = mask.dim();
    if (k == 0) {
      throw new IllegalArgumentException(describe(x, indices) + ": a 0-d BOOL index is not supported; "
          + "use a mask with the shape of the dims it selects from");
    }
    int[] covered = Arrays.copyOfRange(r.shapeRef(), d, d + k);
    if (!Arrays.equals(covered, mask.shapeRef())) {
      throw new IndexOutOfBoundsException(describe(x, indices) + ": the shape of the mask " + mask.shapeString()
          + " does not match the shape " + Arrays.toString(covered) + " of the indexed dims " + originalDim + ".."
          + (originalDim + k - 1) + " of a tensor of shape " + x.shapeString());
    }
  }

  /** The copy for a tensor entry at dim {@code d} of {@code r}. */
  private static Tensor advancedIndex(Tensor x, Index[] indices, Tensor r, int d, Tensor index) {
    int[] shape = r.shapeRef();
    if (index.dtype() == DType.BOOL) {
      int k = index.dim();
      int[] merged = new int[shape.length - k + 1];
      System.arraycopy(shape, 0, merged, 0, d);
      merged[d] = -1;
      System.arraycopy(shape, d + k, merged, d + 1, shape.length - d - k);
      boolean[] m = index.toBooleanArray();
      long[] positions = new long[m.length];
      int n = 0;
      for (int i = 0; i < m.length; i++) {
        if (m[i]) {
          positions[n++] = i;
        }
      }
      Tensor flat = merged.length == shape.length && k == 1 ? r : r.reshape(withInferred(merged, shape, d, k));
      return flat.indexSelect(d, Tensor.of(Arrays.copyOf(positions, n)));
    }
    long[] positions = index.toLongArray();
    int size = shape[d];
    for (long p : positions) {
      if (p < -size || p >= size) {
        throw new IndexOutOfBoundsException(describe(x, indices) + ": index " + p + " is out of bounds for dimension "
            + d + " with size " + size);
      }
    }
    Tensor picked = r.indexSelect(d, index.dim() == 1 ? index : index.reshape(-1));
    if (index.dim() == 1) {
      return picked;
    }
    int[] out = new int[shape.length - 1 + index.dim()];
    System.arraycopy(shape, 0, out, 0, d);
    System.arraycopy(index.shapeRef(), 0, out, d, index.dim());
    System.arraycopy(shape, d + 1, out, d + index.dim(), shape.length - d - 1);
    return picked.reshape(out);
  }

  /** {@code merged} with its -1 replaced by the product of the {@code k} dims it stands for (so empty tensors work). */
  private static int[] withInferred(int[] merged, int[] shape, int d, int k) {
    int n = 1;
    for (int i = d; i < d + k; i++) {
      n *= shape[i];
    }
    int[] out = merged.clone();
    out[d] = n;
    return out;
  }

  private static String describe(Tensor x, Index[] indices) {
    return "index " + Arrays.toString(indices) + " of a tensor of shape " + x.shapeString();
  }
}

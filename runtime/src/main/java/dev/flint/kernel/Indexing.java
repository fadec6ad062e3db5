package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.ops.Attrs;
import dev.flint.ops.Shapes;
import dev.flint.tensor.Layouts;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/** Index kernels: index_select and its adjoint index_add, gather and its adjoint scatter_add. */
final class Indexing {
  private Indexing() {}

  private static int checkedIndex(String op, long i, int size, int dim) {
    if (i < -size || i >= size) {
      throw new IndexOutOfBoundsException(op + ": index " + i + " is out of bounds for dimension " + dim
          + " with size " + size);
    }
    return (int) (i < 0 ? i + size : i);
  }

  private static void checkIndexType(String op, Tensor index) {
    if (index.dtype().isFloatingPoint() || index.dtype() == dev.flint.tensor.DType.BOOL) {
      throw new IllegalArgumentException(op + ": expected an INT64 or INT32 index, but got "
          + index.dtype().shortName() + ": convert it with .to(DType.INT64)");
    }
  }

  /** The slices of {@code x} along {@code dim} at the positions of the 1-D {@code index}. */
  static Tensor indexSelect(Tensor x, int dim, Tensor index) {
    return indexSelect(x, dim, index, null);
  }

  /** The same into {@code out} (null: a new tensor; else contiguous, of the result's shape and x's dtype). */
  static Tensor indexSelect(Tensor x, int dim, Tensor index, Tensor given) {
    checkIndexType("indexSelect", index);
    int[] xs = Internals.shapeRef(x);
    if (xs.length == 2 && wholeRows(x, dim, index, given, xs[1])) {
      // an embedding's lookup: whole rows, copied without views or an index array
      int rows = index.numel();
      int width = xs[1];
      Tensor out = given != null ? given : Tensor.empty(x.dtype(), rows, width);
      for (int i = 0; i < rows; i++) {
        int at = checkedIndex("indexSelect", index.storage().getLong(index.offset() + i), xs[0], 0);
        copyRow(x.storage(), x.offset() + at * width, out.storage(), out.offset() + i * width, width);
      }
      return out;
    }
    int[] shape = Shapes.indexSelect("indexSelect", List.of(Internals.shapeRef(x), Internals.shapeRef(index)), Attrs.of(Attrs.DIM, dim));
    Tensor out = Elementwise.prepare(given, x.dtype(), shape, "indexSelect");
    if (x.dim() == 0) {
      Copy.copy(x, out);
      return out;
    }
    int d = Shapes.dim("indexSelect", dim, x.dim());
    long[] idx = index.toLongArray();
    for (int i = 0; i < idx.length; i++) {
      int at = checkedIndex("indexSelect", idx[i], Internals.shapeRef(x)[d], d);
      Copy.copy(Views.narrow(x, d, at, 1), Views.narrow(out, d, i, 1));
    }
    return out;
  }

  /** Zeros of {@code shape} with the slices of {@code src} added at the positions of {@code index} along {@code dim}. */
  static Tensor indexAdd(Tensor src, int dim, Tensor index, int[] shape) {
    return indexAdd(src, dim, index, shape, null);
  }

  /** The same into {@code out} (null: a new tensor; else contiguous, of {@code shape} and src's dtype). */
  static Tensor indexAdd(Tensor src, int dim, Tensor index, int[] shape, Tensor given) {
    checkIndexType("indexAdd", index);
    if (shape.length == 2 && wholeRows(src, dim, index, null, shape[1]) && Internals.shapeRef(src)[0] == index.numel()
        && (given == null || given.dtype() == src.dtype() && given.isContiguous() && Arrays.equals(Internals.shapeRef(given), shape))) {
      // an embedding's gradient: zeros, then whole rows of src added, without views or an index array
      int rows = index.numel();
      int width = shape[1];
      Tensor out = given != null ? given : Tensor.empty(src.dtype(), shape);
      out.storage().fill(out.offset(), out.offset() + out.numel(), 0);
      for (int i = 0; i < rows; i++) {
        int at = checkedIndex("indexAdd", index.storage().getLong(index.offset() + i), shape[0], 0);
        addRow(src.storage(), src.offset() + i * width, out.storage(), out.offset() + at * width, width);
      }
      return out;
    }
    Shapes.indexAdd("indexAdd", List.of(Internals.shapeRef(src), Internals.shapeRef(index)), Attrs.of(Attrs.DIM, dim, Attrs.SHAPE, shape));
    Tensor out = Elementwise.prepare(given, src.dtype(), shape, "indexAdd");
    if (given != null) {
      out.storage().fill(out.offset(), out.offset() + out.numel(), 0);
    }
    if (shape.length == 0) {
      Copy.accumulate(src, out);
      return out;
    }
    int d = Shapes.dim("indexAdd", dim, shape.length);
    long[] idx = index.toLongArray();
    for (int i = 0; i < idx.length; i++) {
      int at = checkedIndex("indexAdd", idx[i], shape[d], d);
      Copy.accumulate(Views.narrow(src, d, i, 1), Views.narrow(out, d, at, 1));
    }
    return out;
  }

  /** Copies {@code n} elements between two float storages of one dtype. */
  private static void copyRow(Storage from, int at, Storage to, int into, int n) {
    if (from.dtype() == dev.flint.tensor.DType.FLOAT32) {
      System.arraycopy(from.floats(), at, to.floats(), into, n);
    } else {
      System.arraycopy(from.doubles(), at, to.doubles(), into, n);
    }
  }

  /** Adds {@code n} elements of one float storage to another's, of one dtype. */
  private static void addRow(Storage from, int at, Storage to, int into, int n) {
    if (from.dtype() == dev.flint.tensor.DType.FLOAT32) {
      float[] a = from.floats();
      float[] b = to.floats();
      for (int j = 0; j < n; j++) {
        b[into + j] += a[at + j];
      }
    } else {
      double[] a = from.doubles();
      double[] b = to.doubles();
      for (int j = 0; j < n; j++) {
        b[into + j] += a[at + j];
      }
    }
  }

  /**
   * Whether {@code t} is a contiguous float [*, width], {@code index} a contiguous INT64 [n] along dim 0, and
   * {@code given} null or a contiguous [n, width] of t's dtype: the case the row loops above handle directly.
   */
  private static boolean wholeRows(Tensor t, int dim, Tensor index, Tensor given, int width) {
    int[] ts = Internals.shapeRef(t);
    if ((dim != 0 && dim != -2) || ts.length != 2 || ts[1] != width || !t.dtype().isFloatingPoint() || !t.isContiguous()
        || index.dtype() != dev.flint.tensor.DType.INT64 || index.dim() != 1 || !index.isContiguous()) {
      return false;
    }
    if (given == null) {
      return true;
    }
    int[] gs = Internals.shapeRef(given);
    return given.dtype() == t.dtype() && given.isContiguous() && gs.length == 2 && gs[0] == index.numel() && gs[1] == width;
  }

  /** {@code out[...i...] = x[...index[...i...]...]} along {@code dim}, shaped like {@code index}. */
  static Tensor gather(Tensor x, int dim, Tensor index) {
    checkIndexType("gather", index);
    int[] shape = Shapes.gather("gather", List.of(Internals.shapeRef(x), Internals.shapeRef(index)), Attrs.of(Attrs.DIM, dim));
    Tensor out = Tensor.empty(x.dtype(), shape);
    int d = Shapes.dim("gather", dim, Math.max(x.dim(), 1));
    int size = x.dim() == 0 ? 1 : Internals.shapeRef(x)[d];
    int step = x.dim() == 0 ? 0 : Internals.stridesRef(x)[d];
    int[] xStrides = x.strides();
    if (x.dim() > 0) {
      xStrides[d] = 0;
    }
    int[] xAt = positions(shape, xStrides, x.offset());
    Storage xs = x.storage();
    Storage os = out.storage();
    Storage is = index.storage();
    boolean exact = !x.dtype().isFloatingPoint();
    Layouts.forEachIndex(shape, Internals.stridesRef(index), index.offset(), (i, at) -> {
      int k = checkedIndex("gather", is.getLong(at), size, d);
      int from = xAt[i] + k * step;
      if (exact) {
        os.setLong(i, xs.getLong(from));
      } else {
        os.setDouble(i, xs.getDouble(from));
      }
    });
    return out;
  }

  /** Zeros of {@code shape} with {@code src} added at {@code index} along {@code dim}: the adjoint of gather. */
  static Tensor scatterAdd(Tensor src, int dim, Tensor index, int[] shape) {
    checkIndexType("scatterAdd", index);
    Shapes.scatterAdd("scatterAdd", List.of(Internals.shapeRef(src), Internals.shapeRef(index)), Attrs.of(Attrs.DIM, dim, Attrs.SHAPE, shape));
    Tensor out = Tensor.empty(src.dtype(), shape);
    int d = Shapes.dim("scatterAdd", dim, Math.max(shape.length, 1));
    int size = shape.length == 0 ? 1 : shape[d];
    int[] oStrides = out.strides();
    int step = shape.length == 0 ? 0 : oStrides[d];
    if (shape.length > 0) {
      oStrides[d] = 0;
    }
    int[] idxShape = Internals.shapeRef(index);
    int[] oAt = positions(idxShape, oStrides, 0);
    int[] srcAt = positions(idxShape, Internals.stridesRef(src), src.offset());
    Storage ss = src.storage();
    Storage os = out.storage();
    Storage is = index.storage();
    boolean exact = !src.dtype().isFloatingPoint();
    Layouts.forEachIndex(idxShape, Internals.stridesRef(index), index.offset(), (i, at) -> {
      int k = checkedIndex("scatterAdd", is.getLong(at), size, d);
      int to = oAt[i] + k * step;
      if (exact) {
        os.setLong(to, os.getLong(to) + ss.getLong(srcAt[i]));
      } else {
        os.setDouble(to, os.getDouble(to) + ss.getDouble(srcAt[i]));
      }
    });
    return out;
  }

  /** The storage index of each element (row-major order) of a view with this shape and these strides. */
  private static int[] positions(int[] shape, int[] strides, int offset) {
    int[] at = new int[Layouts.numel(shape)];
    Layouts.forEachIndex(shape, strides, offset, (i, s) -> at[i] = s);
    return at;
  }
}

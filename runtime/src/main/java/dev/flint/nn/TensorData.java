package dev.flint.nn;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Layouts;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * In-place data operations on module state, outside autograd: copying a checkpoint's values into a
 * parameter ({@code param.copy_(value)} under no-grad) and converting a tensor's dtype.
 */
final class TensorData {
  private TensorData() {}

  /** Writes {@code src}'s elements into {@code dst}'s storage (same shape), converting the dtype. */
  static void copyInto(Tensor src, Tensor dst) {
    if (!Arrays.equals(Internals.shapeRef(src), Internals.shapeRef(dst))) {
      throw new IllegalArgumentException(
          "copy: shapes " + Arrays.toString(Internals.shapeRef(src)) + " and " + Arrays.toString(Internals.shapeRef(dst)) + " differ");
    }
    Storage out = dst.storage();
    if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
      // a checkpoint's tensor into its parameter: one array copy (the loop below boxes every element
      // through a lambda and, interpreted at start-up, took 30 ms of a 535k-parameter model's load)
      System.arraycopy(array(src.storage()), src.offset(), array(out), dst.offset(), src.numel());
    } else if (dst.dtype().isFloatingPoint() || src.dtype().isFloatingPoint()) {
      double[] values = src.toDoubleArray();
      Layouts.forEachIndex(Internals.shapeRef(dst), Internals.stridesRef(dst), dst.offset(), (i, at) -> out.setDouble(at, values[i]));
    } else {
      long[] values = src.toLongArray();
      Layouts.forEachIndex(Internals.shapeRef(dst), Internals.stridesRef(dst), dst.offset(), (i, at) -> out.setLong(at, values[i]));
    }
    out.bumpVersion();
  }

  /** The primitive array behind {@code s}, whatever its dtype. */
  private static Object array(Storage s) {
    switch (s.dtype()) {
      case FLOAT32: return s.floats();
      case FLOAT64: return s.doubles();
      case INT64: return s.longs();
      case INT32: return s.ints();
      default: return s.bools();
    }
  }

  /** A new contiguous tensor with {@code t}'s values converted to {@code dtype}, detached from the graph. */
  static Tensor converted(Tensor t, DType dtype) {
    Tensor out = Tensor.empty(dtype, Internals.shapeRef(t));
    copyInto(t, out);
    return out;
  }
}

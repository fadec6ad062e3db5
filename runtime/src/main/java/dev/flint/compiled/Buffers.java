package dev.flint.compiled;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;

/**
 * Reusable result buffers for compiled code: a buffer is kept while the needed dtype and shape stay
 * the same, and replaced by a new contiguous tensor when they change (another batch size, a model
 * converted to FLOAT64). The fixed-rank overloads avoid a varargs array per call. A buffer whose
 * view was handed to a caller ({@code Internals.lend(Tensor)}) is taken back first, so that view stops reading.
 */
public final class Buffers {
  private Buffers() {}

  /** {@code buf} when it is a contiguous {@code dtype[d0]}, else a new one. */
  public static Tensor reuse(Tensor buf, DType dtype, int d0) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous()) {
      int[] s = Internals.shapeRef(buf);
      if (s.length == 1 && s[0] == d0) {
        Internals.reclaim(buf);
        return buf;
      }
    }
    return Tensor.empty(dtype, d0);
  }

  /** {@code buf} when it is a contiguous {@code dtype[d0, d1]}, else a new one. */
  public static Tensor reuse(Tensor buf, DType dtype, int d0, int d1) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous()) {
      int[] s = Internals.shapeRef(buf);
      if (s.length == 2 && s[0] == d0 && s[1] == d1) {
        Internals.reclaim(buf);
        return buf;
      }
    }
    return Tensor.empty(dtype, d0, d1);
  }

  /** {@code buf} when it is a contiguous {@code dtype[d0, d1, d2]}, else a new one. */
  public static Tensor reuse(Tensor buf, DType dtype, int d0, int d1, int d2) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous()) {
      int[] s = Internals.shapeRef(buf);
      if (s.length == 3 && s[0] == d0 && s[1] == d1 && s[2] == d2) {
        Internals.reclaim(buf);
        return buf;
      }
    }
    return Tensor.empty(dtype, d0, d1, d2);
  }

  /** {@code buf} when it is a contiguous {@code dtype[d0, d1, d2, d3]} (an image batch), else a new one. */
  public static Tensor reuse(Tensor buf, DType dtype, int d0, int d1, int d2, int d3) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous()) {
      int[] s = Internals.shapeRef(buf);
      if (s.length == 4 && s[0] == d0 && s[1] == d1 && s[2] == d2 && s[3] == d3) {
        Internals.reclaim(buf);
        return buf;
      }
    }
    return Tensor.empty(dtype, d0, d1, d2, d3);
  }

  /** {@code buf} when it is a contiguous tensor of {@code dtype} and {@code shape}, else a new one. */
  public static Tensor reuse(Tensor buf, DType dtype, int[] shape) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous() && java.util.Arrays.equals(Internals.shapeRef(buf), shape)) {
      Internals.reclaim(buf);
      return buf;
    }
    return Tensor.empty(dtype, shape.clone());
  }
}

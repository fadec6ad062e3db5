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

  // Note [Buffers within a capacity]: a model whose sizes have bounds (@Model(inputDims = {"T<=64"})) sizes
  // each buffer for the bound, capacity elements, the first time, and afterwards views the first numel
  // elements of that storage with the actual shape: a context that grows one token at a time (generation)
  // allocates its buffers once, not at every T.

  /** {@code buf} when it is a contiguous {@code dtype[d0]}; else a view of its storage when that holds {@code capacity}. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int d0) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous()) {
      int[] s = Internals.shapeRef(buf);
      if (s.length == 1 && s[0] == d0) {
        Internals.reclaim(buf);
        return buf;
      }
    }
    return reuseWithin(buf, dtype, capacity, new int[] {d0}, d0);
  }

  /** As above, {@code dtype[d0, d1]}. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int d0, int d1) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous()) {
      int[] s = Internals.shapeRef(buf);
      if (s.length == 2 && s[0] == d0 && s[1] == d1) {
        Internals.reclaim(buf);
        return buf;
      }
    }
    return reuseWithin(buf, dtype, capacity, new int[] {d0, d1}, d0 * d1);
  }

  /** As above, {@code dtype[d0, d1, d2]}. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int d0, int d1, int d2) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous()) {
      int[] s = Internals.shapeRef(buf);
      if (s.length == 3 && s[0] == d0 && s[1] == d1 && s[2] == d2) {
        Internals.reclaim(buf);
        return buf;
      }
    }
    return reuseWithin(buf, dtype, capacity, new int[] {d0, d1, d2}, d0 * d1 * d2);
  }

  /** As above, {@code dtype[d0, d1, d2, d3]}. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int d0, int d1, int d2, int d3) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous()) {
      int[] s = Internals.shapeRef(buf);
      if (s.length == 4 && s[0] == d0 && s[1] == d1 && s[2] == d2 && s[3] == d3) {
        Internals.reclaim(buf);
        return buf;
      }
    }
    return reuseWithin(buf, dtype, capacity, new int[] {d0, d1, d2, d3}, d0 * d1 * d2 * d3);
  }

  /** As above, any rank. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int[] shape) {
    if (buf != null && buf.dtype() == dtype && buf.isContiguous() && java.util.Arrays.equals(Internals.shapeRef(buf), shape)) {
      Internals.reclaim(buf);
      return buf;
    }
    int numel = 1;
    for (int d : shape) {
      numel *= d;
    }
    return reuseWithin(buf, dtype, capacity, shape.clone(), numel);
  }

  /** The first {@code numel} elements of buf's storage as a contiguous {@code shape}, or a new buffer of {@code capacity}. */
  private static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int[] shape, int numel) {
    if (buf != null && buf.dtype() == dtype && buf.offset() == 0 && buf.isContiguous()
        && buf.storage().size() >= numel) {
      Internals.reclaim(buf);
      return Internals.view(buf.storage(), 0, shape, contiguousStrides(shape));
    }
    if (capacity > numel) {
      Tensor whole = Tensor.empty(dtype, capacity);
      return Internals.view(whole.storage(), 0, shape, contiguousStrides(shape));
    }
    return Tensor.empty(dtype, shape);
  }

  private static int[] contiguousStrides(int[] shape) {
    int[] strides = new int[shape.length];
    int stride = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= shape[d];
    }
    return strides;
  }
}

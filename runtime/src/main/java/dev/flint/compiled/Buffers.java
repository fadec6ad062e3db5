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
  // allocates its buffers once, not at every T. The view is the buffer's own tensor, its shape and strides
  // rewritten in place (Internals.repoint): the set is the model's, no caller holds these tensors (the output
  // handed to a caller is a copy of the header, Outputs.lend), so a warm step at a new T allocates nothing.

  /** {@code buf} when it is a contiguous {@code dtype[d0]}; else a view of its storage when that holds {@code capacity}. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int d0) {
    return fitWithin(buf, dtype, 1, d0, 0, 0, 0) ? buf : allocateWithin(dtype, capacity, new int[] {d0}, d0);
  }

  /** As above, {@code dtype[d0, d1]}. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int d0, int d1) {
    return fitWithin(buf, dtype, 2, d0, d1, 0, 0) ? buf : allocateWithin(dtype, capacity, new int[] {d0, d1}, d0 * d1);
  }

  /** As above, {@code dtype[d0, d1, d2]}. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int d0, int d1, int d2) {
    return fitWithin(buf, dtype, 3, d0, d1, d2, 0) ? buf
        : allocateWithin(dtype, capacity, new int[] {d0, d1, d2}, d0 * d1 * d2);
  }

  /** As above, {@code dtype[d0, d1, d2, d3]}. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int d0, int d1, int d2, int d3) {
    return fitWithin(buf, dtype, 4, d0, d1, d2, d3) ? buf
        : allocateWithin(dtype, capacity, new int[] {d0, d1, d2, d3}, d0 * d1 * d2 * d3);
  }

  /** As above, any rank. */
  public static Tensor reuseWithin(Tensor buf, DType dtype, int capacity, int[] shape) {
    int numel = 1;
    for (int d : shape) {
      numel *= d;
    }
    if (buf != null && buf.dtype() == dtype && buf.offset() == 0 && Internals.shapeRef(buf).length == shape.length
        && buf.storage().size() >= numel) {
      Internals.reclaim(buf);
      int[] s = Internals.shapeRef(buf);
      int[] st = Internals.stridesRef(buf);
      int stride = 1;
      for (int d = shape.length - 1; d >= 0; d--) {
        s[d] = shape[d];
        st[d] = stride;
        stride *= shape[d];
      }
      return buf;
    }
    return allocateWithin(dtype, capacity, shape.clone(), numel);
  }

  /**
   * Whether {@code buf} (a {@code dtype} buffer of this rank from offset 0) holds the first d0·d1·… elements;
   * if so it is taken back from a caller it was lent to and made a contiguous [d0, d1, …] in place.
   */
  private static boolean fitWithin(Tensor buf, DType dtype, int rank, int d0, int d1, int d2, int d3) {
    if (buf == null || buf.dtype() != dtype || buf.offset() != 0) {
      return false;
    }
    int[] s = Internals.shapeRef(buf);
    if (s.length != rank) {
      return false;
    }
    long numel = (long) d0 * (rank > 1 ? d1 : 1) * (rank > 2 ? d2 : 1) * (rank > 3 ? d3 : 1);
    if (buf.storage().size() < numel) {
      return false;
    }
    Internals.reclaim(buf);
    int[] st = Internals.stridesRef(buf);
    int stride = 1;
    for (int d = rank - 1; d >= 0; d--) {
      int size = d == 0 ? d0 : d == 1 ? d1 : d == 2 ? d2 : d3;
      s[d] = size;
      st[d] = stride;
      stride *= size;
    }
    return true;
  }

  /** The first {@code numel} elements of a new storage of {@code capacity} (at least numel), as a contiguous {@code shape}. */
  private static Tensor allocateWithin(DType dtype, int capacity, int[] shape, int numel) {
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

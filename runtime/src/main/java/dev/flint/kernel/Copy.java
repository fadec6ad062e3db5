package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/** Copying kernels: strided copy with dtype conversion, accumulation, cast, clone, cat and pad. */
final class Copy {
  private Copy() {}

  /** Copies {@code src} (broadcast to {@code dst}'s shape) into {@code dst}, converting the dtype. */
  static void copy(Tensor src, Tensor dst) {
    if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()
        && Arrays.equals(Internals.shapeRef(src), Internals.shapeRef(dst))) {
      // the common case (a first gradient into its recycled storage): one array copy, no plan
      System.arraycopy(array(src.storage()), src.offset(), array(dst.storage()), dst.offset(), src.numel());
      return;
    }
    int[] shape = Internals.shapeRef(dst);
    checkBroadcastable("copy", src, shape);
    int[][] strides = {Internals.stridesRef(dst), Strided.broadcastStrides(src, shape)};
    int[] base = {dst.offset(), src.offset()};
    int[] inner = new int[2];
    Storage d = dst.storage();
    Storage s = src.storage();
    if (src.dtype() == dst.dtype()) {
      Object da = array(d);
      Object sa = array(s);
      boolean f32 = src.dtype() == DType.FLOAT32;
      Strided.forEachRow(shape, strides, base, inner, (off, n) -> {
        if (inner[0] == 1 && inner[1] == 1) {
          System.arraycopy(sa, off[1], da, off[0], n);
        } else if (f32) {
          float[] dd = (float[]) da;
          float[] sd = (float[]) sa;
          for (int i = 0; i < n; i++) {
            dd[off[0] + i * inner[0]] = sd[off[1] + i * inner[1]];
          }
        } else {
          boolean exact = !src.dtype().isFloatingPoint();
          for (int i = 0; i < n; i++) {
            if (exact) {
              d.setLong(off[0] + i * inner[0], s.getLong(off[1] + i * inner[1]));
            } else {
              d.setDouble(off[0] + i * inner[0], s.getDouble(off[1] + i * inner[1]));
            }
          }
        }
      });
      return;
    }
    boolean exact = !src.dtype().isFloatingPoint() && !dst.dtype().isFloatingPoint();
    Strided.forEachRow(shape, strides, base, inner, (off, n) -> {
      for (int i = 0; i < n; i++) {
        if (exact) {
          d.setLong(off[0] + i * inner[0], s.getLong(off[1] + i * inner[1]));
        } else {
          d.setDouble(off[0] + i * inner[0], s.getDouble(off[1] + i * inner[1]));
        }
      }
    });
  }

  /** {@code dst += src} with {@code src} broadcast to {@code dst}'s shape. */
  static void accumulate(Tensor src, Tensor dst) {
    int[] shape = Internals.shapeRef(dst);
    checkBroadcastable("accumulate", src, shape);
    int[][] strides = {Internals.stridesRef(dst), Strided.broadcastStrides(src, shape)};
    int[] base = {dst.offset(), src.offset()};
    int[] inner = new int[2];
    Storage d = dst.storage();
    Storage s = src.storage();
    if (src.dtype() == DType.FLOAT32 && dst.dtype() == DType.FLOAT32) {
      float[] dd = d.floats();
      float[] sd = s.floats();
      Strided.forEachRow(shape, strides, base, inner, (off, n) -> {
        if (inner[0] == 1 && inner[1] == 1 && off[0] == off[1]) {
          for (int j = off[0]; j < off[0] + n; j++) {   // one index: vectorizes (see Elementwise)
            dd[j] += sd[j];
          }
          return;
        }
        for (int i = 0; i < n; i++) {
          dd[off[0] + i * inner[0]] += sd[off[1] + i * inner[1]];
        }
      });
      return;
    }
    boolean exact = !dst.dtype().isFloatingPoint() && !src.dtype().isFloatingPoint();
    Strided.forEachRow(shape, strides, base, inner, (off, n) -> {
      for (int i = 0; i < n; i++) {
        int at = off[0] + i * inner[0];
        if (exact) {
          d.setLong(at, d.getLong(at) + s.getLong(off[1] + i * inner[1]));
        } else {
          d.setDouble(at, d.getDouble(at) + s.getDouble(off[1] + i * inner[1]));
        }
      }
    });
  }

  private static void checkBroadcastable(String op, Tensor src, int[] shape) {
    int[] b = Shapes.broadcast(op, Internals.shapeRef(src), shape);
    if (!Arrays.equals(b, shape)) {
      throw new IllegalArgumentException(op + ": source shape " + Shapes.str(Internals.shapeRef(src))
          + " does not broadcast to destination shape " + Shapes.str(shape));
    }
  }

  static Object array(Storage s) {
    switch (s.dtype()) {
      case FLOAT32: return s.floats();
      case FLOAT64: return s.doubles();
      case INT64: return s.longs();
      case INT32: return s.ints();
      default: return s.bools();
    }
  }

  /** A new contiguous tensor of {@code dtype} holding {@code x}'s values. */
  static Tensor cast(Tensor x, DType dtype) {
    Tensor out = Tensor.empty(dtype, Internals.shapeRef(x));
    copy(x, out);
    return out;
  }

  /** Concatenation along {@code dim}; the result promotes the inputs' dtypes. */
  static Tensor cat(List<Tensor> xs, int dim) {
    List<int[]> shapes = new java.util.ArrayList<>();
    for (Tensor x : xs) {
      shapes.add(Internals.shapeRef(x));
    }
    int[] shape = Shapes.cat("cat", shapes, dev.flint.ops.Attrs.of(dev.flint.ops.Attrs.DIM, dim));
    int d = Shapes.dim("cat", dim, shape.length);
    Tensor out = Tensor.empty(dev.flint.tensor.DTypes.promote(xs.toArray(new Tensor[0])), shape);
    int start = 0;
    for (Tensor x : xs) {
      int len = Internals.shapeRef(x)[d];
      copy(x, Views.narrow(out, d, start, len));
      start += len;
    }
    return out;
  }

  /**
   * {@code cat} written into {@code out}, a contiguous tensor of the concatenated shape and the inputs' promoted
   * dtype (a planned buffer: a compiled LSTM's final states stack every layer's last step into it each call,
   * and a compiled backward pass writes a split's gradient with it, one pass where padding each part to the
   * whole width and adding them took five). Inputs of 4 dims or fewer are copied without views.
   */
  static Tensor catInto(List<Tensor> xs, int dim, Tensor out) {
    int[] o = Internals.shapeRef(out);
    int d = Shapes.dim("cat", dim, o.length);
    DType dtype = xs.get(0).dtype();
    for (int i = 1; i < xs.size(); i++) {   // no array: a warm compiled step calls this
      dtype = DType.promote(dtype, xs.get(i).dtype());
    }
    int total = 0;
    boolean fits = out.isContiguous() && out.dtype() == dtype;
    for (Tensor x : xs) {
      int[] in = Internals.shapeRef(x);
      fits &= in.length == o.length;
      for (int k = 0; fits && k < in.length; k++) {
        fits = k == d || in[k] == o[k];
      }
      total += fits ? in[d] : 0;
    }
    if (!fits || total != o[d]) {
      List<int[]> shapes = new java.util.ArrayList<>();
      for (Tensor x : xs) {
        shapes.add(Internals.shapeRef(x));
      }
      // the inputs' own mismatch, if any, is the shape rule's message
      int[] expected = Shapes.cat("cat", shapes, dev.flint.ops.Attrs.of(dev.flint.ops.Attrs.DIM, dim));
      throw new IllegalArgumentException("cat: out must be a contiguous " + dtype + " tensor of the concatenated shape "
          + Arrays.toString(expected) + ", but got " + out.dtype() + " " + Arrays.toString(o)
          + (out.isContiguous() ? "" : " (not contiguous)") + " for " + xs.size() + " inputs along dim " + dim);
    }
    int start = 0;
    for (Tensor x : xs) {
      place(x, d, start, out);
      start += Internals.shapeRef(x)[d];
    }
    return out;
  }

  /** {@code x} with {@code before} and {@code after} zeros along {@code dim}. */
  static Tensor pad(Tensor x, int dim, int before, int after) {
    int[] shape = x.shape();
    shape[dim] += before + after;
    return padInto(x, dim, before, after, Tensor.empty(x.dtype(), shape));
  }

  /** {@code pad} written into {@code out}, a contiguous tensor of the padded shape and x's dtype (a planned buffer). */
  static Tensor padInto(Tensor x, int dim, int before, int after, Tensor out) {
    int[] in = Internals.shapeRef(x);
    int[] o = Internals.shapeRef(out);
    boolean fits = out.isContiguous() && out.dtype() == x.dtype() && o.length == in.length;
    for (int d = 0; fits && d < in.length; d++) {
      fits = o[d] == (d == dim ? in[d] + before + after : in[d]);
    }
    if (!fits) {
      throw new IllegalArgumentException("pad: out must be a contiguous " + x.dtype() + " tensor of the padded shape, but"
          + " got " + out.dtype() + " " + Arrays.toString(o) + (out.isContiguous() ? "" : " (not contiguous)")
          + " for input " + Arrays.toString(in) + " padded by " + before + " and " + after + " along dim " + dim);
    }
    out.storage().fill(out.offset(), out.offset() + out.numel(), 0);
    place(x, dim, before, out);
    return out;
  }

  /** Copies {@code x} into {@code out} (contiguous) at offset {@code before} along {@code dim}; the rest of out is left as it is. */
  private static void place(Tensor x, int dim, int before, Tensor out) {
    int[] in = Internals.shapeRef(x);
    int[] o = Internals.shapeRef(out);
    if (x.dtype() == out.dtype() && (x.dtype() == DType.FLOAT32 || x.dtype() == DType.FLOAT64) && dim >= 0 && dim < in.length && in.length <= 4) {
      // x (any strides, as 4 dims) into the narrowed part of out (a split's gradient padded back to the
      // whole width every compiled step): no view, no strided plan
      int r = in.length;
      int[] xs = Internals.stridesRef(x);
      int n0 = r > 3 ? in[r - 4] : 1;
      int n1 = r > 2 ? in[r - 3] : 1;
      int n2 = r > 1 ? in[r - 2] : 1;
      int n3 = in[r - 1];
      int x0 = r > 3 ? xs[r - 4] : 0;
      int x1 = r > 2 ? xs[r - 3] : 0;
      int x2 = r > 1 ? xs[r - 2] : 0;
      int x3 = xs[r - 1];
      // out's contiguous strides, as 4 dims
      int o3 = 1;
      int o2 = r > 1 ? o[r - 1] : 0;
      int o1 = r > 2 ? o[r - 2] * o2 : 0;
      int o0 = r > 3 ? o[r - 3] * o1 : 0;
      int shift = before * (dim == r - 1 ? o3 : dim == r - 2 ? o2 : dim == r - 3 ? o1 : o0);
      int base = out.offset() + shift;
      if (x.dtype() == DType.FLOAT32) {
        float[] a = x.storage().floats();
        float[] b = out.storage().floats();
        for (int i0 = 0; i0 < n0; i0++) {
          for (int i1 = 0; i1 < n1; i1++) {
            for (int i2 = 0; i2 < n2; i2++) {
              int from = x.offset() + i0 * x0 + i1 * x1 + i2 * x2;
              int to = base + i0 * o0 + i1 * o1 + i2 * o2;
              if (x3 == 1) {
                System.arraycopy(a, from, b, to, n3);   // C2 does not vectorize the loop: its offsets differ
                continue;
              }
              for (int i3 = 0; i3 < n3; i3++) {
                b[to + i3] = a[from + i3 * x3];
              }
            }
          }
        }
      } else {
        double[] a = x.storage().doubles();
        double[] b = out.storage().doubles();
        for (int i0 = 0; i0 < n0; i0++) {
          for (int i1 = 0; i1 < n1; i1++) {
            for (int i2 = 0; i2 < n2; i2++) {
              int from = x.offset() + i0 * x0 + i1 * x1 + i2 * x2;
              int to = base + i0 * o0 + i1 * o1 + i2 * o2;
              if (x3 == 1) {
                System.arraycopy(a, from, b, to, n3);   // C2 does not vectorize the loop: its offsets differ
                continue;
              }
              for (int i3 = 0; i3 < n3; i3++) {
                b[to + i3] = a[from + i3 * x3];
              }
            }
          }
        }
      }
      return;
    }
    copy(x, Views.narrow(out, dim, before, in[dim]));
  }
}

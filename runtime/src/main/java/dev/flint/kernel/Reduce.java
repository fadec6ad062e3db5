package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.Layouts;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/** Reductions: sum over dims, sum down to a shape, and max/min with their indices along a dim. */
final class Reduce {
  private Reduce() {}

  /** Sum over {@code dims} (all dims when empty... only when listed); integer sums are INT64, as PyTorch. */
  static Tensor sum(Tensor x, int[] dims, boolean keepDim, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    if (out != null && dims.length == 1 && shape.length > 0 && (dims[0] == shape.length - 1 || dims[0] == -1)
        && isRowSum(x, out, keepDim)) {
      rowSums(x, out);   // a layer norm's mean: no views, index arrays or lambdas
      return out;
    }
    boolean[] reduced = Shapes.reducedDims("sum", shape.length, dims);
    int[] kept = Shapes.reduce(shape, reduced, true);
    DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
    Tensor o;
    if (out == null) {
      o = Tensor.empty(outType, kept);
    } else {
      Elementwise.prepare(out, outType, Shapes.reduce(shape, reduced, keepDim), "sum");
      o = Internals.view(out.storage(), out.offset(), kept, Layouts.contiguousStrides(kept));
    }
    int[] ostr = o.strides();
    for (int d = 0; d < shape.length; d++) {
      if (reduced[d]) {
        ostr[d] = 0;
      }
    }
    int[][] strides = {ostr, Internals.stridesRef(x)};
    int[] base = {o.offset(), x.offset()};
    int[] inner = new int[2];
    Storage os = o.storage();
    Storage xs = x.storage();
    if (x.dtype() == DType.FLOAT32 && VectorTier.active() && VectorRows.columnSums(x, reduced, o)) {
      return result(out, o, shape, reduced, keepDim);   // summed down the rows on the vector tier, overwriting o
    }
    if (out != null) {
      out.storage().fill(out.offset(), out.offset() + out.numel(), 0);   // the loops below add into o
    }
    if (x.dtype() == DType.FLOAT32) {
      float[] od = os.floats();
      float[] xd = xs.floats();
      Strided.forEachRow(shape, strides, base, inner, (off, n) -> {
        int xi = off[1];
        int sx = inner[1];
        if (inner[0] == 0) {
          double acc = 0;   // a double accumulator keeps long f32 sums accurate
          for (int i = 0; i < n; i++) {
            acc += xd[xi + i * sx];
          }
          od[off[0]] += (float) acc;
        } else {
          int oi = off[0];
          for (int i = 0; i < n; i++) {
            od[oi + i] += xd[xi + i * sx];
          }
        }
      });
    } else if (x.dtype() == DType.FLOAT64) {
      double[] od = os.doubles();
      double[] xd = xs.doubles();
      Strided.forEachRow(shape, strides, base, inner, (off, n) -> {
        int xi = off[1];
        int sx = inner[1];
        if (inner[0] == 0) {
          double acc = 0;
          for (int i = 0; i < n; i++) {
            acc += xd[xi + i * sx];
          }
          od[off[0]] += acc;
        } else {
          int oi = off[0];
          for (int i = 0; i < n; i++) {
            od[oi + i] += xd[xi + i * sx];
          }
        }
      });
    } else {
      long[] od = os.longs();
      Strided.forEachRow(shape, strides, base, inner, (off, n) -> {
        for (int i = 0; i < n; i++) {
          od[off[0] + i * inner[0]] += xs.getLong(off[1] + i * inner[1]);
        }
      });
    }
    return result(out, o, shape, reduced, keepDim);
  }

  /** The sum as the caller asked for it: {@code out}, or {@code o} with or without the reduced dims. */
  private static Tensor result(Tensor out, Tensor o, int[] shape, boolean[] reduced, boolean keepDim) {
    if (out != null) {
      return out;
    }
    if (keepDim) {
      return o;
    }
    int[] dropped = Shapes.reduce(shape, reduced, false);
    return Internals.view(o.storage(), 0, dropped, Layouts.contiguousStrides(dropped));
  }

  /**
   * Whether {@code sumTo} sums x's leading dims away, [B, N] to [N] or [1, N], or [B, T, C] to [T, C],
   * into a matching contiguous {@code out}: compiled backward passes do it for every layer (bias
   * gradients, a position embedding's), so it skips the general path's views and index arrays and
   * allocates nothing.
   */
  private static boolean isBiasGradient(Tensor x, int[] target, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    int r = shape.length;
    if (r < 2 || x.numel() / Math.max(1, shape[r - 1]) < 2 || !x.isContiguous() || !x.dtype().isFloatingPoint()
        || out.dtype() != x.dtype() || !out.isContiguous() || !Arrays.equals(Internals.shapeRef(out), target)) {
      return false;
    }
    // x's trailing dims after leading ones ([N], [1, N], or [T, C] for a position embedding's gradient
    // from [B, T, C]): x as rows of the target's size, summed
    int lead = 0;
    while (lead < target.length - 1 && target[lead] == 1) {
      lead++;
    }
    int len = target.length - lead;
    if (target.length > r || len == 0 || !Arrays.equals(target, lead, target.length, shape, r - len, r)) {
      return false;
    }
    return len < r && x.numel() / Math.max(1, out.numel()) >= 2;
  }

  /**
   * Whether {@code out} can take the sums of x's rows over its last dim: x a contiguous float tensor, out a
   * contiguous one of its dtype with x's leading dims, then a 1 when {@code keepDim}.
   */
  private static boolean isRowSum(Tensor x, Tensor out, boolean keepDim) {
    int[] xs = Internals.shapeRef(x);
    int[] os = Internals.shapeRef(out);
    int r = xs.length;
    if (!x.dtype().isFloatingPoint() || out.dtype() != x.dtype() || !x.isContiguous() || !out.isContiguous()
        || os.length != (keepDim ? r : r - 1) || keepDim && os[r - 1] != 1) {
      return false;
    }
    return Arrays.equals(xs, 0, r - 1, os, 0, r - 1);
  }

  /** {@code out[i] = Σⱼ x[i, j]} over the rows of a contiguous x (all dims but the last), accumulated in double. */
  private static void rowSums(Tensor x, Tensor out) {
    int[] xs = Internals.shapeRef(x);
    int n = xs[xs.length - 1];
    int rows = out.numel();
    int xo = x.offset();
    int oo = out.offset();
    if (x.dtype() == DType.FLOAT32) {
      float[] xd = x.storage().floats();
      float[] od = out.storage().floats();
      for (int i = 0; i < rows; i++) {
        double acc = 0;   // as the general loop: a double accumulator keeps long f32 sums accurate
        for (int j = 0, at = xo + i * n; j < n; j++) {
          acc += xd[at + j];
        }
        od[oo + i] = (float) acc;
      }
    } else {
      double[] xd = x.storage().doubles();
      double[] od = out.storage().doubles();
      for (int i = 0; i < rows; i++) {
        double acc = 0;
        for (int j = 0, at = xo + i * n; j < n; j++) {
          acc += xd[at + j];
        }
        od[oo + i] = acc;
      }
    }
  }

  /**
   * {@code out[j] = Σᵢ x[i, j]} for a contiguous {@code x} read as {@code [rows, out.numel()]}: the vector tier's column sums, else
   * plain loops (not {@link #sum}, whose views and index arrays this path exists to avoid; the tier
   * declines one-column sums such as a single output's bias).
   */
  private static void columnSums(Tensor x, Tensor out) {
    int n = out.numel();
    int rows = x.numel() / n;
    int xo = x.offset();
    int oo = out.offset();
    if (x.dtype() == DType.FLOAT32) {
      if (VectorTier.active() && VectorRows.columnSums(x, rows, n, out)) {
        return;   // any rank: a Linear's bias gradient from [B, T, C] is x as [B·T, C]
      }
      float[] xs = x.storage().floats();
      float[] os = out.storage().floats();
      Arrays.fill(os, oo, oo + n, 0f);
      for (int i = 0; i < rows; i++) {
        for (int j = 0, at = xo + i * n; j < n; j++) {
          os[oo + j] += xs[at + j];
        }
      }
      return;
    }
    double[] xs = x.storage().doubles();
    double[] os = out.storage().doubles();
    Arrays.fill(os, oo, oo + n, 0d);
    for (int i = 0; i < rows; i++) {
      for (int j = 0, at = xo + i * n; j < n; j++) {
        os[oo + j] += xs[at + j];
      }
    }
  }

  /** Sums {@code x} down to {@code target}, a shape that broadcasts to it; {@code x} itself when equal. */
  static Tensor sumTo(Tensor x, int[] target, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    if (out != null && isBiasGradient(x, target, out)) {
      columnSums(x, out);
      return out;
    }
    if (out != null && target.length == shape.length && target.length > 0 && target[target.length - 1] == 1
        && Arrays.equals(target, 0, target.length - 1, shape, 0, shape.length - 1) && isRowSum(x, out, true)) {
      rowSums(x, out);   // a layer norm's backward, [B, T, C] to [B, T, 1]
      return out;
    }
    Shapes.sumTo("sumTo", java.util.List.of(shape), dev.flint.ops.Attrs.of(dev.flint.ops.Attrs.SHAPE, target));
    if (Arrays.equals(shape, target)) {
      if (out == null) {
        return x;
      }
      Copy.copy(x, Elementwise.prepare(out, x.dtype(), target, "sumTo"));
      return out;
    }
    int lead = shape.length - target.length;
    int[] dims = new int[shape.length];
    int n = 0;
    for (int d = 0; d < shape.length; d++) {
      if (d < lead || (target[d - lead] == 1 && shape[d] != 1)) {
        dims[n++] = d;
      }
    }
    int[] reducedDims = Arrays.copyOf(dims, n);
    if (out != null) {
      // sum into out viewed with the kept dims: the same elements, since target broadcasts to shape
      Elementwise.prepare(out, x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64, target, "sumTo");
      int[] kept = Shapes.reduce(shape, Shapes.reducedDims("sumTo", shape.length, reducedDims), true);
      sum(x, reducedDims, true, Internals.view(out.storage(), out.offset(), kept, Layouts.contiguousStrides(kept)));
      return out;
    }
    Tensor s = sum(x, reducedDims, true, null);
    return Internals.view(s.storage(), s.offset(), target.clone(), Layouts.contiguousStrides(target));
  }

  /**
   * The max (or min) along {@code dim}: its values, or with {@code indices} its INT64 positions (the
   * first one on ties). NaN counts as the extreme, as in PyTorch.
   */
  static Tensor extreme(Tensor x, int dim, boolean keepDim, boolean max, boolean indices) {
    int[] shape = Internals.shapeRef(x);
    DType outType = indices ? DType.INT64 : x.dtype();
    if (shape.length == 0) {
      Tensor o = Tensor.empty(outType);
      if (!indices) {
        Copy.copy(x, o);
      }
      return o;
    }
    int d = Shapes.dim(max ? "max" : "min", dim, shape.length);
    int len = shape[d];
    if (len == 0) {
      throw new IllegalArgumentException((indices ? "arg" : "") + (max ? "max" : "min")
          + ": cannot reduce over dimension " + d + " of shape " + Shapes.str(shape) + " because it has size 0");
    }
    int step = Internals.stridesRef(x)[d];
    int[] outer = remove(shape, d);
    int[] outerStrides = remove(Internals.stridesRef(x), d);
    Tensor o = Tensor.empty(outType, outer);
    Storage xs = x.storage();
    Storage os = o.storage();
    boolean exact = !x.dtype().isFloatingPoint();
    Layouts.forEachIndex(outer, outerStrides, x.offset(), (i, at) -> {
      int best = 0;
      double bv = xs.getDouble(at);
      for (int k = 1; k < len && bv == bv; k++) {
        double v = xs.getDouble(at + k * step);
        if (v != v || (max ? v > bv : v < bv)) {
          best = k;
          bv = v;
        }
      }
      if (indices) {
        os.setLong(i, best);
      } else if (exact) {
        os.setLong(i, xs.getLong(at + best * step));
      } else {
        os.setDouble(i, bv);
      }
    });
    if (!keepDim) {
      return o;
    }
    int[] kept = shape.clone();
    kept[d] = 1;
    return Internals.view(o.storage(), 0, kept, Layouts.contiguousStrides(kept));
  }

  static int[] remove(int[] a, int d) {
    int[] out = new int[a.length - 1];
    System.arraycopy(a, 0, out, 0, d);
    System.arraycopy(a, d + 1, out, d, a.length - d - 1);
    return out;
  }
}

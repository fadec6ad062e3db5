package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Elementwise kernels with broadcasting: binary arithmetic and comparisons, unary math, scalar ops,
 * clamp and where. FLOAT32/FLOAT64 operands of the output's dtype take typed loops per row; mixed
 * or integer dtypes take a generic path (exact long arithmetic for integer results).
 *
 * <p>The fastest loops index every array with one variable ({@code o[j] = a[j] + b[j]}): JDK 17's C2
 * only vectorizes loops over possibly-aliased arrays when their offsets are equal, which they are for
 * fresh contiguous tensors. Other rows take the offset loops, which run scalar.
 */
final class Elementwise {
  private Elementwise() {}

  /** The output: {@code out} after checking it fits, or a new contiguous tensor. */
  static Tensor prepare(Tensor out, DType dtype, int[] shape, String op) {
    if (out == null) {
      return Tensor.empty(dtype, shape);
    }
    if (out.dtype() != dtype || !Arrays.equals(Internals.shapeRef(out), shape) || !out.isContiguous()) {
      throw new IllegalArgumentException(op + ": the out tensor must be a contiguous " + dtype.shortName()
          + Shapes.str(shape) + ", but got " + (out.isContiguous() ? "a contiguous " : "a non-contiguous ")
          + out.dtype().shortName() + Shapes.str(Internals.shapeRef(out)));
    }
    return out;
  }

  // ---------------------------------------------------------------- binary

  static Tensor binary(Binary op, String name, Tensor a, Tensor b, Tensor out) {
    // into a buffer of the broadcast shape (compiled code): its shape, without a new array per call
    int[] shape = out != null && broadcastsTo(Internals.shapeRef(a), Internals.shapeRef(b), Internals.shapeRef(out))
        ? Internals.shapeRef(out) : Shapes.broadcast(name, Internals.shapeRef(a), Internals.shapeRef(b));
    DType compute = a.dtype() == b.dtype() ? a.dtype() : DTypes.promote(a, b);   // no varargs array in the common case
    DType outType = op.isComparison() ? DType.BOOL : op == Binary.DIV ? DTypes.toFloat(compute) : compute;
    if (op == Binary.DIV) {
      compute = outType;
    }
    Tensor o = prepare(out, outType, shape, name);
    boolean typed = a.dtype() == outType && b.dtype() == outType;
    if (typed && outType == DType.FLOAT32 && VectorTier.active() && VectorRows.binary(op, a, b, o)) {
      return o;
    }
    if (typed && (outType == DType.FLOAT32 || outType == DType.FLOAT64) && byRows(op, a, b, o)) {
      return o;
    }
    int[][] strides = {Internals.stridesRef(o), Strided.broadcastStrides(a, shape), Strided.broadcastStrides(b, shape)};
    int[] base = {o.offset(), a.offset(), b.offset()};
    int[] inner = new int[3];
    Storage os = o.storage();
    Storage as = a.storage();
    Storage bs = b.storage();
    if (typed && outType == DType.FLOAT32) {
      float[] od = os.floats();
      float[] ad = as.floats();
      float[] bd = bs.floats();
      Strided.forEachRowParallel(shape, strides, base, inner, (off, n) ->
          rowF32(op, ad, off[1], inner[1], bd, off[2], inner[2], od, off[0], n));
    } else if (typed && outType == DType.FLOAT64) {
      double[] od = os.doubles();
      double[] ad = as.doubles();
      double[] bd = bs.doubles();
      Strided.forEachRowParallel(shape, strides, base, inner, (off, n) ->
          rowF64(op, ad, off[1], inner[1], bd, off[2], inner[2], od, off[0], n));
    } else if (!compute.isFloatingPoint()) {
      Strided.forEachRowParallel(shape, strides, base, inner, (off, n) -> {
        for (int i = 0; i < n; i++) {
          os.setLong(off[0] + i, op.applyLong(as.getLong(off[1] + i * inner[1]), bs.getLong(off[2] + i * inner[2])));
        }
      });
    } else {
      boolean f32 = compute == DType.FLOAT32;
      Strided.forEachRowParallel(shape, strides, base, inner, (off, n) -> {
        for (int i = 0; i < n; i++) {
          double x = as.getDouble(off[1] + i * inner[1]);
          double y = bs.getDouble(off[2] + i * inner[2]);
          // compare in the compute dtype: f32 0.1 > f64 0.1 must see the same rounded values PyTorch does
          os.setDouble(off[0] + i, f32 ? op.apply((float) x, (float) y) : op.apply(x, y));
        }
      });
    }
    return o;
  }

  // How byRows reads an operand along the rows of o (all dims but the last, flattened, rows of n):
  private static final int FULL = 0;      // o's own layout: element (i, j) at i·n + j
  private static final int PER_ROW = 1;   // one value per row, [..., 1] or expanded from it: at i
  private static final int ONE_ROW = 2;   // the same n values for every row (a bias, a mask): at j
  private static final int NONE = -1;

  /**
   * {@code o = a op b} row by row when o is contiguous and each operand is {@link #FULL}, {@link #PER_ROW}
   * or {@link #ONE_ROW} along o's rows (a layer norm's {@code x - mean} and its backward's expanded
   * statistics, a bias, a causal mask over [B, H, T, T] scores): the loops above without the strided
   * plan's arrays; false (nothing written) for other layouts.
   */
  private static boolean byRows(Binary op, Tensor a, Tensor b, Tensor o) {
    int[] os = Internals.shapeRef(o);
    int r = os.length;
    if (r == 0 || !o.isContiguous() || o.numel() == 0) {
      return false;
    }
    int n = os[r - 1];
    int ka = rowKind(a, os, n);
    int kb = rowKind(b, os, n);
    if ((ka == NONE || kb == NONE) && r > 2) {
      // blocks of the last two dims: a [T, T] mask added to [B, H, T, T] scores
      n = os[r - 1] * os[r - 2];
      ka = rowKind(a, os, n);
      kb = rowKind(b, os, n);
      if (ka == PER_ROW || kb == PER_ROW) {
        return false;
      }
    }
    if (ka == NONE || kb == NONE || ka != FULL && kb != FULL || n < 4) {
      return false;   // one full operand at least; a scalar's broadcast takes the strided loops as one row
    }
    int rows = o.numel() / n;
    int ao = a.offset();
    int bo = b.offset();
    int oo = o.offset();
    int sa = ka == PER_ROW ? 0 : 1;
    int sb = kb == PER_ROW ? 0 : 1;
    if (o.dtype() == DType.FLOAT32) {
      float[] ad = a.storage().floats();
      float[] bd = b.storage().floats();
      float[] od = o.storage().floats();
      for (int i = 0; i < rows; i++) {
        rowF32(op, ad, rowStart(ka, ao, i, n), sa, bd, rowStart(kb, bo, i, n), sb, od, oo + i * n, n);
      }
    } else {
      double[] ad = a.storage().doubles();
      double[] bd = b.storage().doubles();
      double[] od = o.storage().doubles();
      for (int i = 0; i < rows; i++) {
        rowF64(op, ad, rowStart(ka, ao, i, n), sa, bd, rowStart(kb, bo, i, n), sb, od, oo + i * n, n);
      }
    }
    return true;
  }

  private static int rowStart(int kind, int offset, int row, int n) {
    return kind == FULL ? offset + row * n : kind == PER_ROW ? offset + row : offset;
  }

  /** How {@code t} lies along the rows of n elements of a contiguous {@code os}, or {@link #NONE}. */
  private static int rowKind(Tensor t, int[] os, int n) {
    int[] ts = Internals.shapeRef(t);
    int[] st = Internals.stridesRef(t);
    int r = os.length;
    if (t.isContiguous()) {
      if (Arrays.equals(ts, os)) {
        return FULL;
      }
      if (t.numel() == n) {
        // the trailing dims of o whose product is n, after leading ones
        int lead = 0;
        while (lead < ts.length && ts[lead] == 1 && ts.length - lead > 0) {
          lead++;
        }
        int len = ts.length - lead;
        int from = r - len;
        long tail = 1;
        for (int d = Math.max(0, from); d < r; d++) {
          tail *= os[d];
        }
        if (from >= 0 && tail == n && Arrays.equals(ts, lead, ts.length, os, from, r)) {
          return ONE_ROW;
        }
      }
    }
    if (n != os[r - 1] || ts.length != r) {
      return NONE;
    }
    // one value per row: [..., 1] contiguous, or that expanded to o's shape (stride 0 along the row)
    boolean lastBroadcast = ts[r - 1] == 1 || st[r - 1] == 0;
    if (!lastBroadcast) {
      return NONE;
    }
    int expect = 1;
    for (int d = r - 2; d >= 0; d--) {
      if (ts[d] != os[d] || os[d] != 1 && st[d] != expect) {
        return NONE;
      }
      expect *= os[d];
    }
    return PER_ROW;
  }

  /** Whether shapes {@code a} and {@code b} broadcast to exactly {@code o}. */
  static boolean broadcastsTo(int[] a, int[] b, int[] o) {
    int r = o.length;
    if (r != Math.max(a.length, b.length)) {
      return false;
    }
    for (int d = 0; d < r; d++) {
      int ad = d < r - a.length ? 1 : a[d - (r - a.length)];
      int bd = d < r - b.length ? 1 : b[d - (r - b.length)];
      if (ad != 1 && bd != 1 && ad != bd || (ad == 1 ? bd : ad) != o[d]) {
        return false;
      }
    }
    return true;
  }

  private static void rowF32(Binary op, float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
    // See the class comment: one index for every array is what lets C2 vectorize these loops.
    if (sa == 1 && sb == 1 && ai == oi && bi == oi) {
      int e = oi + n;
      switch (op) {
        case ADD: for (int j = oi; j < e; j++) { o[j] = a[j] + b[j]; } return;
        case SUB: for (int j = oi; j < e; j++) { o[j] = a[j] - b[j]; } return;
        case MUL: for (int j = oi; j < e; j++) { o[j] = a[j] * b[j]; } return;
        case DIV: for (int j = oi; j < e; j++) { o[j] = a[j] / b[j]; } return;
        default: break;
      }
    } else if (sa == 1 && sb == 0 && ai == oi) {
      float s = b[bi];
      int e = oi + n;
      switch (op) {
        case ADD: for (int j = oi; j < e; j++) { o[j] = a[j] + s; } return;
        case SUB: for (int j = oi; j < e; j++) { o[j] = a[j] - s; } return;
        case MUL: for (int j = oi; j < e; j++) { o[j] = a[j] * s; } return;
        case DIV: for (int j = oi; j < e; j++) { o[j] = a[j] / s; } return;
        default: break;
      }
    }
    if (sa == 1 && sb == 1) {
      switch (op) {
        case ADD: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] + b[bi + i]; } return;
        case SUB: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] - b[bi + i]; } return;
        case MUL: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] * b[bi + i]; } return;
        case DIV: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] / b[bi + i]; } return;
        default: break;
      }
    } else if (sa == 1 && sb == 0) {
      float s = b[bi];
      switch (op) {
        case ADD: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] + s; } return;
        case SUB: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] - s; } return;
        case MUL: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] * s; } return;
        case DIV: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] / s; } return;
        default: break;
      }
    } else if (sa == 0 && sb == 1) {
      float s = a[ai];
      switch (op) {
        case ADD: for (int i = 0; i < n; i++) { o[oi + i] = s + b[bi + i]; } return;
        case SUB: for (int i = 0; i < n; i++) { o[oi + i] = s - b[bi + i]; } return;
        case MUL: for (int i = 0; i < n; i++) { o[oi + i] = s * b[bi + i]; } return;
        case DIV: for (int i = 0; i < n; i++) { o[oi + i] = s / b[bi + i]; } return;
        default: break;
      }
    }
    for (int i = 0; i < n; i++) {
      o[oi + i] = (float) op.apply(a[ai + i * sa], b[bi + i * sb]);
    }
  }

  private static void rowF64(Binary op, double[] a, int ai, int sa, double[] b, int bi, int sb, double[] o, int oi, int n) {
    // See the class comment: one index for every array is what lets C2 vectorize these loops.
    if (sa == 1 && sb == 1 && ai == oi && bi == oi) {
      int e = oi + n;
      switch (op) {
        case ADD: for (int j = oi; j < e; j++) { o[j] = a[j] + b[j]; } return;
        case SUB: for (int j = oi; j < e; j++) { o[j] = a[j] - b[j]; } return;
        case MUL: for (int j = oi; j < e; j++) { o[j] = a[j] * b[j]; } return;
        case DIV: for (int j = oi; j < e; j++) { o[j] = a[j] / b[j]; } return;
        default: break;
      }
    } else if (sa == 1 && sb == 0 && ai == oi) {
      double s = b[bi];
      int e = oi + n;
      switch (op) {
        case ADD: for (int j = oi; j < e; j++) { o[j] = a[j] + s; } return;
        case SUB: for (int j = oi; j < e; j++) { o[j] = a[j] - s; } return;
        case MUL: for (int j = oi; j < e; j++) { o[j] = a[j] * s; } return;
        case DIV: for (int j = oi; j < e; j++) { o[j] = a[j] / s; } return;
        default: break;
      }
    }
    if (sa == 1 && sb == 1) {
      switch (op) {
        case ADD: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] + b[bi + i]; } return;
        case SUB: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] - b[bi + i]; } return;
        case MUL: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] * b[bi + i]; } return;
        case DIV: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] / b[bi + i]; } return;
        default: break;
      }
    } else if (sa == 1 && sb == 0) {
      double s = b[bi];
      switch (op) {
        case ADD: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] + s; } return;
        case SUB: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] - s; } return;
        case MUL: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] * s; } return;
        case DIV: for (int i = 0; i < n; i++) { o[oi + i] = a[ai + i] / s; } return;
        default: break;
      }
    }
    for (int i = 0; i < n; i++) {
      o[oi + i] = op.apply(a[ai + i * sa], b[bi + i * sb]);
    }
  }

  // ---------------------------------------------------------------- unary

  /** {@code op(x; p, q)} into a new or given tensor of dtype {@code outType}. */
  static Tensor unary(Unary op, String name, Tensor x, double p, double q, DType outType, Tensor out) {
    int[] shape = Internals.shapeRef(x);
    Tensor o = prepare(out, outType, shape, name);
    if (x.dtype() == outType && outType == DType.FLOAT32 && VectorTier.active() && VectorRows.unary(op, x, o, (float) p)) {
      return o;
    }
    if (x.dtype() == outType && (outType == DType.FLOAT32 || outType == DType.FLOAT64) && x.isContiguous() && o.isContiguous()) {
      // one row over all elements (a layer norm's [B, T, 1] statistics): no strided plan
      int n = x.numel();
      int xo = x.offset();
      int oo = o.offset();
      if (outType == DType.FLOAT32) {
        float[] od = o.storage().floats();
        float[] xd = x.storage().floats();
        float fp = (float) p;
        float fq = (float) q;
        if (n < Parallel.MIN_SPLIT_WORK) {
          rowF32(op, xd, xo, 1, od, oo, n, fp, fq, p, q);   // too small to split: no lambda either
        } else {
          Parallel.forRange(n, n, (from, to) -> rowF32(op, xd, xo + from, 1, od, oo + from, to - from, fp, fq, p, q));
        }
      } else {
        double[] od = o.storage().doubles();
        double[] xd = x.storage().doubles();
        if (n < Parallel.MIN_SPLIT_WORK) {
          rowF64(op, xd, xo, 1, od, oo, n, p, q);
        } else {
          Parallel.forRange(n, n, (from, to) -> rowF64(op, xd, xo + from, 1, od, oo + from, to - from, p, q));
        }
      }
      return o;
    }
    int[][] strides = {Internals.stridesRef(o), Internals.stridesRef(x)};
    int[] base = {o.offset(), x.offset()};
    int[] inner = new int[2];
    Storage os = o.storage();
    Storage xs = x.storage();
    if (x.dtype() == outType && outType == DType.FLOAT32) {
      float[] od = os.floats();
      float[] xd = xs.floats();
      float fp = (float) p;
      float fq = (float) q;
      Strided.forEachRowParallel(shape, strides, base, inner, (off, n) -> rowF32(op, xd, off[1], inner[1], od, off[0], n, fp, fq, p, q));
    } else if (x.dtype() == outType && outType == DType.FLOAT64) {
      double[] od = os.doubles();
      double[] xd = xs.doubles();
      Strided.forEachRowParallel(shape, strides, base, inner, (off, n) -> rowF64(op, xd, off[1], inner[1], od, off[0], n, p, q));
    } else if (!outType.isFloatingPoint() && !x.dtype().isFloatingPoint()) {
      Strided.forEachRowParallel(shape, strides, base, inner, (off, n) -> {
        for (int i = 0; i < n; i++) {
          os.setLong(off[0] + i, op.applyLong(xs.getLong(off[1] + i * inner[1]), p, q));
        }
      });
    } else {
      Strided.forEachRowParallel(shape, strides, base, inner, (off, n) -> {
        for (int i = 0; i < n; i++) {
          os.setDouble(off[0] + i, op.apply(xs.getDouble(off[1] + i * inner[1]), p, q));
        }
      });
    }
    return o;
  }

  private static void rowF32(Unary op, float[] x, int xi, int sx, float[] o, int oi, int n, float fp, float fq, double p, double q) {
    if (sx == 1 && xi == oi) {
      int e = oi + n;
      switch (op) {
        case NEG: for (int j = oi; j < e; j++) { o[j] = -x[j]; } return;
        case ABS: for (int j = oi; j < e; j++) { o[j] = Math.abs(x[j]); } return;
        case RELU: for (int j = oi; j < e; j++) { o[j] = Math.max(x[j], 0f); } return;
        case ADD_SCALAR: for (int j = oi; j < e; j++) { o[j] = x[j] + fp; } return;
        case MUL_SCALAR: for (int j = oi; j < e; j++) { o[j] = x[j] * fp; } return;
        case CLAMP: for (int j = oi; j < e; j++) { o[j] = Math.min(Math.max(x[j], fp), fq); } return;
        default: break;
      }
    }
    if (sx == 1) {
      switch (op) {
        case NEG: for (int i = 0; i < n; i++) { o[oi + i] = -x[xi + i]; } return;
        case ABS: for (int i = 0; i < n; i++) { o[oi + i] = Math.abs(x[xi + i]); } return;
        case RELU: for (int i = 0; i < n; i++) { o[oi + i] = Math.max(x[xi + i], 0f); } return;   // branch-free; NaN stays NaN
        case SIGN: for (int i = 0; i < n; i++) { o[oi + i] = Math.signum(x[xi + i]); } return;
        case ADD_SCALAR: for (int i = 0; i < n; i++) { o[oi + i] = x[xi + i] + fp; } return;
        case MUL_SCALAR: for (int i = 0; i < n; i++) { o[oi + i] = x[xi + i] * fp; } return;
        case CLAMP: for (int i = 0; i < n; i++) { o[oi + i] = Math.min(Math.max(x[xi + i], fp), fq); } return;
        case EXP: for (int i = 0; i < n; i++) { o[oi + i] = FastMath.exp(x[xi + i]); } return;
        case SIGMOID: for (int i = 0; i < n; i++) { o[oi + i] = FastMath.sigmoid(x[xi + i]); } return;
        case TANH: for (int i = 0; i < n; i++) { o[oi + i] = FastMath.tanh(x[xi + i]); } return;
        default: break;
      }
    }
    for (int i = 0; i < n; i++) {
      o[oi + i] = (float) op.apply(x[xi + i * sx], p, q);
    }
  }

  private static void rowF64(Unary op, double[] x, int xi, int sx, double[] o, int oi, int n, double p, double q) {
    if (sx == 1 && xi == oi) {
      int e = oi + n;
      switch (op) {
        case NEG: for (int j = oi; j < e; j++) { o[j] = -x[j]; } return;
        case ABS: for (int j = oi; j < e; j++) { o[j] = Math.abs(x[j]); } return;
        case RELU: for (int j = oi; j < e; j++) { o[j] = Math.max(x[j], 0.0); } return;
        case ADD_SCALAR: for (int j = oi; j < e; j++) { o[j] = x[j] + p; } return;
        case MUL_SCALAR: for (int j = oi; j < e; j++) { o[j] = x[j] * p; } return;
        case CLAMP: for (int j = oi; j < e; j++) { o[j] = Math.min(Math.max(x[j], p), q); } return;
        default: break;
      }
    }
    if (sx == 1) {
      switch (op) {
        case NEG: for (int i = 0; i < n; i++) { o[oi + i] = -x[xi + i]; } return;
        case ABS: for (int i = 0; i < n; i++) { o[oi + i] = Math.abs(x[xi + i]); } return;
        case RELU: for (int i = 0; i < n; i++) { o[oi + i] = Math.max(x[xi + i], 0.0); } return;
        case ADD_SCALAR: for (int i = 0; i < n; i++) { o[oi + i] = x[xi + i] + p; } return;
        case MUL_SCALAR: for (int i = 0; i < n; i++) { o[oi + i] = x[xi + i] * p; } return;
        case CLAMP: for (int i = 0; i < n; i++) { o[oi + i] = Math.min(Math.max(x[xi + i], p), q); } return;
        default: break;
      }
    }
    for (int i = 0; i < n; i++) {
      o[oi + i] = op.apply(x[xi + i * sx], p, q);
    }
  }

  // ---------------------------------------------------------------- where

  /** {@code cond ? a : b} elementwise with broadcasting of all three; the result promotes a and b. */
  static Tensor where(Tensor cond, Tensor a, Tensor b, Tensor out) {
    int[] shape = Shapes.broadcast("where", java.util.List.of(Internals.shapeRef(cond), Internals.shapeRef(a), Internals.shapeRef(b)), null);
    DType outType = DTypes.promote(a, b);
    Tensor o = prepare(out, outType, shape, "where");
    int[][] strides = {Internals.stridesRef(o), Strided.broadcastStrides(cond, shape), Strided.broadcastStrides(a, shape),
        Strided.broadcastStrides(b, shape)};
    int[] base = {o.offset(), cond.offset(), a.offset(), b.offset()};
    int[] inner = new int[4];
    Storage os = o.storage();
    Storage cs = cond.storage();
    Storage as = a.storage();
    Storage bs = b.storage();
    boolean exact = !outType.isFloatingPoint();
    Strided.forEachRowParallel(shape, strides, base, inner, (off, n) -> {
      for (int i = 0; i < n; i++) {
        boolean c = cs.getDouble(off[1] + i * inner[1]) != 0;
        Storage src = c ? as : bs;
        int at = c ? off[2] + i * inner[2] : off[3] + i * inner[3];
        if (exact) {
          os.setLong(off[0] + i, src.getLong(at));
        } else {
          os.setDouble(off[0] + i, src.getDouble(at));
        }
      }
    });
    return o;
  }
}

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
    int[] shape = Shapes.broadcast(name, Internals.shapeRef(a), Internals.shapeRef(b));
    DType compute = DTypes.promote(a, b);
    DType outType = op.isComparison() ? DType.BOOL : op == Binary.DIV ? DTypes.toFloat(compute) : compute;
    if (op == Binary.DIV) {
      compute = outType;
    }
    Tensor o = prepare(out, outType, shape, name);
    boolean typed = a.dtype() == outType && b.dtype() == outType;
    if (typed && outType == DType.FLOAT32 && VectorTier.active() && VectorRows.binary(op, a, b, o)) {
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

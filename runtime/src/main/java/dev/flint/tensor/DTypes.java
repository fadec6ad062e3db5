package dev.flint.tensor;

import dev.flint.ops.Attrs;
import dev.flint.ops.ResultType;

/** Static helpers for dtypes: PyTorch's type promotion over tensors, and each op's result dtype. */
public final class DTypes {
  private DTypes() {}

  private static int category(DType t) {
    return t == DType.BOOL ? 0 : t.isFloatingPoint() ? 2 : 1;
  }

  /**
   * The result dtype of an op over these tensors, as {@code torch.result_type}: dimensioned tensors
   * decide, unless a 0-d tensor is of a higher category (bool &lt; integer &lt; float), as in
   * {@code f32 tensor + f64 0-d -> f32} but {@code i64 tensor + f64 0-d -> f64}.
   */
  public static DType promote(Tensor... tensors) {
    DType dims = null;
    DType zeros = null;
    for (Tensor t : tensors) {
      if (t.dim() > 0) {
        dims = dims == null ? t.dtype() : DType.promote(dims, t.dtype());
      } else {
        zeros = zeros == null ? t.dtype() : DType.promote(zeros, t.dtype());
      }
    }
    if (dims == null) {
      return zeros;
    }
    if (zeros == null || category(zeros) <= category(dims)) {
      return dims;
    }
    return zeros.isFloatingPoint() && dims != DType.BOOL && !dims.isFloatingPoint() ? zeros : DType.promote(dims, zeros);
  }

  /** FLOAT32 for integer and bool dtypes; floating dtypes unchanged. */
  public static DType toFloat(DType t) {
    return t.isFloatingPoint() ? t : DType.FLOAT32;
  }

  /** The output dtype of an op with this result rule on these inputs. */
  public static DType result(ResultType rule, Tensor[] in, Attrs attrs) {
    switch (rule) {
      case SAME: return in[0].dtype();
      case PROMOTE: return in.length == 3 ? promote(in[1], in[2]) : promote(in);
      case PROMOTE_FLOAT: return toFloat(promote(in));
      case FLOAT: return toFloat(in[0].dtype());
      case SCALAR: return scalarResult(in[0].dtype(), attrs.real(Attrs.VALUE));
      case ACCUMULATE: return in[0].dtype().isFloatingPoint() ? in[0].dtype() : DType.INT64;
      case BOOL: return DType.BOOL;
      case INT64: return DType.INT64;
      default: return DType.valueOf(attrs.text(Attrs.DTYPE));
    }
  }

  /**
   * The dtype of {@code tensor op scalar}: a float tensor keeps its dtype; an integer tensor stays
   * integer for a whole-number scalar (as with a Python int) and becomes FLOAT32 otherwise.
   */
  public static DType scalarResult(DType t, double scalar) {
    if (t.isFloatingPoint()) {
      return t;
    }
    boolean whole = scalar == Math.rint(scalar) && !Double.isInfinite(scalar);
    return !whole ? DType.FLOAT32 : t == DType.BOOL ? DType.INT64 : t;
  }
}

package dev.flint.tensor;

import dev.flint.ops.Attrs;
import dev.flint.ops.DTypeRules;
import dev.flint.ops.ResultType;
import java.util.Arrays;
import java.util.List;

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
    return rule.apply(ON_TENSORS, Arrays.asList(in), attrs);
  }

  /** The dtype operations of {@link ResultType} on tensors. */
  private static final DTypeRules<Tensor, DType> ON_TENSORS = new DTypeRules<>() {
    @Override
    public DType dtype(Tensor v) {
      return v.dtype();
    }

    @Override
    public DType promote(List<Tensor> operands) {
      return DTypes.promote(operands.toArray(new Tensor[0]));
    }

    @Override
    public DType toFloat(DType t) {
      return DTypes.toFloat(t);
    }

    @Override
    public DType scalarResult(Tensor x, double scalar) {
      return DTypes.scalarResult(x.dtype(), scalar);
    }

    @Override
    public DType accumulate(Tensor x) {
      return x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
    }

    @Override
    public DType named(String name) {
      return DType.valueOf(name);
    }
  };

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

package dev.flint.ops;

import java.util.List;

/**
 * How an op's output dtype follows from its inputs, as PyTorch's type promotion. {@link #apply} is
 * the rule, written once over {@link DTypeRules}; the tensor layer and the processor supply the
 * dtype operations.
 */
public enum ResultType {
  /** The dtype of the first input (views, max/min, gather, matmul of one dtype, ...). */
  SAME,
  /** The promoted dtype of all tensor inputs ({@code torch.result_type}). */
  PROMOTE,
  /** The promoted dtype of inputs 1 and 2 (WHERE's branches; input 0 is the condition). */
  PROMOTE_BRANCHES,
  /** As PROMOTE, but integer and bool results become FLOAT32 (true division). */
  PROMOTE_FLOAT,
  /** The first input's dtype if floating point, else FLOAT32 (exp, log, sigmoid of an integer tensor). */
  FLOAT,
  /** The first input's dtype, or FLOAT32 for integer inputs when the scalar attribute is fractional. */
  SCALAR,
  /** The first input's dtype if floating point, else INT64 (sums of integers and bools, as PyTorch). */
  ACCUMULATE,
  /** BOOL (comparisons). */
  BOOL,
  /** INT64 (argmax, argmin). */
  INT64,
  /** The dtype named by the {@code dtype} attribute (cast). */
  ATTR;

  /** The result dtype of an op with this rule on {@code in}, in the terms of {@code r}. */
  public <V, D> D apply(DTypeRules<V, D> r, List<V> in, Attrs attrs) {
    return switch (this) {
      case SAME -> r.dtype(in.get(0));
      case PROMOTE -> r.promote(in);
      case PROMOTE_BRANCHES -> r.promote(in.subList(1, 3));
      case PROMOTE_FLOAT -> r.toFloat(r.promote(in));
      case FLOAT -> r.toFloat(r.dtype(in.get(0)));
      case SCALAR -> r.scalarResult(in.get(0), attrs.real(Attrs.VALUE));
      case ACCUMULATE -> r.accumulate(in.get(0));
      case BOOL -> r.named("BOOL");
      case INT64 -> r.named("INT64");
      case ATTR -> r.named(attrs.text(Attrs.DTYPE));
    };
  }
}

package dev.flint.ops;

/**
 * How an op's output dtype follows from its inputs, as PyTorch's type promotion. The tensor layer
 * (and the processor) map these onto concrete dtypes.
 */
public enum ResultType {
  /** The dtype of the first input (views, max/min, gather, ...). */
  SAME,
  /** The promoted dtype of all tensor inputs ({@code torch.result_type}); for WHERE, of inputs 1 and 2. */
  PROMOTE,
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
  ATTR
}

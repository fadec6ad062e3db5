package dev.flint.ops;

import java.util.List;

/**
 * The dtype operations that {@link ResultType#apply} composes, so that each op's result-dtype rule is
 * written once and read three ways: on tensors (eager kernels, {@code V} a tensor and {@code D} a
 * dtype), on the processor's element kinds, and as Java code the processor writes (the dtype of an
 * {@code out} buffer, known only at run time).
 *
 * @param <V> an operand
 * @param <D> a dtype
 */
public interface DTypeRules<V, D> {
  /** The operand's own dtype. */
  D dtype(V v);

  /** PyTorch's promotion of the operands ({@code torch.result_type}). */
  D promote(List<V> operands);

  /** FLOAT32 for an integer or bool dtype; a floating dtype unchanged. */
  D toFloat(D t);

  /** The dtype of {@code x op scalar}: x's if floating, else integer for a whole scalar and FLOAT32 otherwise. */
  D scalarResult(V x, double scalar);

  /** x's dtype if floating, else INT64 (sums of integers and bools). */
  D accumulate(V x);

  /** The dtype of this {@code DType} name ({@code "BOOL"}, {@code "INT64"}, {@code "FLOAT64"}...). */
  D named(String name);
}

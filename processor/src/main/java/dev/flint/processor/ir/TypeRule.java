package dev.flint.processor.ir;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import java.util.List;

/** The output type of an op applied to inputs of these types, or a {@link dev.flint.ops.ShapeError}. */
@FunctionalInterface
public interface TypeRule {
  TensorType infer(Op op, List<TensorType> inputs, Attrs attrs);
}

package dev.flint.processor.ir;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import java.util.List;

/** The output type of an op applied to inputs of these types, or a {@link dev.flint.ops.ShapeError}. */
@FunctionalInterface
public interface TypeRule {
  TensorType infer(Op op, List<TensorType> inputs, Attrs attrs);

  /** The output type of an {@link Extern} primitive: the element kind of its first input. */
  default TensorType infer(Extern extern, List<TensorType> inputs, Attrs attrs) {
    List<int[]> shapes = new java.util.ArrayList<>();
    inputs.forEach(t -> shapes.add(t.shape()));
    return new TensorType(inputs.get(0).elem(), extern.inferShape(shapes, attrs));
  }
}

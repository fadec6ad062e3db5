package dev.flint.ops;

import java.util.List;

/**
 * An op's shape rule: the output shape for these input shapes and attributes, or a {@link ShapeError};
 * sizes are added, multiplied and printed through {@code dims} (Note [Dimension algebra]).
 */
@FunctionalInterface
public interface ShapeRule {
  int[] infer(DimAlgebra dims, String op, List<int[]> in, Attrs attrs);
}

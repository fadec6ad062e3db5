package dev.flint.ops;

import java.util.List;

/** An op's shape rule: the output shape for these input shapes and attributes, or a {@link ShapeError}. */
@FunctionalInterface
public interface ShapeRule {
  int[] infer(String op, List<int[]> in, Attrs attrs);
}

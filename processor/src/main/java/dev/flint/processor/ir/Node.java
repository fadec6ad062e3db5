package dev.flint.processor.ir;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import java.util.List;

/**
 * One op-table row applied to values: {@code out = op(inputs; attrs)}. Its forward is the kernel
 * {@code Kernels.<op.opName()>}, its backward the row's derivative rule.
 *
 * @param where the user's source that this node implements (backward nodes point at their forward node's source)
 */
public record Node(Op op, List<Value> inputs, Attrs attrs, Value out, SourceRef where) {
  public Node {
    inputs = List.copyOf(inputs);
  }

  /** The row's name: {@code matmul}, {@code conv2d}. */
  public String name() {
    return op.opName();
  }

  @Override
  public String toString() {
    return out + " = " + name() + inputs + (attrs.keys().isEmpty() ? "" : " " + attrs);
  }
}

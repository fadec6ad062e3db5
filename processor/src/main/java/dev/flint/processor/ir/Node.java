package dev.flint.processor.ir;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import java.util.List;

/**
 * A primitive applied to values: {@code out = op(inputs; attrs)}. The primitive is an op-table row
 * ({@code op}; its forward is the kernel {@code Kernels.<op.opName()>}, its backward the row's
 * derivative rule) or, where the table has no row yet, an {@link Extern} ({@code extern}).
 *
 * @param where the user's source that this node implements (backward nodes point at their forward node's source)
 */
public record Node(Op op, Extern extern, List<Value> inputs, Attrs attrs, Value out, SourceRef where) {
  public Node {
    inputs = List.copyOf(inputs);
    if ((op == null) == (extern == null)) {
      throw new IllegalArgumentException("a node has exactly one of an op row and an extern");
    }
  }

  public Node(Op op, List<Value> inputs, Attrs attrs, Value out, SourceRef where) {
    this(op, null, inputs, attrs, out, where);
  }

  /** The primitive's name: {@code matmul}, {@code conv2d}. */
  public String name() {
    return op != null ? op.opName() : extern.method();
  }

  @Override
  public String toString() {
    return out + " = " + name() + inputs + (attrs.keys().isEmpty() ? "" : " " + attrs);
  }
}

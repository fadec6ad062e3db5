package dev.flint.compiled;

import dev.flint.autograd.Node;
import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;

/**
 * How a compiled forward hands its output to the caller when it records a graph: as a view of the
 * model's own output buffer (Note [Lent buffers] in {@code Tensor}) whose {@code gradFn()} is the
 * generated backward node, so {@code loss.backward()} reaches it as it reaches an eager op.
 */
public final class Outputs {
  private Outputs() {}

  /**
   * A view of {@code buffer} for the caller, carrying {@code backward}; it stays readable until a later
   * forward of the same model reuses the buffer ({@link Buffers#reuse} takes it back first).
   */
  public static Tensor lend(Tensor buffer, Node backward) {
    Tensor view = Internals.lend(buffer);
    Internals.setGradFn(view, backward);
    return view;
  }
}

package dev.flint.autograd;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;

/**
 * A pass-through node that names the composite computation it ends, so a loss made of several ops
 * prints as PyTorch's does ({@code grad_fn=<NllLossBackward>}) rather than as its last op
 * ({@code <DivBackward>}). Its backward hands the gradient on unchanged.
 */
public final class NamedNode extends Node {
  private final String name;
  private final Tensor[] inputs;

  private NamedNode(String name, Tensor composite) {
    this.name = name;
    this.inputs = new Tensor[] {composite};
  }

  /**
   * {@code t} itself when it has no backward node (nothing records: no-grad, or no input requires
   * grad) or its node already has this name; else a view of it whose node is named {@code name}.
   */
  public static Tensor name(Tensor t, String name) {
    if (t.gradFn() == null || t.gradFn().name().equals(name)) {
      return t;
    }
    Tensor named = t.detach();
    Internals.setGradFn(named, new NamedNode(name, t));
    return named;
  }

  @Override
  public Tensor[] inputs() {
    return inputs;
  }

  @Override
  protected Tensor[] backward(Tensor grad) {
    return new Tensor[] {grad};
  }

  @Override
  public String name() {
    return name;
  }
}

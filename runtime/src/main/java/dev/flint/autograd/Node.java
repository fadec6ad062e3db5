package dev.flint.autograd;

import dev.flint.tensor.GradFn;
import dev.flint.tensor.Tensor;

/**
 * One step of the backward graph: the function that produced a non-leaf tensor ({@code grad_fn} in
 * PyTorch). Eager ops record an {@code OpNode} per op; a compiled model records one node for its
 * whole forward pass whose {@link #backward} is the generated backward code.
 */
public abstract class Node implements GradFn {
  private boolean released;
  private Tensor retained;
  // Engine state during one backward pass (see Engine): the pass that last visited this node, and
  // the gradient of its output summed so far.
  int visitMark;
  Tensor pendingGrad;

  /** The tensors this node's output was computed from, in argument order (entries may be null). */
  @Override
  public abstract Tensor[] inputs();

  /**
   * The gradients of the inputs given {@code grad}, the gradient of this node's output; an entry
   * may be null where an input needs none. Called with grad mode off.
   */
  protected abstract Tensor[] backward(Tensor grad);

  /** A short name for messages and printing, such as {@code MulBackward}. */
  @Override
  public abstract String name();

  /** Drops the values saved for backward; a later {@link #apply} fails with a clear message. */
  public void release() {
    if (released) {
      return;   // a node frees what it saved once (a compiled node gives its buffers back to pools)
    }
    released = true;
    releaseSaved();
  }

  /** Whether {@link #release()} has run. */
  public boolean isReleased() {
    return released;
  }

  /** Asks backward to store the gradient of this node's output in {@code output.grad()} ({@code retain_grad}). */
  @Override
  public void retainGradOf(Tensor output) {
    this.retained = output;
  }

  /** The output whose gradient backward keeps, or null. */
  public Tensor retainedOutput() {
    return retained;
  }

  /** Frees whatever this node saved for backward. */
  protected void releaseSaved() {}

  /** Runs {@link #backward}, refusing when the saved values were already freed. */
  public final Tensor[] apply(Tensor grad) {
    if (released) {
      throw new IllegalStateException(
          "Trying to backward through the graph a second time (" + name() + "): the values saved for "
              + "backward were freed after the first backward(). Call backward(gradient, true) "
              + "(retain the graph) the first time if you need to backward twice.");
    }
    return backward(grad);
  }

  @Override
  public String toString() {
    return "<" + name() + ">";
  }
}

package dev.flint.autograd;

import dev.flint.tensor.Tensor;

/**
 * The buffers of one compiled model's (or loss's) forward pass, lent to the graph that saves them
 * and given back when that graph's backward frees it (Node.releaseSaved). While a graph still holds
 * the set (before its backward, or kept with retainGraph, or never backpropagated), the next forward
 * gets a new set instead, so saved values are never overwritten; in a plain training loop one set is
 * reused from step to step. Not for concurrent use: one model instance trains on one thread at a time.
 */
public final class BufferPool {
  private final int size;
  private Tensor[] free;

  /** A pool of sets of {@code size} buffers (the entries start null; {@code Buffers.reuse} fills them). */
  public BufferPool(int size) {
    this.size = size;
    this.free = new Tensor[size];
  }

  /** The free set, or a new empty one while the last set is still lent to a live graph. */
  public Tensor[] claim() {
    Tensor[] set = free;
    if (set == null) {
      return new Tensor[size];
    }
    free = null;
    return set;
  }

  /** Gives {@code set} back for the next {@link #claim()}; a forward without a graph does so at once. */
  public void giveBack(Tensor[] set) {
    free = set;
  }
}

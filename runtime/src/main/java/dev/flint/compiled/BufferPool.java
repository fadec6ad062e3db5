package dev.flint.compiled;

import dev.flint.tensor.Tensor;

/**
 * The buffers of one compiled model's (or loss's) forward pass, lent to the graph that saves them
 * and given back when that graph's backward frees it (Node.releaseSaved). While a graph still holds
 * the set (before its backward, or kept with retainGraph, or never backpropagated), the next forward
 * gets a new set instead, so saved values are never overwritten; in a plain training loop one set is
 * reused from step to step. The free set is kept per thread: a set given back while its backward
 * pass still runs (the engine may still hold an input gradient that lives in it) can only be claimed
 * again by a later forward on the same thread, never by another thread's forward; threads sharing one
 * model for inference each get their own set. Training one model instance on two threads at once is
 * refused ({@link TrainingOwner}): its backward buffers are shared.
 */
public final class BufferPool {
  private final int size;
  private final ThreadLocal<Tensor[]> free = new ThreadLocal<>();

  /** A pool of sets of {@code size} buffers (the entries start null; {@code Buffers.reuse} fills them). */
  public BufferPool(int size) {
    this.size = size;
  }

  /** The free set, or a new empty one while the last set is still lent to a live graph. */
  public Tensor[] claim() {
    Tensor[] set = free.get();
    if (set == null) {
      return new Tensor[size];
    }
    free.set(null);
    return set;
  }

  /** Gives {@code set} back for the next {@link #claim()}; a forward without a graph does so at once. */
  public void giveBack(Tensor[] set) {
    free.set(set);
  }
}

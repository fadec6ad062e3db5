package dev.flint.compiled;

/**
 * Which thread is training a compiled model instance. The instance owns its intermediate-gradient
 * buffers and the array of returned gradients, so two threads running training passes on it at once
 * would mix their gradients silently; instead, a forward that records a graph claims the instance for
 * its thread until every graph it recorded has been freed (by its backward), and a claim from another
 * thread meanwhile fails naming both threads. Passes under {@code Autograd.noGrad()} record nothing and
 * claim nothing, so threads may share one instance for inference; and one thread may hand the
 * instance to another between steps.
 */
public final class TrainingOwner {
  private final String model;
  private Thread owner;
  private int liveGraphs;

  /** An owner record for the model named {@code model} (its class name, for messages). */
  public TrainingOwner(String model) {
    this.model = model;
  }

  /** Called when a forward of the model records its graph: the calling thread owns the model until released. */
  public synchronized void claim() {
    Thread current = Thread.currentThread();
    if (owner != null && owner != current) {
      throw new IllegalStateException(model + " is being trained from two threads at once: thread '"
          + current.getName() + "' ran a forward that records a graph while thread '" + owner.getName()
          + "' holds " + liveGraphs + " graph(s) of this same instance whose backward has not run yet. A compiled "
          + "model's intermediate-gradient buffers belong to the instance, so the gradients would mix: train one "
          + "instance per thread (each with its own optimizer), finish one thread's step (backward) before "
          + "another starts, or run forward under Autograd.noGrad() to predict from several threads");
    }
    owner = current;
    liveGraphs++;
  }

  /** Called when one of the model's graphs is freed (its node's saved values released). */
  public synchronized void release() {
    if (liveGraphs > 0 && --liveGraphs == 0) {
      owner = null;
    }
  }
}

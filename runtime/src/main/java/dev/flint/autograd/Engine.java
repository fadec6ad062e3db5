package dev.flint.autograd;

import dev.flint.internal.Internals;
import dev.flint.kernel.Kernels;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs backward over the recorded graph: nodes in reverse topological order, each input's gradient
 * summed over its uses, leaf gradients accumulated into {@code grad()}. Runs with grad mode off.
 */
public final class Engine {
  private Engine() {}

  /**
   * Backpropagates {@code gradient} (null: 1 for a one-element {@code root}) from {@code root}.
   * Without {@code retainGraph} the nodes free their saved values afterwards.
   */
  public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
    if (!root.requiresGrad()) {
      throw new IllegalStateException("backward: the tensor does not require grad and has no grad_fn: call "
          + "requiresGrad(true) on an input (a leaf) before computing it, and make sure the computation is not "
          + "inside Autograd.noGrad()");
    }
    Tensor g = gradient;
    if (g == null) {
      if (root.numel() != 1) {
        throw new IllegalStateException("grad can be implicitly created only for scalar outputs, but got shape "
            + Arrays.toString(root.shape()) + ": pass a gradient of that shape, e.g. backward(Tensor.onesLike(y))");
      }
      g = ImplicitGradient.oneLike(root);
    } else if (!Arrays.equals(Internals.shapeRef(g), Internals.shapeRef(root))) {
      throw new IllegalArgumentException("backward: the gradient has shape " + Arrays.toString(g.shape())
          + ", but the tensor has shape " + Arrays.toString(root.shape()) + "; they must match");
    }
    boolean previous = GradMode.set(false);
    try {
      if (root.gradFn() == null) {
        accumulate(root, conform(g, root, null));
        return;
      }
      run(producer(root), conform(g, root, null), retainGraph);
    } finally {
      GradMode.set(previous);
    }
  }

  /**
   * The node that computed {@code t}, or null for a leaf. A tensor holds it as a {@link
   * dev.flint.tensor.GradFn}, whose only implementation is {@link Node}: only the runtime sets it.
   */
  private static Node producer(Tensor t) {
    return (Node) t.gradFn();
  }

  // The traversal keeps its state in the nodes (a pass mark and the pending output gradient) and in
  // per-thread scratch arrays, so a backward pass allocates nothing of its own once warm (docs/design.md, "Performance targets").
  private static final AtomicInteger PASSES = new AtomicInteger();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Growable arrays for one backward pass on this thread. */
  private static final class Scratch {
    boolean busy;
    Node[] order = new Node[16];
    Node[] stack = new Node[16];
    Tensor[][] stackInputs = new Tensor[16][];
    int[] nextInput = new int[16];
    Tensor[] inputs = new Tensor[8];
  }

  private static void run(Node start, Tensor grad, boolean retainGraph) {
    Scratch scratch = SCRATCH.get();
    if (scratch.busy) {
      scratch = new Scratch();   // a backward started from inside a backward (a hook, a custom node)
    }
    scratch.busy = true;
    int count = 0;
    Node[] order = scratch.order;
    try {
      count = topologicalOrder(start, scratch);
      order = scratch.order;
      start.pendingGrad = grad;
      for (int k = 0; k < count; k++) {
        Node node = order[k];
        Tensor g = node.pendingGrad;
        node.pendingGrad = null;
        if (g != null) {
          step(node, g, retainGraph, scratch);
        }
      }
    } finally {
      for (int k = 0; k < count; k++) {
        order[k].pendingGrad = null;   // nothing left behind when a node throws
        order[k] = null;
      }
      scratch.busy = false;
    }
  }

  /** Runs one node's backward and hands each input gradient to its leaf or producing node. */
  private static void step(Node node, Tensor g, boolean retainGraph, Scratch scratch) {
    if (node.retainedOutput() != null) {
      accumulate(node.retainedOutput(), g);
    }
    Tensor[] declared = node.inputs();
    int n = declared.length;
    if (scratch.inputs.length < n) {
      scratch.inputs = new Tensor[n];
    }
    Tensor[] inputs = scratch.inputs;   // apply may free what the node holds; keep the inputs here
    System.arraycopy(declared, 0, inputs, 0, n);
    Tensor[] inGrads = node.apply(g);
    if (AnomalyMode.isEnabled()) {
      AnomalyMode.checkBackward(node, inGrads);
    }
    for (int i = 0; i < n; i++) {
      Tensor t = inputs[i];
      inputs[i] = null;
      if (t == null || !t.requiresGrad() || i >= inGrads.length || inGrads[i] == null) {
        continue;
      }
      Tensor gi = conform(inGrads[i], t, node);
      Node producer = producer(t);
      if (producer == null) {
        accumulate(t, gi);
      } else {
        Tensor pending = producer.pendingGrad;
        producer.pendingGrad = pending == null ? gi : Kernels.add(pending, gi);
      }
    }
    if (!retainGraph) {
      node.release();
    }
  }

  /**
   * Fills {@code scratch.order} with the nodes reachable from {@code start}, each before the nodes
   * it feeds into (iterative DFS: graphs can be deep); returns how many.
   */
  private static int topologicalOrder(Node start, Scratch s) {
    int pass = PASSES.incrementAndGet();
    if (pass == 0) {
      pass = PASSES.incrementAndGet();   // after 2³² passes: 0 is a new node's mark
    }
    int count = 0;
    int top = 0;
    start.visitMark = pass;
    s.stack[0] = start;
    s.stackInputs[0] = start.inputs();
    s.nextInput[0] = 0;
    top = 1;
    while (top > 0) {
      int at = top - 1;
      Tensor[] ins = s.stackInputs[at];
      int i = s.nextInput[at];
      if (i < ins.length) {
        s.nextInput[at] = i + 1;
        Tensor t = ins[i];
        Node child = t == null ? null : producer(t);
        if (child != null && child.visitMark != pass) {
          child.visitMark = pass;
          if (top == s.stack.length) {
            grow(s);
          }
          s.stack[top] = child;
          s.stackInputs[top] = child.inputs();
          s.nextInput[top] = 0;
          top++;
        }
      } else {
        if (count == s.order.length) {
          s.order = Arrays.copyOf(s.order, 2 * count);
        }
        s.order[count++] = s.stack[at];
        s.stack[at] = null;
        s.stackInputs[at] = null;
        top--;
      }
    }
    // post-order puts inputs first; backward runs from the root, so reverse it
    for (int a = 0, b = count - 1; a < b; a++, b--) {
      Node x = s.order[a];
      s.order[a] = s.order[b];
      s.order[b] = x;
    }
    return count;
  }

  private static void grow(Scratch s) {
    int n = 2 * s.stack.length;
    s.stack = Arrays.copyOf(s.stack, n);
    s.stackInputs = Arrays.copyOf(s.stackInputs, n);
    s.nextInput = Arrays.copyOf(s.nextInput, n);
  }

  /** {@code g} as {@code t}'s dtype, after checking its shape (a rule returning a wrong shape is a bug). */
  private static Tensor conform(Tensor g, Tensor t, Node node) {
    if (!Arrays.equals(Internals.shapeRef(g), Internals.shapeRef(t))) {
      throw new IllegalStateException("backward" + (node == null ? "" : " of " + node.name()) + " produced a gradient of shape "
          + Arrays.toString(g.shape()) + " for an input of shape " + Arrays.toString(t.shape()));
    }
    return g.dtype() == t.dtype() ? g : Kernels.cast(g, t.dtype());
  }

  /** Adds {@code g} into {@code t}'s gradient in place, or stores a private copy as the first one. */
  private static void accumulate(Tensor t, Tensor g) {
    Tensor have = Internals.gradForUpdate(t);
    if (have == null) {
      Internals.setFirstGrad(t, g);   // a copy: g may alias other gradients or views
    } else {
      Kernels.accumulate(g, have);
    }
  }
}

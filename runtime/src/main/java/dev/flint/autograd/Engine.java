package dev.flint.autograd;

import dev.flint.kernel.Kernels;
import dev.flint.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

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
  @SuppressWarnings("try")   // the noGrad scope is used only for its effect
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
      g = Tensor.onesLike(root);
    } else if (!Arrays.equals(g.shape(), root.shape())) {
      throw new IllegalArgumentException("backward: the gradient has shape " + Arrays.toString(g.shape())
          + ", but the tensor has shape " + Arrays.toString(root.shape()) + "; they must match");
    }
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      if (root.gradFn() == null) {
        accumulate(root, conform(g, root, null));
        return;
      }
      run(root.gradFn(), conform(g, root, null), retainGraph);
    }
  }

  private static void run(Node start, Tensor grad, boolean retainGraph) {
    List<Node> order = topologicalOrder(start);
    Map<Node, Tensor> grads = new IdentityHashMap<>();
    grads.put(start, grad);
    for (Node node : order) {
      Tensor g = grads.remove(node);
      if (g == null) {
        continue;
      }
      if (node.retainedOutput() != null) {
        accumulate(node.retainedOutput(), g);
      }
      Tensor[] inputs = node.inputs().clone();
      Tensor[] inGrads = node.apply(g);
      if (AnomalyMode.isEnabled()) {
        AnomalyMode.checkBackward(node, inGrads);
      }
      for (int i = 0; i < inputs.length; i++) {
        Tensor t = inputs[i];
        if (t == null || !t.requiresGrad() || i >= inGrads.length || inGrads[i] == null) {
          continue;
        }
        Tensor gi = conform(inGrads[i], t, node);
        if (t.gradFn() == null) {
          accumulate(t, gi);
        } else {
          grads.merge(t.gradFn(), gi, Kernels::add);
        }
      }
      if (!retainGraph) {
        node.release();
      }
    }
  }

  /** Nodes reachable from {@code start}, each before the nodes it feeds into (iterative DFS: graphs can be deep). */
  private static List<Node> topologicalOrder(Node start) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> post = new ArrayList<>();
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {start, 0});
    seen.add(start);
    while (!stack.isEmpty()) {
      Object[] top = stack.peek();
      Node n = (Node) top[0];
      int i = (Integer) top[1];
      Tensor[] ins = n.inputs();
      if (i < ins.length) {
        top[1] = i + 1;
        Tensor t = ins[i];
        if (t != null && t.gradFn() != null && seen.add(t.gradFn())) {
          stack.push(new Object[] {t.gradFn(), 0});
        }
      } else {
        stack.pop();
        post.add(n);
      }
    }
    Collections.reverse(post);
    return post;
  }

  /** {@code g} as {@code t}'s dtype, after checking its shape (a rule returning a wrong shape is a bug). */
  private static Tensor conform(Tensor g, Tensor t, Node node) {
    if (!Arrays.equals(g.shape(), t.shape())) {
      throw new IllegalStateException("backward" + (node == null ? "" : " of " + node.name()) + " produced a gradient of shape "
          + Arrays.toString(g.shape()) + " for an input of shape " + Arrays.toString(t.shape()));
    }
    return g.dtype() == t.dtype() ? g : Kernels.cast(g, t.dtype());
  }

  /** Adds {@code g} into {@code t.grad()} in place, or stores a copy as the first gradient. */
  private static void accumulate(Tensor t, Tensor g) {
    Tensor have = t.grad();
    if (have == null) {
      t.setGrad(g.copyData());   // a private contiguous copy: g may alias other gradients or views
    } else {
      Kernels.accumulate(g, have);
    }
  }
}

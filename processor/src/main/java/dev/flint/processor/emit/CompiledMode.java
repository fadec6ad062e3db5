package dev.flint.processor.emit;

import dev.flint.processor.grad.Differentiate;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One compiled forward pass and its backward pass, for training mode, evaluation mode, or both when
 * they are the same; with the twin graphs of the second lowering (Note [Symbolic sizes]).
 *
 * @param suffix names the mode in generated names: {@code Training}, {@code Eval}, or empty
 * @param saved the forward values the backward pass reads (Note [Saved values])
 */
public record CompiledMode(
    String suffix,
    Graph forward,
    Graph forwardTwin,
    Differentiate.Backward backward,
    Differentiate.Backward backwardTwin,
    List<Value> saved) {

  /** The node of the second lowering that matches {@code n} (values are numbered alike in both). */
  Node twin(Node n, boolean backwardPass) {
    List<Node> nodes = backwardPass ? backwardTwin.nodes() : forwardTwin.nodes();
    Map<Integer, Node> byId = new HashMap<>();
    for (Node m : nodes) {
      byId.put(m.out().id(), m);
    }
    Node t = byId.get(n.out().id());
    if (t == null || t.op() != n.op()) {
      throw new IllegalStateException("the two lowerings differ at " + n);
    }
    return t;
  }
}

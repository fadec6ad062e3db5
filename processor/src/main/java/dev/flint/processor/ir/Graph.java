package dev.flint.processor.ir;

import java.util.List;

/**
 * A straight-line program: leaves (input, parameters, buffers, computed constants), op nodes in
 * definition order, side effects that run after the node that defines their last argument, and the
 * output. Immutable.
 */
public record Graph(List<Leaf> leaves, List<Node> nodes, List<Effect> effects, Value output) {
  public Graph {
    leaves = List.copyOf(leaves);
    nodes = List.copyOf(nodes);
    effects = List.copyOf(effects);
  }

  /** The leaf that defines {@code v}, or null when an op node defines it. */
  public Leaf leafOf(Value v) {
    for (Leaf l : leaves) {
      if (l.value().equals(v)) {
        return l;
      }
    }
    return null;
  }

  public Graph withNodes(List<Node> newNodes) {
    return new Graph(leaves, newNodes, effects, output);
  }
}

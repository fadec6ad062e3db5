package dev.flint.processor.opt;

import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Note [Saved values]: the forward values a backward pass reads, which the forward pass hands to the
 * autograd node. Nobody lists them by hand: they are exactly the forward values that appear as inputs
 * of backward nodes, minus the node's own inputs (model input and parameters), which it holds anyway.
 */
public final class SavedValues {
  private SavedValues() {}

  /** The saved values in forward definition order. */
  public static List<Value> of(Graph forward, List<Node> backward, Set<Value> heldAnyway) {
    Set<Value> read = new HashSet<>();
    backward.forEach(n -> read.addAll(n.inputs()));
    Set<Value> saved = new LinkedHashSet<>();
    for (Leaf l : forward.leaves()) {
      if (read.contains(l.value()) && !heldAnyway.contains(l.value())) {
        saved.add(l.value());
      }
    }
    for (Node n : forward.nodes()) {
      if (read.contains(n.out())) {
        saved.add(n.out());
      }
    }
    return new ArrayList<>(saved);
  }
}

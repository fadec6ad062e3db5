package dev.flint.processor.opt;

import dev.flint.processor.ir.Effect;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Drops nodes whose values nothing reads: not the output, not a side effect, not a computed leaf, and
 * not one of the extra roots (for a backward graph: the parameter gradients).
 */
public final class DeadCode implements Pass {
  private final Set<Value> roots;

  public DeadCode() {
    this(List.of());
  }

  public DeadCode(Collection<Value> roots) {
    this.roots = new HashSet<>(roots);
  }

  @Override
  public String name() {
    return "dead-code";
  }

  @Override
  public Graph run(Graph g) {
    Set<Value> live = new HashSet<>(roots);
    if (g.output() != null) {
      live.add(g.output());
    }
    for (Effect e : g.effects()) {
      live.addAll(e.args());
    }
    for (Leaf l : g.leaves()) {
      live.addAll(l.args());
    }
    List<Node> kept = new ArrayList<>();
    List<Node> nodes = g.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (live.contains(n.out())) {
        kept.add(0, n);
        live.addAll(n.inputs());
      }
    }
    return g.withNodes(kept);
  }
}

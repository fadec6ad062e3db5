package dev.flint.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rebuilds a graph with new name hints for some values (by id), keeping everything else. */
public final class Renaming {
  private final Map<Integer, String> hints;

  public Renaming(Map<Integer, String> hints) {
    this.hints = hints;
  }

  public Value apply(Value v) {
    String hint = v == null ? null : hints.get(v.id());
    return hint == null ? v : new Value(v.id(), hint, v.type(), v.origin());
  }

  public List<Value> apply(List<Value> vs) {
    List<Value> out = new ArrayList<>();
    vs.forEach(v -> out.add(apply(v)));
    return out;
  }

  public Graph apply(Graph g) {
    List<Leaf> leaves = new ArrayList<>();
    g.leaves().forEach(l -> leaves.add(new Leaf(apply(l.value()), l.role(), l.access(), apply(l.args()))));
    List<Node> nodes = new ArrayList<>();
    g.nodes().forEach(n -> nodes.add(new Node(n.op(), apply(n.inputs()), n.attrs(), apply(n.out()), n.where())));
    List<Effect> effects = new ArrayList<>();
    g.effects().forEach(e -> effects.add(new Effect(e.format(), apply(e.args()), e.where(), e.after())));
    return new Graph(leaves, nodes, effects, apply(g.output()));
  }
}

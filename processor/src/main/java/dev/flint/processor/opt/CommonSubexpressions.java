package dev.flint.processor.opt;

import dev.flint.processor.ir.Effect;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes each distinct op application once: a node with the same row, inputs and attributes as an
 * earlier one (a layer applied twice transposes its weight twice) is dropped and its readers read the
 * earlier value. Every row is a pure function of its inputs, so this never changes a result.
 */
public final class CommonSubexpressions implements Pass {

  @Override
  public String name() {
    return "common-subexpressions";
  }

  @Override
  public Graph run(Graph g) {
    Map<Value, Value> replaced = new HashMap<>();
    Map<String, Value> seen = new HashMap<>();
    List<Node> kept = new ArrayList<>();
    for (Node n : g.nodes()) {
      List<Value> inputs = subst(n.inputs(), replaced);
      StringBuilder key = new StringBuilder(n.op().name());
      inputs.forEach(v -> key.append(' ').append(v.id()));
      key.append(' ').append(n.attrs());
      Value earlier = seen.get(key.toString());
      if (earlier != null && earlier.type().equals(n.out().type())) {
        replaced.put(n.out(), earlier);
        continue;
      }
      seen.put(key.toString(), n.out());
      kept.add(new Node(n.op(), inputs, n.attrs(), n.out(), n.where()));
    }
    List<Leaf> leaves = new ArrayList<>();
    g.leaves().forEach(l -> leaves.add(new Leaf(l.value(), l.role(), l.access(), subst(l.args(), replaced))));
    List<Effect> effects = new ArrayList<>();
    g.effects().forEach(e -> effects.add(new Effect(e.format(), subst(e.args(), replaced), e.where(), e.after())));
    Value out = replaced.getOrDefault(g.output(), g.output());
    return new Graph(leaves, kept, effects, out);
  }

  private static List<Value> subst(List<Value> vs, Map<Value, Value> replaced) {
    List<Value> out = new ArrayList<>();
    vs.forEach(v -> out.add(replaced.getOrDefault(v, v)));
    return out;
  }
}

package dev.flint.processor.check;

import dev.flint.processor.ir.Effect;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a graph's invariants: every value is defined once, before it is read; each node's recorded
 * type is what {@link ShapeInference} gives; arities match the op table. Runs after every pass in tests.
 */
public final class WellFormed {
  private WellFormed() {}

  private static void defineComputed(Leaf l, Set<Value> defined, List<String> problems) {
    for (Value a : l.args()) {
      if (!defined.contains(a)) {
        problems.add("leaf " + l.value() + " reads undefined " + a);
      }
    }
    if (!defined.add(l.value())) {
      problems.add("leaf " + l.value() + " is defined twice");
    }
  }

  /** The violations found, empty when the graph is well formed. {@code outer} values count as defined. */
  public static List<String> problems(Graph g, Set<Value> outer) {
    List<String> problems = new ArrayList<>();
    Set<Value> defined = new HashSet<>(outer);
    List<Leaf> computed = new ArrayList<>();
    for (Leaf l : g.leaves()) {
      if (l.role() == Leaf.Role.COMPUTED) {
        computed.add(l);
      } else if (!defined.add(l.value())) {
        problems.add("leaf " + l.value() + " is defined twice");
      }
    }
    ShapeInference types = new ShapeInference();
    for (Node n : g.nodes()) {
      // Computed leaves (dropout masks) sit between the nodes, in id order.
      while (!computed.isEmpty() && computed.get(0).value().id() < n.out().id()) {
        defineComputed(computed.remove(0), defined, problems);
      }
      for (Value in : n.inputs()) {
        if (!defined.contains(in)) {
          problems.add(n + " reads " + in + " before it is defined");
        }
      }
      if (n.op().arity() >= 0 && n.op().arity() != n.inputs().size()) {
        problems.add(n + " has " + n.inputs().size() + " inputs, but " + n.op() + " takes " + n.op().arity());
      }
      List<TensorType> in = new ArrayList<>();
      n.inputs().forEach(v -> in.add(v.type()));
      try {
        TensorType t = types.infer(n.op(), in, n.attrs());
        if (!t.equals(n.out().type())) {
          problems.add(n + " records type " + n.out().type() + ", but its inputs give " + t);
        }
      } catch (RuntimeException e) {
        problems.add(n + " does not type: " + e.getMessage());
      }
      if (!defined.add(n.out())) {
        problems.add(n.out() + " is defined twice");
      }
    }
    computed.forEach(l -> defineComputed(l, defined, problems));
    for (Effect e : g.effects()) {
      e.args().stream().filter(v -> !defined.contains(v)).forEach(v -> problems.add("effect reads undefined " + v));
    }
    if (g.output() != null && !defined.contains(g.output())) {
      problems.add("output " + g.output() + " is not defined");
    }
    return problems;
  }
}

package dev.flint.processor.grad;

import dev.flint.ops.Call;
import dev.flint.processor.check.ShapeInference;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.GraphBuilder;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the backward graph of a forward graph by reverse-mode differentiation: for each node, last to
 * first, it runs the op table's derivative rule ({@link dev.flint.ops.Op#backward}) with a
 * {@link GraphAlgebra}, so the generated backward pass is the table's own math, and sums the gradients
 * of values read more than once.
 */
public final class Differentiate {

  /**
   * A backward pass: its nodes (which read forward values and {@code seed}), the incoming gradient
   * {@code seed} (dL/d output), the gradient of each differentiable leaf in leaf order (null where the
   * output does not depend on it), and the gradient of every forward value that has one.
   */
  public record Backward(List<Node> nodes, Value seed, Map<Value, Value> leafGrads, Map<Value, Value> grads) {
    /** The same pass with only {@code kept} nodes (after dead-code elimination). */
    public Backward withNodes(List<Node> kept) {
      return new Backward(kept, seed, leafGrads, grads);
    }
  }

  public Backward run(Graph forward) {
    GraphBuilder builder = new GraphBuilder(new ShapeInference(), forward);
    GraphAlgebra algebra = new GraphAlgebra(builder, forward);
    Value out = forward.output();
    Value seed = builder.fresh("dOut", out.type(), "");
    Set<Value> needs = needsGrad(forward);
    Map<Value, Value> grads = new LinkedHashMap<>();
    if (needs.contains(out)) {
      grads.put(out, seed);
    }
    List<Node> nodes = forward.nodes();
    for (int k = nodes.size() - 1; k >= 0; k--) {
      Node n = nodes.get(k);
      Value g = grads.get(n.out());
      if (g == null) {
        continue;
      }
      algebra.at(n.where());
      List<Value> inputGrads = rule(n, g, algebra, needs);
      for (int i = 0; i < n.inputs().size(); i++) {
        Value in = n.inputs().get(i);
        Value gi = inputGrads.get(i);
        if (gi != null && needs.contains(in)) {
          Value sum = grads.get(in);
          grads.put(in, sum == null ? gi : algebra.add(sum, gi));
        }
      }
    }
    Map<Value, Value> leafGrads = new LinkedHashMap<>();
    for (Leaf l : forward.leaves()) {
      if (l.differentiable() && needs.contains(l.value())) {
        Value g = grads.get(l.value());
        leafGrads.put(l.value(), g);
      }
    }
    return new Backward(builder.nodes(), seed, leafGrads, grads);
  }

  private static List<Value> rule(Node n, Value g, GraphAlgebra algebra, Set<Value> needs) {
    if (!n.op().differentiable()) {
      return nulls(n.inputs().size());
    }
    List<int[]> inShapes = new ArrayList<>();
    boolean[] need = new boolean[n.inputs().size()];
    for (int i = 0; i < need.length; i++) {
      inShapes.add(n.inputs().get(i).type().shape());
      need[i] = needs.contains(n.inputs().get(i));
    }
    Call<Value> call = new Call<>(n.op(), n.inputs(), n.out(), inShapes, n.out().type().shape(), n.attrs(), need,
        dev.flint.processor.ir.SymbolicDims.INSTANCE);
    return n.op().backward(algebra, g, call);
  }

  /** The values that depend on a differentiable leaf (the input or a parameter) through differentiable nodes. */
  static Set<Value> needsGrad(Graph g) {
    Set<Value> needs = new HashSet<>();
    for (Leaf l : g.leaves()) {
      if (l.differentiable() && l.value().type().elem() == TensorType.Elem.FLOAT) {
        needs.add(l.value());
      }
    }
    for (Node n : g.nodes()) {
      boolean differentiable = n.op().differentiable();
      if (differentiable && n.out().type().elem() == TensorType.Elem.FLOAT
          && n.inputs().stream().anyMatch(needs::contains)) {
        needs.add(n.out());
      }
    }
    return needs;
  }

  private static List<Value> nulls(int n) {
    List<Value> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(null);
    }
    return out;
  }
}

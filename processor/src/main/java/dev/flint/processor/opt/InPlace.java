package dev.flint.processor.opt;

import dev.flint.ops.Op;
import dev.flint.processor.ir.Effect;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Fuses a layer's bias and activation into the buffer of its product: {@code t = matmul(x, w);
 * t = add(t, bias) in place; h = relu(t) in place}, so a Linear+ReLU allocates one tensor instead of
 * three. A node may write into its first input's buffer when that input is a fresh contiguous result
 * (a product, a convolution, or an earlier in-place result), nothing else reads it (not another node,
 * not a side effect, not the backward pass, not the output), the shapes agree, and the other operand
 * is a parameter (so the dtype cannot widen). Only ops whose kernels take an {@code out} tensor qualify.
 */
public final class InPlace {
  private InPlace() {}

  /** For each node that can run in place (by output id), the value whose buffer it overwrites. */
  public static Map<Integer, Value> plan(Graph forward, Collection<Value> saved) {
    Map<Value, Integer> readers = new HashMap<>();
    for (Node n : forward.nodes()) {
      for (Value v : new HashSet<>(n.inputs())) {
        readers.merge(v, 1, Integer::sum);
      }
    }
    Set<Value> pinned = new HashSet<>(saved);
    pinned.add(forward.output());
    for (Effect e : forward.effects()) {
      pinned.addAll(e.args());
    }
    for (Leaf l : forward.leaves()) {
      pinned.addAll(l.args());
    }
    Map<Value, Node> producer = new HashMap<>();
    forward.nodes().forEach(n -> producer.put(n.out(), n));
    Set<Value> fresh = new HashSet<>();
    Map<Integer, Value> plan = new HashMap<>();
    for (Node n : forward.nodes()) {
      if (n.op() == Op.MATMUL || n.op() == Op.CONV2D) {
        fresh.add(n.out());
        continue;
      }
      if (n.op() != Op.ADD && n.op() != Op.RELU) {
        continue;
      }
      Value target = n.inputs().get(0);
      boolean ok = fresh.contains(target)
          && readers.getOrDefault(target, 0) == 1
          && !pinned.contains(target)
          && Arrays.equals(target.type().shape(), n.out().type().shape())
          && target.type().elem() == n.out().type().elem()
          && (n.op() == Op.RELU || isParameter(n.inputs().get(1), forward, producer));
      if (ok) {
        plan.put(n.out().id(), target);
        fresh.add(n.out());
      }
    }
    return plan;
  }

  /** A parameter or buffer, or a reshape of one (a conv bias as {@code [1, C, 1, 1]}). */
  private static boolean isParameter(Value v, Graph g, Map<Value, Node> producer) {
    Leaf l = g.leafOf(v);
    if (l != null) {
      return l.role() == Leaf.Role.PARAM || l.role() == Leaf.Role.BUFFER;
    }
    Node n = producer.get(v);
    return n != null && n.op() == Op.RESHAPE && isParameter(n.inputs().get(0), g, producer);
  }
}

package dev.flint.processor.emit;

import dev.flint.ops.Op;
import dev.flint.processor.grad.Differentiate;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which values of a compiled pass live in the model's pooled forward buffers (Note [Forward buffers]):
 * the forward values whose kernels write into a given buffer, and the gradients the backward node
 * returns. Slots number the entries of one buffer set; a set serves one forward pass and its backward.
 *
 * @param forward slot of each forward value written into the set (values computed in place share
 *     their target's buffer and have no slot of their own), or of each view kept there (Note [Planned views])
 * @param outputOnly the slotted forward values that the output may share storage with: without a
 *     graph they get a new tensor instead, since the caller keeps the output
 * @param grads slot of each returned gradient written into the set
 * @param size the number of buffers in a set
 */
public record ForwardBuffers(Map<Value, Integer> forward, Set<Value> outputOnly, Map<Value, Integer> grads, int size) {

  /*
   * Note [Forward buffers]
   * A compiled model plans its forward values once and reuses their memory from step to step, as its
   * backward pass does with intermediate gradients (Note [Backward buffers]). The difference: forward
   * values outlive the call. The backward node reads the saved ones later, and the caller holds the
   * output. So the buffers come in sets from the model's BufferPool: each forward claims a set and
   * writes every planned value into it (set[i] = Buffers.reuse(set[i], dtype, dims...), then the
   * kernel's out variant); the backward node holds the set, writes the gradients it returns into it
   * too, and gives it back when the engine frees the node (releaseSaved, after a backward without
   * retainGraph). While a graph is alive (not yet backpropagated, retained, or dropped without a
   * backward) its set stays lent and the next forward gets a new one, so saved values are never
   * overwritten; a plain training loop (forward, backward, step) reuses one set forever.
   *
   * The output: with a graph it is a view lent to the caller (Outputs.lend in dev.flint.compiled), carrying the node. When
   * a later forward reuses the set, Buffers.reuse reclaims the buffer and the old view refuses to be
   * read (a stale-buffer error that says to clone()), instead of silently showing newer values.
   * Without a graph (noGrad, or nothing requires grad) the set is given back at the end of the call,
   * and every buffer the output may share storage with (the output, the target of an in-place output,
   * what a view output looks into) is a new tensor instead: predictions collected in an eval loop stay
   * valid. Returned gradients in the set are safe until the set is reused: the engine copies a leaf's
   * first gradient and consumes a non-leaf input's gradient within the same backward pass.
   */

  public ForwardBuffers {
    forward = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(forward));
    outputOnly = Set.copyOf(outputOnly);
    grads = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grads));
  }

  /** The plan of a pass: only ranks 1 to 4 (Buffers.reuse's fixed-rank overloads, no varargs array). */
  static ForwardBuffers plan(Graph g, Differentiate.Backward backwardPass, Map<Integer, Value> inPlace, Fusions fused,
      Fusions backward) {
    Map<Value, Integer> forward = new LinkedHashMap<>();
    int slots = 0;
    for (Node n : g.nodes()) {
      // sumTo returns its input unchanged without an out tensor; forward code rarely sums to a shape
      boolean out = fused.call(n.out()) != null || KernelCalls.hasOutVariant(n.op()) && n.op() != Op.SUM_TO;
      if (out && !fused.absorbed(n.out()) && !inPlace.containsKey(n.out().id()) && plannable(n.out())) {
        forward.put(n.out(), slots++);
      }
      // a view keeps its slot too (Note [Planned views]), except the output, which the caller holds
      boolean view = KernelCalls.isPlannedView(n.op()) && fused.call(n.out()) == null;
      if (view && !fused.absorbed(n.out()) && !n.out().equals(g.output()) && plannable(n.out())) {
        forward.put(n.out(), slots);
        slots += KernelCalls.plannedViewSlots(n.op());
      }
    }
    Set<Value> outputOnly = new HashSet<>();
    for (Value v : sharesStorageWithOutput(g, inPlace, fused)) {
      if (forward.containsKey(v)) {
        outputOnly.add(v);
      }
    }
    Map<Value, Integer> grads = new LinkedHashMap<>();
    Set<Value> returned = new HashSet<>(backwardPass.leafGrads().values());
    for (Node n : backwardPass.nodes()) {
      boolean out = backward.call(n.out()) != null || n.op().signature().outVariant();
      if (returned.contains(n.out()) && out && plannable(n.out()) && !grads.containsKey(n.out())) {
        grads.put(n.out(), slots++);
      }
    }
    return new ForwardBuffers(forward, outputOnly, grads, slots);
  }

  private static boolean plannable(Value v) {
    int rank = v.type().shape().length;
    return rank >= 1 && rank <= 4;
  }

  /**
   * The forward values whose storage the output may share: the output, the target of an in-place
   * node, and the inputs of any op that is not known to make a new tensor (views, reshape, sumTo).
   */
  private static Set<Value> sharesStorageWithOutput(Graph g, Map<Integer, Value> inPlace, Fusions fused) {
    Map<Value, Node> producer = new HashMap<>();
    g.nodes().forEach(n -> producer.put(n.out(), n));
    Set<Value> seen = new HashSet<>();
    Deque<Value> work = new ArrayDeque<>();
    work.add(g.output());
    while (!work.isEmpty()) {
      Value v = work.pop();
      if (!seen.add(v)) {
        continue;
      }
      Value target = inPlace.get(v.id());
      if (target != null) {
        work.add(target);
      }
      Node n = producer.get(v);
      if (n != null && !n.op().signature().fresh() && fused.call(v) == null) {
        work.addAll(n.inputs());
      }
    }
    for (Leaf l : g.leaves()) {
      seen.remove(l.value());
    }
    return seen;
  }
}

package dev.flint.processor.emit;

import dev.flint.ops.Op;
import dev.flint.processor.grad.Differentiate;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which intermediate values of a generated backward pass write into a buffer that the model keeps
 * across steps, instead of a fresh tensor. Only values that cannot outlive the {@code backward} call
 * qualify (Note [Backward buffers]): computed by a kernel with an {@code out} variant, not returned
 * as a gradient, and read only by kernels whose results are always new tensors (never the input
 * itself or a view of it), or by views that satisfy the same, so no returned gradient shares their
 * storage.
 */
final class BackwardBuffers {
  private BackwardBuffers() {}

  /*
   * Note [Backward buffers]
   * What backward returns outlives the call until the engine has used it (a leaf's first gradient is
   * copied, a non-leaf input's gradient is summed with its other uses and consumed by its producer
   * within the same pass), so returned gradients go into the forward pass's buffer set, which the node
   * holds until it is freed (Note [Forward buffers]). Everything else backward computes is dead when
   * it returns, so its storage can be reused by the next backward of the same model, provided nothing
   * returned aliases it: a view (permute for a weight's gradient) or sumTo (which returns its input
   * when the shapes agree, e.g. [B, 8, 1] to [1, 8, 1] at batch 1) of a buffered value would leak the
   * buffer, hence the rule on readers (a fused call, see Fusions, always writes a new result). A leak
   * would be overwritten by the next backward of the same model (BackwardBuffersTest builds exactly
   * that). Buffers belong to one model instance, so two backward passes of one instance must not run
   * at the same time on different threads (as with a PyTorch module's hooks and buffers).
   */

  /** Slot numbers of the buffered backward values, in emission order, then of the kept views. */
  static Map<Value, Integer> plan(Differentiate.Backward backward, Fusions fusions) {
    List<Node> nodes = backward.nodes();
    Set<Value> returned = new HashSet<>(backward.leafGrads().values());
    Map<Value, Integer> slots = new LinkedHashMap<>();
    for (Node n : nodes) {
      Value v = n.out();
      // an op with an out variant writes into the buffer it is given (sumTo too, which without one may
      // return its input), so its result is fresh
      boolean buffered = fusions.call(v) != null || n.op().signature().outVariant();
      if (!buffered || fusions.absorbed(v) || returned.contains(v)
          || v.type().shape().length < 1 || v.type().shape().length > 4) {
        continue;
      }
      if (staysInside(v, nodes, returned, fusions)) {
        slots.put(v, slots.size());
      }
    }
    // views keep their slots too (Note [Planned views]); a returned gradient may be held by the engine
    int next = slots.size();
    for (Node n : nodes) {
      Value v = n.out();
      if (KernelCalls.isPlannedView(n.op()) && fusions.call(v) == null && !fusions.absorbed(v) && !returned.contains(v)
          && v.type().shape().length >= 1 && v.type().shape().length <= 4) {
        slots.put(v, next);
        next += KernelCalls.plannedViewSlots(n.op());
      }
    }
    return slots;
  }

  /** The length of the array holding {@code slots} of {@code backward}'s values: a reshape keeps two. */
  static int size(Differentiate.Backward backward, Map<Value, Integer> slots) {
    int size = 0;
    for (Node n : backward.nodes()) {
      Integer slot = slots.get(n.out());
      if (slot != null) {
        size = Math.max(size, slot + (KernelCalls.isPlannedView(n.op()) ? KernelCalls.plannedViewSlots(n.op()) : 1));
      }
    }
    return size;
  }

  /**
   * Whether no returned gradient can share {@code v}'s storage: each reader makes a new tensor, or is
   * a view (reshape, permute, sumTo...) that is not returned and whose own readers satisfy the same
   * (a CNN's flattened input gradient, reshaped back to an image batch for the pooling gradient).
   */
  private static boolean staysInside(Value v, List<Node> nodes, Set<Value> returned, Fusions fusions) {
    for (Node reader : nodes) {
      if (!reader.inputs().contains(v)) {
        continue;
      }
      // an absorbed reader is not emitted; the fused call that replaces it makes a new tensor
      boolean fresh = fusions.absorbed(reader.out()) || fusions.call(reader.out()) != null || freshResult(reader);
      if (!fresh && (returned.contains(reader.out()) || !staysInside(reader.out(), nodes, returned, fusions))) {
        return false;
      }
    }
    return true;
  }

  private static boolean freshResult(Node reader) {
    if (reader.op().signature().fresh()) {
      return true;
    }
    if (reader.op() == Op.SUM_TO) {
      // sumTo returns its input when the shapes are equal at run time; they cannot be when the ranks
      // differ or two known sizes differ (a named size such as B may equal any other size)
      List<Dim> in = reader.inputs().get(0).type().dims();
      List<Dim> out = reader.out().type().dims();
      if (in.size() != out.size()) {
        return true;
      }
      for (int i = 0; i < in.size(); i++) {
        if (in.get(i).isConstant() && out.get(i).isConstant() && !in.get(i).equals(out.get(i))) {
          return true;
        }
      }
    }
    return false;
  }
}

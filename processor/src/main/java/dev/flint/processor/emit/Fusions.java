package dev.flint.processor.emit;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.grad.Differentiate;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kernel calls that replace a few nodes of one pass (forward or backward) at emission time, so the
 * generated code makes no view tensors and writes results in the layout they are used in:
 * <ul>
 *   <li>{@code matmul(x, permute(w))}: {@code Kernels.matmulNT(x, w)} (a Linear, weight in [out, in]; x may be
 *       [..., in], whose rows the kernel flattens);
 *   <li>{@code permute(sumTo(matmul(xᵀ, d), [K, N]))} with {@code xᵀ} the batched transpose of x [..., T, K]:
 *       {@code Kernels.matmulTN(d, x)}, a weight's gradient through a Linear over a sequence, one product over
 *       all rows instead of one per batch element and their sum (without the outer permute, {@code matmulTN(x, d)});
 *   <li>{@code permute(matmul(permute(h), d))}: {@code Kernels.matmulTN(d, h)} (a weight's gradient,
 *       contiguous in the weight's layout instead of a transposed view of {@code hᵀ @ d});
 *   <li>{@code permute(matmul(a, permute(b)))}: {@code Kernels.matmulNT(b, a)};
 *   <li>{@code mul(d, sign(y))} over same-shape operands: {@code Kernels.mulSign(d, y)} (ReLU's backward).
 * </ul>
 * Transposes are 2-D permutes {@code [1, 0]}. A node is absorbed into its reader (and not emitted)
 * only when that is its only reader and nothing else needs it as a tensor ({@code pinned}: saved
 * for backward, returned, the output, read by a side effect).
 */
public final class Fusions {
  /**
   * One fused call replacing the node that computes its value.
   *
   * @param kernel the {@code Kernels} method: {@code matmul}, {@code matmulNT}, {@code matmulTN}, {@code mulSign}
   * @param inputs its tensor arguments
   */
  record Call(String kernel, List<Value> inputs) {}

  private final Map<Value, Call> calls = new HashMap<>();
  private final Set<Value> absorbed = new HashSet<>();

  private Fusions() {}

  /** The fused calls of a forward pass whose backward reads {@code saved}. */
  static Fusions forward(Graph forward, List<Value> saved) {
    Set<Value> pinned = new HashSet<>(saved);
    pinned.add(forward.output());
    forward.effects().forEach(e -> pinned.addAll(e.args()));
    forward.leaves().forEach(l -> pinned.addAll(l.args()));
    return plan(forward.nodes(), pinned);
  }

  /** The fused calls of a backward pass. */
  static Fusions backward(Differentiate.Backward backward) {
    Set<Value> pinned = new HashSet<>();
    backward.leafGrads().values().forEach(g -> {
      if (g != null) {
        pinned.add(g);
      }
    });
    return plan(backward.nodes(), pinned);
  }

  /** The fused calls among {@code nodes}; {@code pinned} values are needed as tensors outside them. */
  static Fusions plan(List<Node> nodes, Collection<Value> pinned) {
    Fusions f = new Fusions();
    Map<Value, Node> producer = new HashMap<>();
    Map<Value, List<Node>> readers = new HashMap<>();
    for (Node n : nodes) {
      producer.put(n.out(), n);
      for (Value v : new HashSet<>(n.inputs())) {
        readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
      }
    }
    Set<Value> keep = new HashSet<>(pinned);
    // a transposed product: permute(matmul(...)) becomes one product of the swapped operands
    for (Node p : nodes) {
      Node m = isTranspose(p) ? producer.get(p.inputs().get(0)) : null;
      if (m == null || m.op() != Op.MATMUL || !matrices(m) || !onlyReader(m.out(), p, readers, keep)) {
        continue;
      }
      Value a = m.inputs().get(0);
      Value b = m.inputs().get(1);
      Node ta = transposeProducing(a, producer);
      Node tb = transposeProducing(b, producer);
      if (ta != null && tb == null) {
        f.calls.put(p.out(), new Call("matmulTN", List.of(b, source(ta))));          // (aᵀ b)ᵀ = bᵀ a
      } else if (ta == null && tb != null) {
        f.calls.put(p.out(), new Call("matmulNT", List.of(source(tb), a)));          // (a bᵀ)ᵀ = b aᵀ
      } else if (ta != null) {
        f.calls.put(p.out(), new Call("matmul", List.of(source(tb), source(ta))));   // (aᵀ bᵀ)ᵀ = b a
      } else {
        continue;
      }
      f.absorbed.add(m.out());
    }
    // a weight's gradient through a Linear over [B, T, K]: sumTo(xᵀ @ d, [K, N]) summed over the batch
    // dims is one product over all B·T rows, xᵀ d (and its transpose (xᵀ d)ᵀ = dᵀ x)
    for (Node sum : nodes) {
      if (sum.op() != Op.SUM_TO || sum.out().type().rank() != 2 || f.absorbed.contains(sum.out())) {
        continue;
      }
      Node m = producer.get(sum.inputs().get(0));
      if (m == null || m.op() != Op.MATMUL || !onlyReader(m.out(), sum, readers, keep) || f.calls.containsKey(m.out())) {
        continue;
      }
      Node t = producer.get(m.inputs().get(0));
      Value d = m.inputs().get(1);
      if (!isBatchedTranspose(t) || !sameLeadingDims(source(t), d)
          || !sum.out().type().dims().equals(lastTwo(m.out()))) {
        continue;
      }
      Value x = source(t);
      List<Node> sumReaders = readers.getOrDefault(sum.out(), List.of());
      Node p = sumReaders.size() == 1 && !keep.contains(sum.out()) && isTranspose(sumReaders.get(0)) ? sumReaders.get(0) : null;
      if (p != null) {
        f.calls.put(p.out(), new Call("matmulTN", List.of(d, x)));   // (xᵀ d)ᵀ = dᵀ x, in the weight's layout
        f.absorbed.add(sum.out());
      } else {
        f.calls.put(sum.out(), new Call("matmulTN", List.of(x, d)));
      }
      f.absorbed.add(m.out());
    }
    // a product with one transposed operand (a Linear: x @ wᵀ, x of any rank)
    for (Node m : nodes) {
      if (m.op() != Op.MATMUL || f.absorbed.contains(m.out()) || f.calls.containsKey(m.out())
          || !(matrices(m) || rowsTimesMatrix(m))) {
        continue;
      }
      Node ta = transposeProducing(m.inputs().get(0), producer);
      Node tb = transposeProducing(m.inputs().get(1), producer);
      if (tb != null && ta == null) {
        f.calls.put(m.out(), new Call("matmulNT", List.of(m.inputs().get(0), source(tb))));
      } else if (ta != null && tb == null) {
        f.calls.put(m.out(), new Call("matmulTN", List.of(source(ta), m.inputs().get(1))));
      }
    }
    // ReLU's backward: d * sign(y)
    for (Node m : nodes) {
      if (m.op() != Op.MUL) {
        continue;
      }
      for (int side = 0; side < 2; side++) {
        Node s = producer.get(m.inputs().get(side));
        Value d = m.inputs().get(1 - side);
        if (s != null && s.op() == Op.SIGN && onlyReader(s.out(), m, readers, keep) && !d.equals(s.out()) && d.type().rank() > 0
            && Arrays.equals(d.type().shape(), s.inputs().get(0).type().shape())) {
          f.calls.put(m.out(), new Call("mulSign", List.of(d, s.inputs().get(0))));
          f.absorbed.add(s.out());
          break;
        }
      }
    }
    // transposes that nothing emitted reads any more (last first, for a transpose of a transpose)
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node p = nodes.get(i);
      if (!(isTranspose(p) || isBatchedTranspose(p)) || keep.contains(p.out())) {
        continue;
      }
      boolean read = false;
      for (Node r : readers.getOrDefault(p.out(), List.of())) {
        Call c = f.calls.get(r.out());
        read |= !f.absorbed.contains(r.out()) && (c == null ? r.inputs() : c.inputs()).contains(p.out());
      }
      if (!read) {
        f.absorbed.add(p.out());
      }
    }
    return f;
  }

  /** Whether {@code v} is computed by a fused call instead of its node's kernel. */
  Call call(Value v) {
    return calls.get(v);
  }

  /** Whether {@code v}'s node is not emitted: a fused call of a later node computes what it was for. */
  boolean absorbed(Value v) {
    return absorbed.contains(v);
  }

  private static boolean isTranspose(Node p) {
    return p != null && p.op() == Op.PERMUTE && p.out().type().rank() == 2
        && Arrays.equals((int[]) p.attrs().get(Attrs.PERM), new int[] {1, 0});
  }

  /** The transpose node computing {@code v}, or null. */
  private static Node transposeProducing(Value v, Map<Value, Node> producer) {
    Node p = producer.get(v);
    return isTranspose(p) ? p : null;
  }

  private static Value source(Node transpose) {
    return transpose.inputs().get(0);
  }

  private static boolean onlyReader(Value v, Node reader, Map<Value, List<Node>> readers, Set<Value> keep) {
    List<Node> rs = readers.getOrDefault(v, List.of());
    return !keep.contains(v) && rs.size() == 1 && rs.get(0) == reader;
  }

  /** A permute that swaps the last two of three or more dims (xᵀ of a batch of matrices). */
  private static boolean isBatchedTranspose(Node p) {
    if (p == null || p.op() != Op.PERMUTE || p.out().type().rank() < 3) {
      return false;
    }
    int[] perm = (int[]) p.attrs().get(Attrs.PERM);
    int r = perm.length;
    for (int d = 0; d < r - 2; d++) {
      if (perm[d] != d) {
        return false;
      }
    }
    return perm[r - 2] == r - 1 && perm[r - 1] == r - 2;
  }

  /** Whether {@code a} and {@code b} have one rank and the same dims but the last. */
  private static boolean sameLeadingDims(Value a, Value b) {
    List<dev.flint.processor.ir.Dim> da = a.type().dims();
    List<dev.flint.processor.ir.Dim> db = b.type().dims();
    return da.size() == db.size() && da.subList(0, da.size() - 1).equals(db.subList(0, db.size() - 1));
  }

  private static List<dev.flint.processor.ir.Dim> lastTwo(Value v) {
    List<dev.flint.processor.ir.Dim> d = v.type().dims();
    return d.subList(d.size() - 2, d.size());
  }

  /** {@code [..., n, k] @ [k, m]}: a product whose rows Kernels.matmulNT flattens. */
  private static boolean rowsTimesMatrix(Node m) {
    return m.inputs().get(0).type().rank() > 2 && m.inputs().get(1).type().rank() == 2;
  }

  private static boolean matrices(Node m) {
    return m.inputs().get(0).type().rank() == 2 && m.inputs().get(1).type().rank() == 2;
  }
}

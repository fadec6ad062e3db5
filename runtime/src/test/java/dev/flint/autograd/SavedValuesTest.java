package dev.flint.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.flint.tensor.GradFn;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Note [Saved values]: an eager node keeps only the inputs and output its derivative rule reads (the
 * row's Signature.saves), so a long recurrent graph no longer holds every intermediate sum.
 */
class SavedValuesTest {

  @Test
  void anAddNodeKeepsNeitherOperandButStillReachesTheirProducers() {
    Tensor x = Tensor.randn(64, 64).requiresGrad(true);
    Tensor a = x.mul(2.0);
    Tensor b = x.mul(3.0);
    Tensor c = a.add(b);
    Tensor[] kept = c.gradFn().inputs();
    assertEquals(1, kept[0].storage().size(), "a stand-in, not a's 4096 elements");
    assertEquals(1, kept[1].storage().size());
    assertSame(a.gradFn(), kept[0].gradFn(), "the engine still reaches a's producer");
    assertArrayEquals(a.shape(), kept[0].shape());
    c.sum().backward();
    assertArrayEquals(Tensor.full(5.0, 64, 64).toDoubleArray(), x.grad().toDoubleArray(), 0);
  }

  @Test
  void aMulNodeKeepsBothOperandsItsRuleReads() {
    Tensor x = Tensor.randn(8).requiresGrad(true);
    Tensor a = x.mul(2.0);
    Tensor b = x.exp();
    Tensor c = a.mul(b);
    assertSame(a, c.gradFn().inputs()[0]);
    assertSame(b, c.gradFn().inputs()[1]);
  }

  /**
   * A recurrent loop {@code h = tanh(h * w + x_t)} over T steps of n elements: the graph holds the
   * T + 1 hidden states (mul reads h, tanh its output) and w, (T + 2)·n elements; when every node kept
   * its inputs and output, as before the signatures, it also held the T products h * w, the T sums and
   * the T inputs x_t: (4T + 2)·n. For T = 50 and n = 1024: 53,248 elements against 206,848.
   */
  @Test
  void aRecurrentGraphHoldsOnlyTheHiddenStatesAndTheWeight() {
    int steps = 50;
    int n = 1024;
    Tensor w = Tensor.randn(n).requiresGrad(true);
    Tensor h = Tensor.zeros(n);
    Set<Storage> everyOperand = Collections.newSetFromMap(new IdentityHashMap<>());   // what nodes kept before
    everyOperand.add(h.storage());
    everyOperand.add(w.storage());
    for (int t = 0; t < steps; t++) {
      Tensor x = Tensor.randn(n);
      Tensor product = h.mul(w);
      Tensor sum = product.add(x);
      h = sum.tanh();
      everyOperand.addAll(List.of(x.storage(), product.storage(), sum.storage(), h.storage()));
    }
    assertEquals((long) (4 * steps + 2) * n, elements(everyOperand));
    assertEquals((long) (steps + 2) * n, heldElements(h));
    h.sum().backward();
    assertEquals(n, w.grad().numel());
  }

  /** The elements of the distinct storages that the graph behind {@code root} keeps alive. */
  private static long heldElements(Tensor root) {
    Set<Storage> storages = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<GradFn> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<GradFn> work = new ArrayDeque<>();
    work.add(root.gradFn());
    while (!work.isEmpty()) {
      OpNode node = (OpNode) work.pop();
      if (!seen.add(node)) {
        continue;
      }
      for (Tensor t : node.inputs()) {
        if (t != null && t.storage().size() > 1) {
          storages.add(t.storage());
        }
        if (t != null && t.gradFn() != null) {
          work.add(t.gradFn());
        }
      }
      if (node.savedOutput() != null) {
        storages.add(node.savedOutput().storage());
      }
    }
    return elements(storages);
  }

  private static long elements(Set<Storage> storages) {
    long total = 0;
    for (Storage s : storages) {
      total += s.size();
    }
    return total;
  }
}

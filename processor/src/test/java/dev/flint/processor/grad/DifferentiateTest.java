package dev.flint.processor.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.TestModels;
import dev.flint.processor.check.ShapeInference;
import dev.flint.processor.check.WellFormed;
import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.GraphBuilder;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DifferentiateTest {

  @Test
  void mulOfAValueWithItselfSumsBothContributions() {
    GraphBuilder b = new GraphBuilder(new ShapeInference());
    Value x = b.leaf(Leaf.Role.INPUT, "x", TensorType.floating(3), "x", "");
    Value y = b.op(Op.MUL, List.of(x, x), Attrs.NONE, "y", "", SourceRef.none());
    Differentiate.Backward back = new Differentiate().run(b.build(y));
    // d(x*x)/dx = g*x + g*x: two products and their sum, all from MUL's rule
    assertEquals(List.of(Op.MUL, Op.MUL, Op.ADD), back.nodes().stream().map(Node::op).toList());
    Value dx = back.leafGrads().get(x);
    assertEquals(back.nodes().get(2).out(), dx);
    assertEquals(List.of(back.seed(), x), back.nodes().get(0).inputs());
  }

  @Test
  void mlpBackwardGivesEachParameterAGradientOfItsShape() {
    Graph g = new Lowering(TestModels.mlp(10, 20, 20, 5), true, new Diagnostics()).lower();
    Differentiate.Backward back = new Differentiate().run(g);
    assertEquals(5, back.leafGrads().size());
    back.leafGrads().forEach((leaf, grad) -> {
      assertNotNull(grad, "gradient of " + leaf);
      assertArrayEquals(leaf.type().shape(), grad.type().shape(), "gradient of " + leaf);
    });
    Set<Value> outer = new HashSet<>();
    g.leaves().forEach(l -> outer.add(l.value()));
    g.nodes().forEach(n -> outer.add(n.out()));
    outer.add(back.seed());
    assertEquals(List.of(), WellFormed.problems(new Graph(List.of(), back.nodes(), List.of(), null), outer));
    // ReLU's rule reads its output, so relu(fc1(x)) is among the values the backward pass reads
    assertTrue(back.nodes().stream().anyMatch(n -> n.op() == Op.SIGN && n.inputs().get(0).hint().equals("h")));
  }

  @Test
  void nonDifferentiableInputsGetNoGradient() {
    GraphBuilder b = new GraphBuilder(new ShapeInference());
    Value x = b.leaf(Leaf.Role.INPUT, "x", TensorType.floating(3), "x", "");
    Value mask = b.leaf(Leaf.Role.COMPUTED, "mask()", TensorType.floating(3), "mask", "");
    Value y = b.op(Op.MUL, List.of(x, mask), Attrs.NONE, "y", "", SourceRef.none());
    Differentiate.Backward back = new Differentiate().run(b.build(y));
    assertEquals(Set.of(x), back.leafGrads().keySet());
    // MUL's rule writes both products; dead-code elimination keeps only the one for x
    List<Node> kept = new dev.flint.processor.opt.DeadCode(List.of(back.leafGrads().get(x)))
        .run(new Graph(List.of(), back.nodes(), List.of(), null)).nodes();
    assertEquals(1, kept.size());
    assertEquals(List.of(back.seed(), mask), kept.get(0).inputs());
  }

  @Test
  void aSplitsGradientIsOneConcatenationOfItsPartsGradients() {
    GraphBuilder b = new GraphBuilder(new ShapeInference());
    Value x = b.leaf(Leaf.Role.INPUT, "x", TensorType.floating(2, 9), "x", "");
    Value q = b.op(Op.NARROW, List.of(x), Attrs.of(Attrs.DIM, 1, Attrs.START, 0, Attrs.LENGTH, 3), "q", "", SourceRef.none());
    Value k = b.op(Op.NARROW, List.of(x), Attrs.of(Attrs.DIM, 1, Attrs.START, 3, Attrs.LENGTH, 3), "k", "", SourceRef.none());
    Value v = b.op(Op.NARROW, List.of(x), Attrs.of(Attrs.DIM, 1, Attrs.START, 6, Attrs.LENGTH, 3), "v", "", SourceRef.none());
    Value qk = b.op(Op.MUL, List.of(q, k), Attrs.NONE, "qk", "", SourceRef.none());
    Value y = b.op(Op.MUL, List.of(qk, v), Attrs.NONE, "y", "", SourceRef.none());
    Differentiate.Backward back = new Differentiate().run(b.build(y));
    Value dx = back.leafGrads().get(x);
    List<Node> kept = new dev.flint.processor.opt.DeadCode(List.of(dx))
        .run(new Graph(List.of(), back.nodes(), List.of(), null)).nodes();
    // dx = [dq, dk, dv] along dim 1, written once: no zero padding to the whole width, no sums of them
    Node cat = kept.get(kept.size() - 1);
    assertEquals(Op.CAT, cat.op());
    assertEquals(dx, cat.out());
    assertEquals(1, cat.attrs().integer(Attrs.DIM));
    assertEquals(List.of(back.grads().get(q), back.grads().get(k), back.grads().get(v)), cat.inputs());
    assertTrue(kept.stream().noneMatch(n -> n.op() == Op.PAD || n.op() == Op.ADD), kept.toString());
    assertArrayEquals(new int[] {2, 9}, dx.type().shape());
  }

  @Test
  void partsThatDoNotMeetAreStillPaddedAndAdded() {
    GraphBuilder b = new GraphBuilder(new ShapeInference());
    Value x = b.leaf(Leaf.Role.INPUT, "x", TensorType.floating(2, 9), "x", "");
    Value q = b.op(Op.NARROW, List.of(x), Attrs.of(Attrs.DIM, 1, Attrs.START, 0, Attrs.LENGTH, 3), "q", "", SourceRef.none());
    Value v = b.op(Op.NARROW, List.of(x), Attrs.of(Attrs.DIM, 1, Attrs.START, 6, Attrs.LENGTH, 3), "v", "", SourceRef.none());
    Value y = b.op(Op.MUL, List.of(q, v), Attrs.NONE, "y", "", SourceRef.none());
    Differentiate.Backward back = new Differentiate().run(b.build(y));
    List<Node> kept = new dev.flint.processor.opt.DeadCode(List.of(back.leafGrads().get(x)))
        .run(new Graph(List.of(), back.nodes(), List.of(), null)).nodes();
    List<Op> ops = kept.stream().map(Node::op).toList();
    assertEquals(2, ops.stream().filter(o -> o == Op.PAD).count(), ops.toString());
    assertEquals(Op.ADD, ops.get(ops.size() - 1), ops.toString());
    assertTrue(!ops.contains(Op.CAT), ops.toString());
  }
}

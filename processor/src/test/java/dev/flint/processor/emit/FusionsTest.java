package dev.flint.processor.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.check.ShapeInference;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.GraphBuilder;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which nodes Fusions replaces by one kernel call, and when it must leave them alone. */
class FusionsTest {
  private final GraphBuilder b = new GraphBuilder(new ShapeInference());

  private Value transpose(Value v) {
    return b.op(Op.PERMUTE, List.of(v), Attrs.of(Attrs.PERM, new int[] {1, 0}), "t", "", SourceRef.none());
  }

  private Value op(Op op, Value... in) {
    return b.op(op, List.of(in), Attrs.NONE, "t", "", SourceRef.none());
  }

  @Test
  void aLinearsProductTakesTheWeightUntransposed() {
    Value x = b.leaf(Leaf.Role.INPUT, "x", TensorType.floating(4, 3), "x", "");
    Value w = b.leaf(Leaf.Role.PARAM, "w", TensorType.floating(5, 3), "w", "");
    Value wt = transpose(w);
    Value y = op(Op.MATMUL, x, wt);
    Graph g = b.build(y);
    Fusions f = Fusions.plan(g.nodes(), Set.of(y));
    assertEquals(new Fusions.Call("matmulNT", List.of(x, w)), f.call(y));
    assertTrue(f.absorbed(wt));
    assertFalse(f.absorbed(y));
  }

  @Test
  void aWeightGradientIsOneProductInTheWeightsLayout() {
    // dW = (hᵀ d)ᵀ = dᵀ h
    Value h = b.leaf(Leaf.Role.INPUT, "h", TensorType.floating(8, 3), "h", "");
    Value d = b.leaf(Leaf.Role.INPUT, "d", TensorType.floating(8, 5), "d", "");
    Value ht = transpose(h);
    Value p = op(Op.MATMUL, ht, d);
    Value dw = transpose(p);
    Graph g = b.build(dw);
    Fusions f = Fusions.plan(g.nodes(), Set.of(dw));
    assertEquals(new Fusions.Call("matmulTN", List.of(d, h)), f.call(dw));
    assertTrue(f.absorbed(p) && f.absorbed(ht));
    assertNull(f.call(p));
  }

  @Test
  void valuesNeededElsewhereStay() {
    Value h = b.leaf(Leaf.Role.INPUT, "h", TensorType.floating(8, 3), "h", "");
    Value d = b.leaf(Leaf.Role.INPUT, "d", TensorType.floating(8, 5), "d", "");
    Value ht = transpose(h);
    Value p = op(Op.MATMUL, ht, d);
    Value dw = transpose(p);
    Value again = op(Op.MATMUL, ht, d);   // ht read by another product, which folds it too
    Graph g = b.build(dw);
    // p is saved (pinned): the transposed product is not folded, but p itself takes hᵀ untransposed
    Fusions f = Fusions.plan(g.nodes(), Set.of(dw, p, again));
    assertNull(f.call(dw));
    assertFalse(f.absorbed(p));
    assertEquals(new Fusions.Call("matmulTN", List.of(h, d)), f.call(p));
    assertTrue(f.absorbed(ht), "both products read h itself now");
    // a pinned transpose is computed even when no product reads it
    Fusions pinned = Fusions.plan(g.nodes(), Set.of(dw, ht, again));
    assertFalse(pinned.absorbed(ht));
  }

  @Test
  void reluBackwardIsOneMulSign() {
    Value y = b.leaf(Leaf.Role.INPUT, "y", TensorType.floating(4, 6), "y", "");
    Value d = b.leaf(Leaf.Role.INPUT, "d", TensorType.floating(4, 6), "d", "");
    Value s = op(Op.SIGN, y);
    Value dx = op(Op.MUL, d, s);
    Graph g = b.build(dx);
    Fusions f = Fusions.plan(g.nodes(), Set.of(dx));
    assertEquals(new Fusions.Call("mulSign", List.of(d, y)), f.call(dx));
    assertTrue(f.absorbed(s));
    // a broadcast operand, a sign read twice, or a sign needed elsewhere keep the two kernels
    Value row = b.leaf(Leaf.Role.INPUT, "r", TensorType.floating(6), "r", "");
    Value s2 = op(Op.SIGN, y);
    Value broadcast = op(Op.MUL, row, s2);
    Value s3 = op(Op.SIGN, y);
    Value square = op(Op.MUL, s3, s3);
    Graph g2 = b.build(square);
    Fusions f2 = Fusions.plan(g2.nodes(), Set.of(broadcast, square));
    assertNull(f2.call(broadcast));
    assertNull(f2.call(square));
    assertFalse(f2.absorbed(s2) || f2.absorbed(s3));
    assertNull(Fusions.plan(g.nodes(), Set.of(dx, s)).call(dx), "a pinned sign stays");
  }
}

package dev.flint.processor.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.TestModels;
import dev.flint.processor.check.ShapeInference;
import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.GraphBuilder;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InPlaceTest {
  @Test
  void biasAndReluOfALinearReuseTheProductsBuffer() {
    Graph g = new Lowering(TestModels.mlp(10, 20, 20, 5), true, new Diagnostics()).lower();
    Map<Integer, Value> plan = InPlace.plan(g, List.of());
    // fc1: add into matmul, relu into add; fc2: add into matmul
    assertEquals(3, plan.size());
    assertEquals("h", g.nodes().get(3).out().hint());
    assertEquals(g.nodes().get(2).out(), plan.get(g.nodes().get(3).out().id()));
  }

  @Test
  void aValueThatBackwardReadsOrAnotherNodeReadsKeepsItsBuffer() {
    GraphBuilder b = new GraphBuilder(new ShapeInference());
    Value x = b.leaf(Leaf.Role.INPUT, "x", TensorType.floating(2, 3), "x", "");
    Value w = b.leaf(Leaf.Role.PARAM, "w", TensorType.floating(3, 3), "w", "");
    Value p = b.op(Op.MATMUL, List.of(x, w), Attrs.NONE, "p", "", SourceRef.none());
    Value r = b.op(Op.RELU, List.of(p), Attrs.NONE, "r", "", SourceRef.none());
    Value s = b.op(Op.ADD, List.of(r, p), Attrs.NONE, "s", "", SourceRef.none());
    Graph g = b.build(s);
    assertTrue(InPlace.plan(g, List.of()).isEmpty(), "p has two readers, and s adds a non-parameter");
    Graph reluOnly = new Graph(g.leaves(), g.nodes().subList(0, 2), List.of(), r);
    assertEquals(1, InPlace.plan(reluOnly, List.of()).size());
    assertTrue(InPlace.plan(reluOnly, List.of(p)).isEmpty(), "p is saved for backward");
  }
}

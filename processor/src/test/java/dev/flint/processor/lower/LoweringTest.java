package dev.flint.processor.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.ops.Op;
import dev.flint.processor.TestModels;
import dev.flint.processor.check.WellFormed;
import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Dim;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoweringTest {
  private static final int B = Dim.symbol(Dim.BATCH).code();

  @Test
  void mlpLowersToLinearMathWithTheUsersNames() {
    Diagnostics diags = new Diagnostics();
    Graph g = new Lowering(TestModels.mlp(10, 20, 20, 5), true, diags).lower();
    assertNotNull(g, diags.entries().toString());
    List<Op> ops = g.nodes().stream().map(Node::op).toList();
    assertEquals(List.of(Op.PERMUTE, Op.MATMUL, Op.ADD, Op.RELU, Op.PERMUTE, Op.MATMUL, Op.ADD), ops);
    assertArrayEquals(new int[] {B, 5}, g.output().type().shape());
    assertEquals("h", g.nodes().get(3).out().hint());
    assertEquals("out", g.output().hint());
    assertEquals(List.of("x", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"),
        g.leaves().stream().map(Leaf::access).toList());
    assertEquals("fc1: Linear 10→20", g.nodes().get(2).out().origin());
    assertEquals(List.of(), WellFormed.problems(g, Set.of()));
  }

  @Test
  void linearFedTheWrongWidthNamesBothLayersAndShapes() {
    Diagnostics diags = new Diagnostics();
    Graph g = new Lowering(TestModels.mlp(10, 20, 30, 5), true, diags).lower();
    assertNull(g);
    assertEquals(1, diags.entries().size());
    Diagnostics.Entry e = diags.entries().get(0);
    assertEquals(Message.SHAPE_MISMATCH, e.message());
    assertEquals("[shape-mismatch] fc2 (Linear 30→5) expects last dim 30, but h has shape [B, 20] (from fc1: Linear 10→20)",
        e.text());
    assertEquals(11, e.where().line());
  }

  @Test
  void inputShapeComesFromTheFirstLinearOrTheAnnotation() {
    Graph g = new Lowering(TestModels.model(
        List.of(TestModels.field("fc", TestModels.layer("Linear", 12, 3))), List.of("12"),
        new dev.flint.processor.parse.Ast.Return(TestModels.call("fc", TestModels.name("x"), 10), TestModels.at(10, "return fc.forward(x);"))),
        false, new Diagnostics()).lower();
    assertArrayEquals(new int[] {B, 12}, g.leaves().get(0).value().type().shape());
  }
}

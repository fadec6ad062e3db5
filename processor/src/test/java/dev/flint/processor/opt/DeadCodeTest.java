package dev.flint.processor.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.check.ShapeInference;
import dev.flint.processor.check.WellFormed;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.GraphBuilder;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadCodeTest {
  @Test
  void dropsWhatNothingReadsAndKeepsSideEffectInputs() {
    GraphBuilder b = new GraphBuilder(new ShapeInference());
    Value x = b.leaf(Leaf.Role.INPUT, "x", TensorType.floating(2, 3), "x", "");
    Value unused = b.op(Op.EXP, List.of(x), Attrs.NONE, "unused", "", SourceRef.none());
    Value stat = b.op(Op.SUM, List.of(x), Attrs.of(Attrs.DIMS, new int[] {0}, Attrs.KEEP_DIM, false), "stat", "", SourceRef.none());
    b.effect("record(%s);", List.of(stat), SourceRef.none());
    Value y = b.op(Op.RELU, List.of(x), Attrs.NONE, "y", "", SourceRef.none());
    Graph g = new DeadCode().run(b.build(y));
    assertEquals(List.of("stat", "y"), g.nodes().stream().map(Node::out).map(Value::hint).toList());
    assertEquals(List.of(), WellFormed.problems(g, Set.of()));
    assertEquals(3, b.build(y).nodes().size(), "the input graph is unchanged: " + unused);
  }
}

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

class CommonSubexpressionsTest {
  @Test
  void aWeightTransposedTwiceIsTransposedOnce() {
    GraphBuilder b = new GraphBuilder(new ShapeInference());
    Value x = b.leaf(Leaf.Role.INPUT, "x", TensorType.floating(3, 3), "x", "");
    Value w = b.leaf(Leaf.Role.PARAM, "w", TensorType.floating(3, 3), "w", "");
    Attrs t = Attrs.of(Attrs.PERM, new int[] {1, 0});
    Value wt1 = b.op(Op.PERMUTE, List.of(w), t, "t", "", SourceRef.none());
    Value h = b.op(Op.MATMUL, List.of(x, wt1), Attrs.NONE, "h", "", SourceRef.none());
    Value wt2 = b.op(Op.PERMUTE, List.of(w), t, "t", "", SourceRef.none());
    Value y = b.op(Op.MATMUL, List.of(h, wt2), Attrs.NONE, "y", "", SourceRef.none());
    Value other = b.op(Op.PERMUTE, List.of(w), Attrs.of(Attrs.PERM, new int[] {0, 1}), "t", "", SourceRef.none());
    Value z = b.op(Op.ADD, List.of(y, other), Attrs.NONE, "z", "", SourceRef.none());
    Graph g = new CommonSubexpressions().run(b.build(z));
    assertEquals(List.of(Op.PERMUTE, Op.MATMUL, Op.MATMUL, Op.PERMUTE, Op.ADD), g.nodes().stream().map(Node::op).toList());
    assertEquals(List.of(h, wt1), g.nodes().get(2).inputs());
    assertEquals(List.of(), WellFormed.problems(g, Set.of()));
  }
}

package dev.flint.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Shape rules without tensors, as the processor uses them. */
class ShapesTest {

  private static int[] s(int... d) {
    return d;
  }

  @Test
  void broadcasting() {
    assertArrayEquals(s(3, 2, 3), Shapes.broadcast("add", s(3, 1, 3), s(2, 1)));
    assertArrayEquals(s(2, 0), Shapes.broadcast("add", s(2, 1), s(0)));
    assertArrayEquals(s(), Shapes.broadcast("add", s(), s()));
    ShapeError e = assertThrows(ShapeError.class, () -> Shapes.broadcast("where", List.of(s(2), s(3), s(2)), Attrs.NONE));
    assertEquals("where: shapes [2], [3] and [2] cannot be broadcast (dimension 0 of the result: sizes must be equal "
        + "or 1)", e.getMessage());
  }

  @Test
  void matmulRule() {
    assertArrayEquals(s(5, 2, 7), Shapes.matmul("matmul", List.of(s(5, 2, 3), s(3, 7)), Attrs.NONE));
    ShapeError e = assertThrows(ShapeError.class, () -> Shapes.matmul("matmul", List.of(s(32, 128), s(100, 10)), Attrs.NONE));
    assertEquals("matmul: [32, 128] @ [100, 10]: inner dimensions 128 != 100", e.getMessage());
  }

  @Test
  void reductionAndViewRules() {
    assertArrayEquals(s(2), Op.SUM.inferShape(List.of(s(2, 3)), Attrs.of(Attrs.DIMS, s(-1), Attrs.KEEP_DIM, false)));
    assertArrayEquals(s(1, 3), Op.SUM.inferShape(List.of(s(2, 3)), Attrs.of(Attrs.DIMS, s(0), Attrs.KEEP_DIM, true)));
    assertArrayEquals(s(3, 2), Op.RESHAPE.inferShape(List.of(s(2, 3)), Attrs.of(Attrs.SHAPE, s(-1, 2))));
    assertArrayEquals(s(4, 2, 3), Op.EXPAND.inferShape(List.of(s(2, 1)), Attrs.of(Attrs.SHAPE, s(4, -1, 3))));
    ShapeError ex = assertThrows(ShapeError.class,
        () -> Op.EXPAND.inferShape(List.of(s(2, 3)), Attrs.of(Attrs.SHAPE, s(2, 4))));
    assertEquals("expand: shape [2, 3] cannot be expanded to [2, 4]: size 3 at dimension 1 must be 1 or equal 4",
        ex.getMessage());
    ShapeError p = assertThrows(ShapeError.class,
        () -> Op.PERMUTE.inferShape(List.of(s(2, 3)), Attrs.of(Attrs.PERM, s(0, 0))));
    assertEquals("permute: dim 0 appears twice in the permutation [0, 0]", p.getMessage());
    ShapeError n = assertThrows(ShapeError.class,
        () -> Op.NARROW.inferShape(List.of(s(2, 3)), Attrs.of(Attrs.DIM, 1, Attrs.START, 2, Attrs.LENGTH, 2)));
    assertEquals("narrow: start (2) + length (2) exceeds dimension size (3) of dim 1 of shape [2, 3]", n.getMessage());
    ShapeError d = assertThrows(ShapeError.class,
        () -> Op.SOFTMAX.inferShape(List.of(s(2, 3)), Attrs.of(Attrs.DIM, 2)));
    assertEquals("softmax: dimension out of range (expected to be in range of [-2, 1], but got 2)", d.getMessage());
  }

  @Test
  void arityIsChecked() {
    ShapeError e = assertThrows(ShapeError.class, () -> Op.ADD.inferShape(List.of(s(2)), Attrs.NONE));
    assertEquals("add: expected 2 inputs, but got 1", e.getMessage());
  }
}

package dev.flint.processor.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.ops.ShapeError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DimTest {
  private static final Dim B = Dim.symbol("B");
  private static final Dim T = Dim.symbol("T");

  private static Dim c(long v) {
    return Dim.constant(v);
  }

  @Test
  void polynomialsPrintAsUsersReadThem() {
    assertEquals("784", c(784).toString());
    assertEquals("B", B.toString());
    assertEquals("B*16", B.times(c(16)).toString());
    assertEquals("B*T", T.times(B).toString());
    assertEquals("B * T * 16", T.times(c(16)).times(B).java());
    assertEquals("T+2", T.plus(c(2)).toString());
    assertEquals("T - 1", T.minus(c(1)).java());
    assertEquals("-T*3+2", c(2).minus(T.times(c(3))).toString());
    assertEquals("-1", c(-1).toString());
  }

  @Test
  void largerForLargeSizesComparesTheLeadingTerms() {
    assertTrue(B.times(c(20)).atLeastForLargeSizes(c(20)), "a batch of 20 rows outgrows a vector of 20");
    assertTrue(B.times(T).atLeastForLargeSizes(B.times(c(1000))));
    assertTrue(c(20).atLeastForLargeSizes(c(20)));
    assertTrue(!c(19).atLeastForLargeSizes(c(20)));
    assertTrue(!B.atLeastForLargeSizes(B.times(c(2))));
  }

  @Test
  void equalPolynomialsShareOneCodeAndConstantsAreTheirOwnCode() {
    assertEquals(B.times(T).code(), T.times(B).code());
    assertEquals(B.times(T), Dim.of(B.times(T).code()));
    assertEquals(784, c(784).code());
    assertTrue(B.code() >= dev.flint.ops.DimAlgebra.SYMBOLIC);
    assertEquals(c(3), T.plus(c(3)).minus(T));
  }

  @Test
  void divisionIsExactOrRefused() {
    assertEquals(B.times(c(8)), B.times(T).times(c(64)).dividedBy(T.times(c(8))));
    assertNull(B.times(c(6)).dividedBy(c(4)));
    assertNull(B.dividedBy(T));
    assertEquals(c(1), B.plus(T).dividedBy(B.plus(T)));
  }

  @Test
  void substitutionAndReciprocalScalars() {
    assertEquals(T.times(c(5)), B.times(T).times(c(5)).substitute(Map.of("B", 1L)));
    Dim bt = B.times(T);
    assertEquals(bt, Dim.reciprocalOf(bt.reciprocal()));
    assertEquals(0.25, c(4).reciprocal());
    assertNull(Dim.reciprocalOf(0.25));
  }

  /** The op table's own rules, over symbolic sizes: the same code that checks eager shapes. */
  @Test
  void theOpTablesRulesRunOverSymbols() {
    int b = B.code();
    int t = T.code();
    assertArrayEquals(new int[] {b, t, 10},
        Op.MATMUL.inferShape(SymbolicDims.INSTANCE, List.of(new int[] {b, t, 64}, new int[] {64, 10}), Attrs.NONE));
    assertArrayEquals(new int[] {B.times(T).code(), 64},
        Op.RESHAPE.inferShape(SymbolicDims.INSTANCE, List.of(new int[] {b, t, 64}), Attrs.of(Attrs.SHAPE, new int[] {-1, 64})));
    assertArrayEquals(new int[] {b, T.times(c(2)).code()},
        Op.CAT.inferShape(SymbolicDims.INSTANCE, List.of(new int[] {b, t}, new int[] {b, t}), Attrs.of(Attrs.DIM, 1)));
    ShapeError e = assertThrows(ShapeError.class, () -> Op.MATMUL.inferShape(SymbolicDims.INSTANCE,
        List.of(new int[] {b, t, 64}, new int[] {128, 10}), Attrs.NONE));
    assertEquals("matmul: [B, T, 64] @ [128, 10]: inner dimensions 64 != 128", e.getMessage());
    ShapeError broadcast = assertThrows(ShapeError.class, () -> Op.ADD.inferShape(SymbolicDims.INSTANCE,
        List.of(new int[] {b, t}, new int[] {b, b}), Attrs.NONE));
    assertTrue(broadcast.getMessage().contains("[B, T] and [B, B]"), broadcast.getMessage());
  }
}

package dev.flint.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizeExprTest {
  @Test
  void readsTheSizesThatForwardGraphWrites() {
    assertEquals(784L, SizeExpr.parse("784").constantValue());
    assertEquals(-1L, SizeExpr.parse("-1").constantValue());
    assertNull(SizeExpr.parse("B*T").constantValue());
    assertEquals(Map.of(List.of("B", "T"), 16L), SizeExpr.parse("B*T*16").terms());
    assertEquals(Map.of(List.of(), 2L, List.of("T"), 1L), SizeExpr.parse("T+2").terms());
    assertEquals(Map.of(List.of(), -1L, List.of("B", "T"), 1L), SizeExpr.parse("B*T-1").terms());
    assertEquals(SizeExpr.parse("T*B"), SizeExpr.parse("B*T"));
  }

  @Test
  void arithmeticForSliceEnds() {
    SizeExpr end = SizeExpr.parse("T").plus(SizeExpr.constant(-1)).times(2).plus(SizeExpr.constant(1));
    assertEquals(Map.of(List.of(), -1L, List.of("T"), 2L), end.terms());
    assertEquals(SizeExpr.constant(0), SizeExpr.parse("T").plus(SizeExpr.parse("T").times(-1)));
  }

  @Test
  void refusesWhatIsNotASize() {
    assertThrows(IllegalArgumentException.class, () -> SizeExpr.parse("B**T"));
    assertThrows(IllegalArgumentException.class, () -> SizeExpr.parse("1/(B)"));
    assertThrows(IllegalArgumentException.class, () -> SizeExpr.parse(""));
  }
}

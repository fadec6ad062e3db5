package dev.flint.processor.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SymbolicTest {
  @Test
  void sizesEqualInBothRunsAreConstants() {
    assertEquals(0, Symbolic.batchMultiple(784, 784));
    assertEquals("784", Symbolic.size(784, 784));
  }

  @Test
  void sizesThatScaleWithTheStandInBatchAreMultiplesOfB() {
    assertEquals(1, Symbolic.batchMultiple(Symbolic.FIRST, Symbolic.SECOND));
    assertEquals(16, Symbolic.batchMultiple(16 * Symbolic.FIRST, 16 * Symbolic.SECOND));
    assertEquals("B*16", Symbolic.size(16 * Symbolic.FIRST, 16 * Symbolic.SECOND));
    assertEquals("[B, 3, 4]", Symbolic.shape(new int[] {Symbolic.FIRST, 3, 4}));
  }

  @Test
  void aRealSizeEqualToTheStandInIsNotMistakenForTheBatch() {
    assertEquals("[B, 1009]", Symbolic.shape(new int[] {Symbolic.FIRST, 1009}, new int[] {Symbolic.SECOND, 1009}));
  }

  @Test
  void anythingElseIsRefused() {
    assertEquals(-1, Symbolic.batchMultiple(Symbolic.FIRST * Symbolic.FIRST, Symbolic.SECOND * Symbolic.SECOND));
    assertEquals(-1, Symbolic.batchMultiple(Symbolic.FIRST + 1, Symbolic.SECOND + 1));
  }

  @Test
  void meansOverTheBatchAreOneOverAMultipleOfB() {
    assertEquals(0, Symbolic.inverseBatchMultiple(0.25, 0.25));
    assertEquals(8, Symbolic.inverseBatchMultiple(1.0 / (8 * Symbolic.FIRST), 1.0 / (8 * Symbolic.SECOND)));
    assertEquals(-1, Symbolic.inverseBatchMultiple(0.5, 0.25));
  }
}

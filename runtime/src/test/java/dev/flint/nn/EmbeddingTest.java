package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingTest {
  @Test
  void looksUpRowsKeepingTheIndexShape() {
    Embedding e = new Embedding(4, 2);
    e.loadStateDict(Map.of("weight", Tensor.of(new float[][] {{0, 1}, {10, 11}, {20, 21}, {30, 31}})));
    Tensor y = e.forward(Tensor.of(new long[] {3, 0, 1, 3}, 2, 2));
    assertArrayEquals(new int[] {2, 2, 2}, y.shape());
    assertArrayEquals(new float[] {30, 31, 0, 1, 10, 11, 30, 31}, y.toFloatArray());
    assertEquals("Embedding(4, 2)", e.toString());
    assertArrayEquals(new float[] {20, 21}, e.forward(Tensor.of(new int[] {2})).toFloatArray());
  }

  @Test
  void initIsStandardNormal() {
    Generator.seedAll(9);
    float[] w = new Embedding(100, 50).weight.toFloatArray();
    double mean = 0;
    double sq = 0;
    for (float v : w) {
      mean += v / w.length;
      sq += (double) v * v / w.length;
    }
    assertEquals(0, mean, 0.05);
    assertEquals(1, sq - mean * mean, 0.05);
  }

  @Test
  void badIndicesAreClearErrors() {
    Embedding e = new Embedding(4, 2);
    IndexOutOfBoundsException out = assertThrows(IndexOutOfBoundsException.class,
        () -> e.forward(Tensor.of(new long[] {1, 4})));
    assertTrue(out.getMessage().contains("index 4") && out.getMessage().contains("4 rows"), out.getMessage());
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
        () -> e.forward(Tensor.of(new float[] {1})));
    assertTrue(f.getMessage().contains("INT64"), f.getMessage());
  }
}

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

  @Test
  void paddingRowStartsAtZeroAndGetsNoGradientAsPyTorchs() {
    Embedding fresh = new Embedding(5, 3, -1);
    assertEquals(4, fresh.paddingIdx());
    assertArrayEquals(new float[] {0, 0, 0}, fresh.weight.select(0, 4).toFloatArray());
    assertEquals("Embedding(5, 3, padding_idx=4)", fresh.toString());

    Embedding e = new Embedding(6, 3, 1);
    PyTorchFixtures.loadInto(e, "embedding");   // PyTorch's table, with a non-zero padding row
    Map<String, Tensor> io = PyTorchFixtures.io("embedding");
    Tensor y = e.forward(io.get("in.idx"));
    PyTorchFixtures.assertClose(io.get("out.y"), y, 0, "y");
    PyTorchFixtures.loss(io, Map.of("y", y)).backward();
    PyTorchFixtures.assertClose(io.get("grad.weight"), e.weight.grad(), 1e-6, "grad weight");
    assertArrayEquals(new float[] {0, 0, 0}, e.weight.grad().select(0, 1).toFloatArray());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new Embedding(4, 2, 4));
    assertTrue(bad.getMessage().contains("padding_idx") && bad.getMessage().contains("4"), bad.getMessage());
  }
}

package dev.flint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TensorDatasetTest {
  @Test
  void samplesAreRowsOfXAndY() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor y = Tensor.of(new long[] {7, 8, 9});
    TensorDataset ds = new TensorDataset(x, y);
    assertEquals(3, ds.size());
    Sample s = ds.get(1);
    assertArrayEquals(new int[] {2}, s.x().shape());
    assertArrayEquals(new float[] {3, 4}, s.x().toFloatArray());
    assertEquals(0, s.y().dim());
    assertEquals(8L, s.y().getLong());
    assertNull(new TensorDataset(x).get(2).y());
  }

  @Test
  void mismatchedRowsAndBadIndicesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
    assertEquals("TensorDataset: x and y must have the same first dimension (one row per sample), but x has shape [3, 2]"
        + " and y has shape [4]", e.getMessage());
    IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> new TensorDataset(Tensor.zeros(3)).get(3));
    assertEquals("index 3 is out of range for a dataset of 3 samples", oob.getMessage());
  }
}

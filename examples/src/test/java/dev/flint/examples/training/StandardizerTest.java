package dev.flint.examples.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StandardizerTest {
  @Test
  void statisticsComeOnlyFromTheChosenRows() {
    // Rows 0 and 2 are the "training" rows: column 0 has mean 2, std 1; column 1 is constant.
    Tensor x = Tensor.of(new double[][] {{1, 5}, {100, 7}, {3, 5}});
    Standardizer s = Standardizer.fit(x, new int[] {0, 2});
    assertArrayEquals(new double[] {2, 5}, s.mean(), 1e-12);
    assertArrayEquals(new double[] {1, 1}, s.std(), 1e-12); // constant column keeps std 1
    assertArrayEquals(new float[] {-1, 0, 98, 2, 1, 0}, s.transform(x).toFloatArray(), 1e-6f);
    assertEquals(100, s.inverse(0, 98), 1e-12);
  }
}

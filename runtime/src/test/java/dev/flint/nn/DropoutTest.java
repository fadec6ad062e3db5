package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {
  @Test
  void trainingZeroesAboutPAndScalesTheRest() {
    Generator.seedAll(42);
    Dropout d = new Dropout(0.3);
    Tensor x = Tensor.full(2, 100, 100);
    float[] y = d.forward(x).toFloatArray();
    int zeros = 0;
    for (float v : y) {
      if (v == 0) {
        zeros++;
      } else {
        assertEquals(2 / 0.7f, v, 1e-6f);
      }
    }
    // 10000 Bernoulli(0.3) draws: mean 3000, standard deviation ~46.
    assertEquals(3000, zeros, 200);
    // A new mask every call.
    assertTrue(!java.util.Arrays.equals(y, d.forward(x).toFloatArray()));
  }

  @Test
  void evalIsTheIdentity() {
    Dropout d = new Dropout(0.5);
    d.eval();
    Tensor x = Tensor.full(2, 10);
    assertSame(x, d.forward(x));
    assertSame(x, F.dropout(x, 0.9, false));
  }

  @Test
  void seededMasksRepeatAndEdgeProbabilities() {
    Tensor x = Tensor.ones(50);
    Generator.seedAll(7);
    float[] a = F.dropout(x, 0.5, true).toFloatArray();
    Generator.seedAll(7);
    assertArrayEquals(a, F.dropout(x, 0.5, true).toFloatArray());
    assertArrayEquals(new float[50], F.dropout(x, 1, true).toFloatArray());
    assertSame(x, F.dropout(x, 0, true));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    assertTrue(e.getMessage().contains("between 0 and 1"), e.getMessage());
    assertEquals("Dropout(p=0.5, inplace=False)", new Dropout().toString());
  }
}

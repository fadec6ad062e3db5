package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerNormTest {
  @Test
  void normalizesEachRowByHand() {
    LayerNorm ln = new LayerNorm(3);
    ln.to(DType.FLOAT64);
    ln.loadStateDict(Map.of("weight", Tensor.of(new double[] {1, 2, 3}), "bias", Tensor.of(new double[] {0, 0, 1})));
    Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {2, 4, 9}});
    // Row 0: mean 2, biased var 2/3. Row 1: mean 5, var (9 + 1 + 16)/3 = 26/3.
    double s0 = Math.sqrt(2 / 3.0 + 1e-5);
    double s1 = Math.sqrt(26 / 3.0 + 1e-5);
    double[] expected = {-1 / s0, 0, 3 * (1 / s0) + 1, -3 / s1, 2 * (-1 / s1), 3 * (4 / s1) + 1};
    assertArrayEquals(expected, ln.forward(x).toDoubleArray(), 1e-12);
    assertEquals("LayerNorm((3,), eps=1e-05, elementwise_affine=True)", new LayerNorm(3).toString());
  }

  @Test
  void normalizesOverSeveralTrailingDims() {
    LayerNorm ln = new LayerNorm(2, 2);
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 10, 10, 10, 10}, 2, 2, 2);
    double s = Math.sqrt(1.25 + 1e-5);
    assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (-0.5 / s), (float) (0.5 / s), (float) (1.5 / s),
        0, 0, 0, 0}, ln.forward(x).toFloatArray(), 1e-6f);
    assertArrayEquals(new int[] {2, 2}, ln.weight.shape());
  }

  @Test
  void wrongTrailingShapeIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LayerNorm(3).forward(Tensor.zeros(2, 4)));
    assertTrue(e.getMessage().contains("[*, 3]") && e.getMessage().contains("[2, 4]"), e.getMessage());
  }
}

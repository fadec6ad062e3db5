package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code cat} and {@code pad} into a planned buffer (compiled code writes a split's gradient with one
 * {@code cat}): element for element as the index arithmetic says, for contiguous and strided inputs.
 */
class CatIntoTest {
  @Test
  void partsLandAtTheirOffsetsAlongTheLastDim() {
    Generator g = new Generator(4);
    Tensor a = Tensor.randn(g, 2, 3, 4);
    Tensor b = Tensor.randn(g, 3, 2, 5).permute(1, 0, 2);   // [2, 3, 5], not contiguous
    Tensor c = Tensor.randn(g, 2, 3, 1);
    Tensor out = Tensor.full(7.0, 2, 3, 10);
    assertSame(out, Kernels.cat(List.of(a, b, c), 2, out));
    float[] o = out.toFloatArray();
    float[][] parts = {a.toFloatArray(), b.toFloatArray(), c.toFloatArray()};
    int[] widths = {4, 5, 1};
    for (int row = 0; row < 6; row++) {
      int at = 0;
      for (int p = 0; p < 3; p++) {
        for (int j = 0; j < widths[p]; j++) {
          assertEquals(parts[p][row * widths[p] + j], o[row * 10 + at + j], 0f, "row " + row + ", part " + p + ", " + j);
        }
        at += widths[p];
      }
    }
    assertArrayEquals(Kernels.cat(List.of(a, b, c), 2).toFloatArray(), o, 0f);
  }

  @Test
  void doublesAlongAMiddleDimAndANegativeDim() {
    Generator g = new Generator(5);
    Tensor a = Tensor.randn(g, 2, 1, 3, 2).to(DType.FLOAT64);
    Tensor b = Tensor.randn(g, 2, 2, 3, 2).to(DType.FLOAT64);
    Tensor out = Tensor.zeros(DType.FLOAT64, 2, 3, 3, 2);
    Kernels.cat(List.of(a, b), -3, out);
    double[] o = out.toDoubleArray();
    double[] ad = a.toDoubleArray();
    double[] bd = b.toDoubleArray();
    for (int i = 0; i < 2; i++) {
      for (int k = 0; k < 6; k++) {
        assertEquals(ad[i * 6 + k], o[i * 18 + k], 0.0);
        assertEquals(bd[i * 12 + k], o[i * 18 + 6 + k], 0.0);
        assertEquals(bd[i * 12 + 6 + k], o[i * 18 + 12 + k], 0.0);
      }
    }
  }

  @Test
  void aBufferOfTheWrongShapeIsRefused() {
    Tensor a = Tensor.zeros(DType.FLOAT32, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kernels.cat(List.of(a, a), 1, Tensor.zeros(DType.FLOAT32, 2, 5)));
    assertTrue(e.getMessage().contains("concatenated shape [2, 6], but got FLOAT32 [2, 5]"), e.getMessage());
  }

  @Test
  void padIntoZeroesWhatTheInputDoesNotCover() {
    Tensor x = Tensor.randn(new Generator(6), 2, 3);
    Tensor out = Tensor.full(7.0, 2, 6);
    Kernels.pad(x, 1, 2, 1, out);
    float[] o = out.toFloatArray();
    float[] xd = x.toFloatArray();
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(new float[] {0f, 0f, xd[3 * i], xd[3 * i + 1], xd[3 * i + 2], 0f},
          java.util.Arrays.copyOfRange(o, 6 * i, 6 * i + 6), 0f, "row " + i);
    }
  }
}

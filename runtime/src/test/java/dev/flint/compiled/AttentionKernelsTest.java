package dev.flint.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** What compiled attention and maskedFill read: the causal mask (PyTorch's is_causal, top-left aligned) and the fill, kept between calls. */
class AttentionKernelsTest {
  private static final double NEG = Double.NEGATIVE_INFINITY;

  @Test
  void keysAfterTheQueryAreMinusInfinity() {
    Tensor mask = LayerKernels.causalMask(Tensor.zeros(DType.FLOAT64, 2, 3, 2, 3));
    assertArrayEquals(new int[] {2, 3}, mask.shape());
    assertEquals(DType.FLOAT64, mask.dtype());
    assertArrayEquals(new double[] {0, NEG, NEG, 0, 0, NEG}, mask.toDoubleArray());
    Tensor square = LayerKernels.causalMask(Tensor.zeros(DType.FLOAT32, 3, 3));
    assertEquals(DType.FLOAT32, square.dtype());
    assertArrayEquals(new double[] {0, NEG, NEG, 0, 0, NEG, 0, 0, 0}, square.toDoubleArray());
  }

  @Test
  void theSameShapeGetsTheSameMask() {
    Tensor a = LayerKernels.causalMask(Tensor.zeros(DType.FLOAT32, 4, 5, 5));
    assertSame(a, LayerKernels.causalMask(Tensor.zeros(DType.FLOAT32, 1, 5, 5)));
    assertNotSame(a, LayerKernels.causalMask(Tensor.zeros(DType.FLOAT64, 1, 5, 5)));
    assertNotSame(a, LayerKernels.causalMask(Tensor.zeros(DType.FLOAT32, 1, 4, 4)));
  }

  @Test
  void aFillIsItsValueInTheDtypeAndKept() {
    Tensor f = LayerKernels.fill(Tensor.zeros(DType.FLOAT64, 2), NEG);
    assertEquals(DType.FLOAT64, f.dtype());
    assertArrayEquals(new int[0], f.shape());
    assertEquals(NEG, f.item());
    assertSame(f, LayerKernels.fill(Tensor.zeros(DType.FLOAT64, 3), NEG));
    assertNotSame(f, LayerKernels.fill(Tensor.zeros(DType.FLOAT32, 3), NEG));
    assertEquals(-1.5, LayerKernels.fill(Tensor.zeros(DType.FLOAT32, 3), -1.5).item());
  }
}

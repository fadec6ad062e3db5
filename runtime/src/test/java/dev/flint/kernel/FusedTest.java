package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The fused kernels of compiled backward passes (Kernels.matmulNT, matmulTN, mulSign), against hand values. */
class FusedTest {

  @Test
  void matmulNTMultipliesByTheTransposeOfTheSecondOperand() {
    Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});        // [2, 3]
    Tensor w = Tensor.of(new float[][] {{1, 0, -1}, {2, 1, 0}});       // [2, 3], a Linear's [out, in]
    Tensor out = Tensor.full(99, 2, 2);
    assertSame(out, Kernels.matmulNT(x, w, out));
    // x @ w.t(): rows of x dotted with rows of w
    assertArrayEquals(new float[] {-2, 4, -2, 13}, out.toFloatArray());
    assertArrayEquals(new float[] {-2, 4, -2, 13}, Kernels.matmulNT(x, w, null).toFloatArray());
  }

  @Test
  void matmulTNWritesAWeightGradientContiguousInTheWeightsLayout() {
    Tensor dy = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});    // [B=3, out=2]
    Tensor h = Tensor.of(new double[][] {{1, 0, 2}, {0, 1, 1}, {1, 1, 0}}); // [B=3, in=3]
    Tensor out = Tensor.zeros(DType.FLOAT64, 2, 3);
    assertSame(out, Kernels.matmulTN(dy, h, out));
    // dyᵀ @ h: out[i][j] = sum_b dy[b][i] * h[b][j]
    assertArrayEquals(new double[] {6, 8, 5, 8, 10, 8}, out.toDoubleArray());
    assertTrue(out.isContiguous());
  }

  @Test
  void transposedProductsFlattenTheRowsOfASequenceAndRefuseOtherRanks() {
    // a Linear over [B, T, K]: x @ wᵀ keeps x's leading dims; its weight gradient dYᵀ @ x sums over all B·T rows
    Tensor x = Tensor.randn(new dev.flint.tensor.Generator(1), 2, 3, 4).to(DType.FLOAT64);
    Tensor w = Tensor.randn(new dev.flint.tensor.Generator(2), 5, 4).to(DType.FLOAT64);
    Tensor y = Kernels.matmulNT(x, w, Tensor.zeros(DType.FLOAT64, 2, 3, 5));
    assertArrayEquals(Kernels.matmul(x, Kernels.permute(w, new int[] {1, 0})).toDoubleArray(), y.toDoubleArray(), 1e-12);
    Tensor dy = Tensor.randn(new dev.flint.tensor.Generator(3), 2, 3, 5).to(DType.FLOAT64);
    Tensor dw = Kernels.matmulTN(dy, x, null);
    Tensor expected = Kernels.sumTo(Kernels.matmul(Kernels.permute(dy, new int[] {0, 2, 1}), x), new int[] {5, 4});
    assertArrayEquals(new int[] {5, 4}, dw.shape());
    assertArrayEquals(expected.toDoubleArray(), dw.toDoubleArray(), 1e-12);
    Tensor narrowRows = Kernels.narrow(Tensor.randn(new dev.flint.tensor.Generator(4), 2, 3, 9).to(DType.FLOAT64), 2, 5, 4);
    assertArrayEquals(Kernels.matmul(narrowRows, Kernels.permute(w, new int[] {1, 0})).toDoubleArray(),
        Kernels.matmulNT(narrowRows, w, null).toDoubleArray(), 1e-12);

    Tensor a = Tensor.zeros(2, 3, 4);
    Tensor b = Tensor.zeros(2, 5, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.matmulNT(a, b, null));
    assertEquals("matmulNT: expected two 2-D operands (or [..., n, k] and [m, k] for a @ bᵀ, [..., k, n] and [..., k, m]"
        + " for aᵀ @ b), but got shapes [2, 3, 4] and [2, 5, 4]", e.getMessage());
  }

  @Test
  void mulSignIsReluBackwardInOnePass() {
    Tensor dy = Tensor.of(new float[] {1.5f, -2, 3, 4, -5});
    Tensor y = Tensor.of(new float[] {0.5f, 0, 2, -1, Float.NaN});
    Tensor out = Tensor.full(9, 5);
    assertSame(out, Kernels.mulSign(dy, y, out));
    assertArrayEquals(new float[] {1.5f, -0f, 3, -4, Float.NaN}, out.toFloatArray());
    // the same as the two kernels it fuses, in FLOAT64 and for a strided operand
    Tensor a = Tensor.of(new double[][] {{1, -2}, {3, 4}});
    Tensor s = Tensor.of(new double[][] {{-1, 0}, {2, 0.5}}).t();
    assertArrayEquals(Kernels.mul(a, Kernels.sign(s)).toDoubleArray(), Kernels.mulSign(a, s, null).toDoubleArray());
    assertArrayEquals(new double[] {-1, -2, 0, 4}, Kernels.mulSign(a, s, null).toDoubleArray());
  }

  @Test
  void branchFreeSignumIsMathSignumBitForBit() {   // (any NaN counts as NaN: a vector max may not keep its payload)
    float[] fs = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, -3f, 0.5f, 1f};
    for (float f : fs) {
      assertEquals(Float.floatToIntBits(Math.signum(f)), Float.floatToIntBits(Fused.signum(f)), "signum(" + f + ")");
    }
    double[] ds = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, -3.0, 0.5, 1.0};
    for (double d : ds) {
      assertEquals(Double.doubleToLongBits(Math.signum(d)), Double.doubleToLongBits(Fused.signum(d)), "signum(" + d + ")");
    }
    // and through the kernel, on a row long enough to run C2's vectorized loop once compiled
    float[] a = new float[1000];
    float[] y = new float[1000];
    for (int i = 0; i < a.length; i++) {
      a[i] = i % 3 == 0 ? -i : i;
      y[i] = fs[i % fs.length];
    }
    float[] got = Kernels.mulSign(Tensor.of(a), Tensor.of(y), null).toFloatArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(Float.floatToIntBits(a[i] * Math.signum(y[i])), Float.floatToIntBits(got[i]), "element " + i);
    }
  }

  @Test
  void mulSignRefusesDifferentShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kernels.mulSign(Tensor.zeros(2, 3), Tensor.zeros(3), null));
    assertEquals("mulSign: expected operands of the same shape, but got [2, 3] and [3]", e.getMessage());
  }
}

package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FLOAT32 elementwise rows and row sums, which take {@link VectorRows} when the Vector API tier is on
 * (surefire runs this class with and without the module), against values computed here element by
 * element: Java's float arithmetic, {@code Math.max} and {@code Math.signum} (NaN and ±0 included),
 * and sums down the rows in row order.
 */
class VectorRowsTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    // the vector tier's warm-up runs in the background; until it ends, products take the pure-Java loops
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  private static final int[][] SHAPES = {{1}, {5}, {16}, {37}, {3, 16}, {5, 37}, {256, 64}, {2, 3, 17}, {4, 1}};

  @Test
  void binaryOpsOnWholeTensorsAndRepeatedRowsMatchFloatArithmetic() {
    Generator g = new Generator(21);
    for (int[] shape : SHAPES) {
      int n = shape[shape.length - 1];
      Tensor a = Tensor.randn(g, shape);
      Tensor b = Tensor.randn(g, shape);
      Tensor bias = Tensor.randn(g, n);
      for (Binary op : new Binary[] {Binary.ADD, Binary.SUB, Binary.MUL, Binary.DIV}) {
        check(op, a, b, Elementwise.binary(op, "op", a, b, null), "same shape");
        check(op, a, bias, Elementwise.binary(op, "op", a, bias, null), "bias");
        check(op, bias, a, Elementwise.binary(op, "op", bias, a, null), "bias first");
      }
    }
  }

  @Test
  void anInPlaceBiasAddOverwritesItsInput() {
    Generator g = new Generator(22);
    Tensor a = Tensor.randn(g, 256, 64);
    Tensor bias = Tensor.randn(g, 64);
    float[] before = a.toFloatArray();
    float[] bv = bias.toFloatArray();
    assertSame(a, Kernels.add(a, bias, a));
    float[] got = a.toFloatArray();
    for (int i = 0; i < got.length; i++) {
      assertEquals(before[i] + bv[i % 64], got[i], 0f, "element " + i);
    }
  }

  @Test
  void stridedAndOffsetOperandsStillMatch() {
    Generator g = new Generator(23);
    Tensor at = Tensor.randn(g, 37, 5).t();
    Tensor b = Tensor.randn(g, 5, 37);
    Tensor narrow = Tensor.randn(g, 5, 40).narrow(1, 3, 37);
    Tensor scalar = Tensor.scalar(1.5f);
    check(Binary.ADD, at, b, Kernels.add(at, b), "transposed a");
    check(Binary.MUL, narrow, b, Kernels.mul(narrow, b), "offset rows");
    check(Binary.SUB, b, scalar, Kernels.sub(b, scalar), "scalar");
  }

  @Test
  void unaryOpsMatchJavaIncludingNanAndSignedZeros() {
    float[] special = {Float.NaN, 0f, -0f, 1f, -1f, 3.5f, -2.25f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, -1e-40f};
    Generator g = new Generator(24);
    for (int len : new int[] {special.length, 16, 17, 100}) {
      float[] data = Tensor.randn(g, len).toFloatArray();
      System.arraycopy(special, 0, data, 0, Math.min(len, special.length));
      Tensor x = Tensor.of(data);
      checkUnary(Kernels.relu(x), data, v -> Math.max(v, 0f), "relu");
      checkUnary(Kernels.sign(x), data, Math::signum, "sign");
      checkUnary(Kernels.neg(x), data, v -> -v, "neg");
      checkUnary(Kernels.abs(x), data, Math::abs, "abs");
      checkUnary(Kernels.addScalar(x, 0.25), data, v -> v + 0.25f, "addScalar");
      checkUnary(Kernels.mulScalar(x, -3), data, v -> v * -3f, "mulScalar");
    }
  }

  @Test
  void mulSignIsTheGradientTimesTheSignumBitForBit() {
    float[] special = {Float.NaN, 0f, -0f, 1f, -1f, 3.5f, -2.25f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, -1e-40f};
    Generator g = new Generator(26);
    for (int len : new int[] {special.length, 16, 17, 256 * 64, 40_000}) {
      float[] s = Tensor.randn(g, len).toFloatArray();
      float[] a = Tensor.randn(g, len).toFloatArray();
      for (int i = 0; i < Math.min(len, special.length); i++) {
        s[i] = special[i];
        a[special.length - 1 - i] = special[i];
      }
      Tensor out = Tensor.full(7.0, len);
      assertSame(out, Kernels.mulSign(Tensor.of(a), Tensor.of(s), out));
      float[] got = out.toFloatArray();
      for (int i = 0; i < len; i++) {
        float e = a[i] * Math.signum(s[i]);
        assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(got[i]), a[i] + " * sign(" + s[i] + ") = " + got[i] + ", expected " + e);
      }
    }
  }

  @Test
  void sumsDownTheRowsMatchRowOrderFloatSums() {
    Generator g = new Generator(25);
    for (int[] s : new int[][] {{256, 64}, {7, 37}, {256, 32}, {3, 1}, {2, 3, 17}, {16, 64, 384}, {4, 9, 1, 33}}) {
      Tensor x = Tensor.randn(g, s);
      float[] xd = x.toFloatArray();
      int n = s[s.length - 1];
      int rows = xd.length / n;
      float[] expected = new float[n];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < n; j++) {
          expected[j] += xd[r * n + j];
        }
      }
      Tensor got = Kernels.sumTo(x, new int[] {n});
      float[] gd = got.toFloatArray();
      assertEquals(n, gd.length);
      for (int j = 0; j < n; j++) {
        // a single column is summed in double by Reduce; rows of two or more columns in float, in row order
        assertEquals(expected[j], gd[j], n == 1 ? 1e-5f * rows : 0f, "sumTo column " + j + " of " + java.util.Arrays.toString(s));
      }
      Tensor out = Tensor.full(9.0, n);
      assertSame(out, Kernels.sumTo(x, new int[] {n}, out));
      assertEquals(gd[0], out.toFloatArray()[0], 0f, "out variant overwrites");
    }
    // the leading dims only: [2, 3, 17] -> [3, 17], and a position embedding's [B, T, C] -> [T, C]
    Tensor x = Tensor.randn(g, 2, 3, 17);
    float[] xd = x.toFloatArray();
    float[] got = Kernels.sumTo(x, new int[] {3, 17}).toFloatArray();
    for (int i = 0; i < 51; i++) {
      assertEquals(xd[i] + xd[51 + i], got[i], 0f, "element " + i);
    }
    Tensor pos = Tensor.randn(g, 5, 8, 48);
    float[] pd = pos.toFloatArray();
    float[] sums = Kernels.sumTo(pos, new int[] {8, 48}, Tensor.empty(DType.FLOAT32, 8, 48)).toFloatArray();
    for (int i = 0; i < 8 * 48; i++) {
      float e = 0f;
      for (int b = 0; b < 5; b++) {
        e += pd[b * 8 * 48 + i];
      }
      assertEquals(e, sums[i], 0f, "position sum " + i);
    }
    assertEquals(DType.FLOAT32, Kernels.sumTo(x, new int[] {3, 17}).dtype());
  }

  private interface FloatOp {
    float apply(float v);
  }

  private static void checkUnary(Tensor got, float[] x, FloatOp f, String what) {
    float[] g = got.toFloatArray();
    for (int i = 0; i < x.length; i++) {
      float e = f.apply(x[i]);
      assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(g[i]), what + "(" + x[i] + ") = " + g[i] + ", expected " + e);
    }
  }

  private static void check(Binary op, Tensor a, Tensor b, Tensor got, String what) {
    int[] shape = got.shape();
    Tensor ae = a.expand(shape).contiguous();
    Tensor be = b.expand(shape).contiguous();
    float[] ad = ae.toFloatArray();
    float[] bd = be.toFloatArray();
    float[] g = got.toFloatArray();
    for (int i = 0; i < g.length; i++) {
      float e = op == Binary.ADD ? ad[i] + bd[i] : op == Binary.SUB ? ad[i] - bd[i] : op == Binary.MUL ? ad[i] * bd[i] : ad[i] / bd[i];
      assertEquals(e, g[i], 0f, op + " " + what + " " + java.util.Arrays.toString(shape) + " element " + i);
    }
  }
}

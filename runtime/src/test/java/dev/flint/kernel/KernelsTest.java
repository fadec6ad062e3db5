package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The kernel facade: out-parameter variants, layouts the fast paths skip, threads, and empty tensors. */
class KernelsTest {

  @Test
  void outVariantsWriteIntoTheGivenBuffer() {
    Tensor a = Tensor.of(new float[][] {{1, 2}, {3, 4}});
    Tensor b = Tensor.of(new float[][] {{5, 6}, {7, 8}});
    Tensor out = Tensor.full(99, 2, 2);
    assertSame(out, Kernels.matmul(a, b, out));
    assertArrayEquals(new float[] {19, 22, 43, 50}, out.toFloatArray());
    assertSame(out, Kernels.add(a, b, out));
    assertArrayEquals(new float[] {6, 8, 10, 12}, out.toFloatArray());
    Kernels.sub(a, b, out);
    assertArrayEquals(new float[] {-4, -4, -4, -4}, out.toFloatArray());
    Kernels.mul(a, b, out);
    assertArrayEquals(new float[] {5, 12, 21, 32}, out.toFloatArray());
    Kernels.div(b, a, out);
    assertArrayEquals(new float[] {5, 3, 7f / 3, 2}, out.toFloatArray(), 1e-6f);
    Kernels.relu(a.neg().add(2.5), out);
    assertArrayEquals(new float[] {1.5f, 0.5f, 0, 0}, out.toFloatArray());
  }

  @Test
  void unaryReductionAndSoftmaxOutVariants() {
    Tensor x = Tensor.of(new double[][] {{0, 1, 4}, {9, 16, 25}});
    Tensor out = Tensor.zeros(DType.FLOAT64, 2, 3);
    assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, Kernels.sqrt(x, out).toDoubleArray());
    assertArrayEquals(new double[] {1, 2, 5, 10, 17, 26}, Kernels.addScalar(x, 1, out).toDoubleArray());
    assertArrayEquals(new double[] {0, -2, -8, -18, -32, -50}, Kernels.mulScalar(x, -2, out).toDoubleArray(), 0);
    assertArrayEquals(new double[] {0, -1, -4, -9, -16, -25}, Kernels.neg(x, out).toDoubleArray(), 0);
    assertArrayEquals(new double[] {0, 1, 1, 1, 1, 1}, Kernels.sign(x, out).toDoubleArray());
    Tensor row = Tensor.full(7, DType.FLOAT64, 3);
    assertSame(row, Kernels.sum(x, new int[] {0}, false, row));
    assertArrayEquals(new double[] {9, 17, 29}, row.toDoubleArray());
    Tensor kept = Tensor.zeros(DType.FLOAT64, 1, 3);
    assertArrayEquals(new double[] {9, 17, 29}, Kernels.sumTo(x, new int[] {1, 3}, kept).toDoubleArray());
    Tensor col = Tensor.zeros(DType.FLOAT64, 2, 1);
    assertArrayEquals(new double[] {5, 50}, Kernels.sumTo(x, new int[] {2, 1}, col).toDoubleArray());
    Kernels.softmax(x, 1, out);
    assertArrayEquals(x.softmax(1).toDoubleArray(), out.toDoubleArray(), 1e-15);
    Kernels.logSoftmax(x, 0, out);
    assertArrayEquals(x.logSoftmax(0).toDoubleArray(), out.toDoubleArray(), 1e-15);
    Tensor f = Tensor.zeros(2, 3);
    Kernels.sigmoid(x.to(DType.FLOAT32), f);
    assertArrayEquals(x.to(DType.FLOAT32).sigmoid().toFloatArray(), f.toFloatArray());
  }

  @Test
  void outVariantsRefuseAWrongBuffer() {
    Tensor a = Tensor.ones(2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kernels.add(a, a, Tensor.ones(DType.FLOAT64, 2, 2)));
    assertEquals("add: the out tensor must be a contiguous f32[2, 2], but got a contiguous f64[2, 2]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Kernels.matmul(a, a, Tensor.ones(3, 2)));
  }

  @Test
  void parallelMatmulEqualsSingleThreaded() {
    Tensor a = Tensor.randn(new Generator(5), 4, 130, 70);
    Tensor b = Tensor.randn(new Generator(6), 4, 70, 110);
    int before = Flint.getNumThreads();
    try {
      Flint.setNumThreads(1);
      float[] one = Kernels.matmul(a, b).toFloatArray();
      Flint.setNumThreads(4);
      assertEquals(4, Flint.getNumThreads());
      assertArrayEquals(one, Kernels.matmul(a, b).toFloatArray());
    } finally {
      Flint.setNumThreads(before);
    }
    assertThrows(IllegalArgumentException.class, () -> Flint.setNumThreads(0));
  }

  @Test
  void parallelElementwiseEqualsSingleThreaded() {
    Tensor a = Tensor.randn(new Generator(8), 300, 700);
    Tensor bias = Tensor.randn(new Generator(9), 700);
    Tensor col = Tensor.randn(new Generator(10), 300, 1).to(DType.FLOAT64);
    int before = Flint.getNumThreads();
    try {
      Flint.setNumThreads(1);
      float[] sum = a.add(bias).toFloatArray();
      float[] relu = a.t().relu().toFloatArray();
      double[] mixed = a.mul(col).toDoubleArray();
      long[] cmp = a.gt(bias).toLongArray();
      float[] soft = a.softmax(1).toFloatArray();
      Flint.setNumThreads(3);
      assertArrayEquals(soft, a.softmax(1).toFloatArray());
      assertArrayEquals(sum, a.add(bias).toFloatArray());
      assertArrayEquals(relu, a.t().relu().toFloatArray());
      assertArrayEquals(mixed, a.mul(col).toDoubleArray());
      assertArrayEquals(cmp, a.gt(bias).toLongArray());
    } finally {
      Flint.setNumThreads(before);
    }
    float[] ad = a.toFloatArray();
    float[] bd = bias.toFloatArray();
    float[] got = a.add(bias).toFloatArray();
    for (int i = 0; i < ad.length; i += 997) {
      assertEquals(ad[i] + bd[i % 700], got[i]);
    }
  }

  @Test
  void matmulHandlesTransposedAndIntegerOperands() {
    Tensor a = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
    assertArrayEquals(new double[] {17, 22, 27, 22, 29, 36, 27, 36, 45},
        Kernels.matmul(a.t(), a).toDoubleArray());
    Tensor i = Tensor.of(new long[][] {{1, 2}, {3, 4}});
    Tensor p = Kernels.matmul(i, i);
    assertEquals(DType.INT64, p.dtype());
    assertArrayEquals(new long[] {7, 10, 15, 22}, p.toLongArray());
  }

  @Test
  void emptyTensorsFlowThrough() {
    assertArrayEquals(new int[] {3}, Tensor.zeros(0, 3).sum(0).shape());
    assertEquals(0, Tensor.zeros(0, 3).sum().item());
    assertArrayEquals(new float[] {0, 0, 0, 0}, Kernels.matmul(Tensor.zeros(2, 0), Tensor.zeros(0, 2)).toFloatArray());
    assertArrayEquals(new int[] {0, 4}, Tensor.zeros(0, 3).matmul(Tensor.ones(3, 4)).shape());
    assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).add(Tensor.ones(3)).shape());
    assertArrayEquals(new int[] {2, 3}, Tensor.cat(0, Tensor.zeros(0, 3), Tensor.ones(2, 3)).shape());
  }

  @Test
  void integerArithmeticIsExact() {
    Tensor big = Tensor.of(new long[] {(1L << 53) + 1});
    assertEquals((1L << 53) + 2, Kernels.add(big, Tensor.of(new long[] {1})).toLongArray()[0]);
    assertArrayEquals(new long[] {-3, 3}, Tensor.of(new long[] {3, -3}).neg().toLongArray());
    assertArrayEquals(new long[] {1, 3}, Tensor.of(new long[] {-1, 3}).abs().toLongArray());
  }

  @Test
  void copyConvertsAndBroadcasts() {
    Tensor dst = Tensor.zeros(DType.INT32, 2, 3);
    Kernels.copy(Tensor.of(new float[] {1.9f, -2.5f, 3}), dst);
    assertArrayEquals(new int[] {1, -2, 3, 1, -2, 3}, dst.toIntArray());
    Tensor acc = Tensor.ones(2, 2);
    Kernels.accumulate(Tensor.of(new float[] {1, 2}), acc);
    assertArrayEquals(new float[] {2, 3, 2, 3}, acc.toFloatArray());
  }

  @Test
  void reshapeCopiesOnlyWhenStridesCannotExpressIt() {
    Tensor a = Tensor.ones(2, 3, 4);
    assertSame(a.storage(), Kernels.reshape(a.permute(1, 0, 2), new int[] {3, 2, 4}).storage(),
        "merging nothing needs no copy");
    assertSame(a.storage(), Kernels.reshape(a.transpose(0, 1), new int[] {3, 2, 2, 2}).storage(),
        "splitting the last dim of a transposed view is a view");
    assertTrue(a.storage() != Kernels.reshape(a.transpose(0, 1), new int[] {6, 4}).storage());
  }
}

package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernels a compiled backward pass calls every step, into its buffers: the transposed products
 * of a weight's and an input's gradient, a bias gradient (sumTo over the batch) and a first
 * gradient's copy. Their values against the general paths, and, warm on the vector tier, zero
 * bytes allocated per call (docs/design.md, "Performance targets": the generated forward and backward allocate nothing).
 */
class CompiledStepKernelsTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    // the vector tier's warm-up runs in the background; until it ends, products take the pure-Java loops
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  private final Generator g = new Generator(11);
  private final Tensor dY = Tensor.randn(g, 256, 64);
  private final Tensor x = Tensor.randn(g, 256, 117);
  private final Tensor w = Tensor.randn(g, 64, 117);

  @Test
  void transposedProductsEqualProductsOfTransposedViews() {
    Tensor dW = Kernels.matmulTN(dY, x, Tensor.empty(DType.FLOAT32, 64, 117));   // dYᵀ·x
    assertArrayEquals(Kernels.matmul(dY.t(), x).toFloatArray(), dW.toFloatArray(), 1e-3f);
    Tensor y = Kernels.matmulNT(x, w, null);                                     // x·wᵀ
    assertArrayEquals(Kernels.matmul(x, w.t()).toFloatArray(), y.toFloatArray(), 1e-3f);
    Tensor d64 = Tensor.randn(g, 5, 3).to(DType.FLOAT64);
    Tensor x64 = Tensor.randn(g, 5, 4).to(DType.FLOAT64);
    assertArrayEquals(Kernels.matmul(d64.t(), x64).toDoubleArray(), Kernels.matmulTN(d64, x64, null).toDoubleArray(), 1e-12);
  }

  @Test
  void aBiasGradientIntoABufferEqualsTheGeneralSum() {
    for (int[] target : new int[][] {{64}, {1, 64}}) {
      Tensor fast = Kernels.sumTo(dY, target, Tensor.empty(DType.FLOAT32, target));
      Tensor general = Kernels.sumTo(dY, target);
      assertArrayEquals(general.toFloatArray(), fast.toFloatArray(), 1e-4f);
    }
    Tensor d = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    assertArrayEquals(new double[] {9, 12}, Kernels.sumTo(d, new int[] {2}, Tensor.empty(DType.FLOAT64, 2)).toDoubleArray(), 0);
  }

  @Test
  void warmOnTheVectorTierTheyAllocateNothing() {
    assumeTrue(VectorTier.ENABLED, "the pure-Java product packs its operand into new arrays");
    java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
    assumeTrue(plain instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) plain;
    Tensor dW = Tensor.empty(DType.FLOAT32, 64, 117);
    Tensor dX = Tensor.empty(DType.FLOAT32, 256, 117);
    Tensor y = Tensor.empty(DType.FLOAT32, 256, 64);
    Tensor db = Tensor.empty(DType.FLOAT32, 64);
    Tensor grad = Tensor.empty(DType.FLOAT32, 64, 117);
    int[] biasShape = {64};
    Runnable step = () -> {
      Kernels.matmulNT(x, w, y);
      Kernels.matmulTN(dY, x, dW);
      Kernels.matmul(dY, w, dX);
      Kernels.sumTo(dY, biasShape, db);
      Kernels.copy(dW, grad);
    };
    int before = Flint.getNumThreads();
    Flint.setNumThreads(1);
    try {
      long bytes = Long.MAX_VALUE;
      for (int round = 0; round < 200 && bytes > 0; round++) {   // until C2 has compiled them
        long start = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++) {
          step.run();
        }
        bytes = bean.getCurrentThreadAllocatedBytes() - start;
      }
      assertEquals(0, bytes, "bytes allocated by 20 warm rounds of the five kernels");
    } finally {
      Flint.setNumThreads(before);
    }
  }
}

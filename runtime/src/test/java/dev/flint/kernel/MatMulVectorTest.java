package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flint.Flint;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API tier of {@link MatMul} against the pure-Java path and a naive triple loop in double,
 * on odd sizes, transposed and offset operands, batches and thread counts. Surefire runs this class
 * with {@code --add-modules jdk.incubator.vector} (both paths compared) and once more without it
 * (the fallback alone, and proof that nothing links the incubator module).
 */
class MatMulVectorTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    // the vector tier's warm-up runs in the background; until it ends, products take the pure-Java loops
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  private static final int[] SIZES = {1, 3, 17, 65, 129, 257};

  @Test
  void tierIsEnabledExactlyWhenTheModuleIsPresentAndNotDisabled() {
    assertTrue(VectorTier.enabled(true, null));
    assertTrue(VectorTier.enabled(true, "true"));
    assertFalse(VectorTier.enabled(true, "false"));
    assertFalse(VectorTier.enabled(true, " FALSE "));
    assertFalse(VectorTier.enabled(false, null));
    assertFalse(VectorTier.enabled(false, "true"));
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(present, VectorTier.MODULE_PRESENT);
    assertEquals(VectorTier.enabled(present, System.getProperty(VectorTier.PROPERTY)), VectorTier.ENABLED);
    assertEquals(VectorTier.ENABLED ? "vector-api" : "plain-java", VectorTier.describe().split(" ")[0]);
  }

  @Test
  void everySizeCombinationMatchesTheNaiveProductOnBothPaths() {
    Generator g = new Generator(11);
    for (int n : SIZES) {
      for (int k : SIZES) {
        for (int m : SIZES) {
          check(Tensor.randn(g, n, k), Tensor.randn(g, k, m), n + "x" + k + "x" + m);
        }
      }
    }
  }

  @Test
  void transposedAndOffsetOperandsMatch() {
    Generator g = new Generator(12);
    for (int n : new int[] {1, 3, 17, 65}) {
      for (int k : new int[] {1, 17, 257}) {
        for (int m : new int[] {3, 65, 129}) {
          Tensor at = Tensor.randn(g, k, n).t();
          Tensor bt = Tensor.randn(g, m, k).t();
          Tensor a = Tensor.randn(g, n, k);
          Tensor b = Tensor.randn(g, k, m);
          check(at, b, "aT " + n + "x" + k + "x" + m);
          check(a, bt, "bT " + n + "x" + k + "x" + m);
          check(at, bt, "aT bT " + n + "x" + k + "x" + m);
          // views that start inside their storage, with a row stride wider than the row
          Tensor aw = Tensor.randn(g, n + 1, k + 2).narrow(0, 1, n).narrow(1, 2, k);
          Tensor bw = Tensor.randn(g, k, m + 5).narrow(1, 5, m);
          check(aw, bw, "offset " + n + "x" + k + "x" + m);
        }
      }
    }
  }

  @Test
  void blocksLargerThanTheCacheBlocksMatch() {
    Generator g = new Generator(13);
    // k crosses the 256-deep packing block twice, m the 512-wide block and the pure path's 1024
    check(Tensor.randn(g, 37, 600), Tensor.randn(g, 600, 1100), "37x600x1100");
    check(Tensor.randn(g, 2, 600), Tensor.randn(g, 1100, 600).t(), "gemv 2x600x1100");
  }

  @Test
  void oneRowProductsWithATransposedWeightMatch() {
    Generator g = new Generator(14);
    for (int n : new int[] {1, 2, 3, 4, 5}) {
      for (int k : new int[] {1, 15, 16, 17, 784}) {
        for (int m : new int[] {1, 3, 10, 257, 512}) {
          Tensor w = Tensor.randn(g, m, k);
          check(Tensor.randn(g, n, k), w.t(), "x@w.t() " + n + "x" + k + "x" + m);
        }
      }
    }
  }

  @Test
  void batchedAndBroadcastProductsMatch() {
    Generator g = new Generator(15);
    check(Tensor.randn(g, 4, 17, 65), Tensor.randn(g, 4, 65, 33), "batched");
    check(Tensor.randn(g, 2, 3, 65, 17), Tensor.randn(g, 3, 17, 129), "broadcast batch");
    check(Tensor.randn(g, 3, 65, 17), Tensor.randn(g, 17, 129), "shared B");
    check(Tensor.randn(g, 3, 1, 129), Tensor.randn(g, 3, 65, 129).transpose(1, 2), "batched gemv");
    check(Tensor.randn(g, 3, 129, 17).transpose(1, 2), Tensor.randn(g, 3, 65, 129).transpose(1, 2), "batched aT bT");
  }

  @Test
  void resultsDoNotDependOnTheNumberOfThreads() {
    Generator g = new Generator(16);
    Tensor a = Tensor.randn(g, 257, 129);
    Tensor b = Tensor.randn(g, 129, 300);
    Tensor x = Tensor.randn(g, 3, 65, 129);
    int before = Flint.getNumThreads();
    try {
      Flint.setNumThreads(1);
      float[] one = MatMul.matmul(a, b, null).toFloatArray();
      float[] oneBatched = MatMul.matmul(x, b.narrow(1, 0, 17), null).toFloatArray();
      Flint.setNumThreads(3);
      assertArrayEquals(one, MatMul.matmul(a, b, null).toFloatArray());
      assertArrayEquals(oneBatched, MatMul.matmul(x, b.narrow(1, 0, 17), null).toFloatArray());
      check(a, b, "3 threads");
    } finally {
      Flint.setNumThreads(before);
    }
  }

  @Test
  void outVariantOverwritesWhatWasThere() {
    Generator g = new Generator(17);
    for (int[] s : new int[][] {{65, 300, 129}, {1, 129, 65}, {5, 3, 17}}) {
      Tensor a = Tensor.randn(g, s[0], s[1]);
      Tensor b = Tensor.randn(g, s[1], s[2]);
      Tensor out = Tensor.full(7.5, s[0], s[2]);
      assertSame(out, Kernels.matmul(a, b, out));
      assertClose(naive(a, b), naive(a.abs(), b.abs()), s[1], out, "out " + s[0] + "x" + s[1] + "x" + s[2]);
      Tensor bt = Tensor.randn(g, s[2], s[1]).t();
      Tensor outT = Tensor.full(-3.0, s[0], s[2]);
      assertSame(outT, Kernels.matmul(a, bt, outT));
      assertClose(naive(a, bt), naive(a.abs(), bt.abs()), s[1], outT, "out bT " + s[0] + "x" + s[1] + "x" + s[2]);
    }
  }

  @Test
  void float64StaysOnThePureJavaPath() {
    Generator g = new Generator(18);
    Tensor a = Tensor.randn(g, 65, 129).to(DType.FLOAT64);
    Tensor b = Tensor.randn(g, 129, 33).to(DType.FLOAT64);
    double[] ref = naive(a, b);
    double[] got = Kernels.matmul(a, b).toDoubleArray();
    assertEquals(DType.FLOAT64, Kernels.matmul(a, b).dtype());
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], got[i], 1e-9 * (1 + Math.abs(ref[i])), "element " + i);
    }
    // exactly what the pure-Java path computes, tier or not
    assertArrayEquals(MatMul.matmul(a, b, null, false).toDoubleArray(), got);
  }

  /** Both paths against the double-precision triple loop; the vector path only where it is enabled. */
  private static void check(Tensor a, Tensor b, String what) {
    double[] ref = naive(a, b);
    double[] bound = naive(a.abs(), b.abs());
    int k = a.shape()[a.dim() - 1];
    assertClose(ref, bound, k, MatMul.matmul(a, b, null, false), what + " (pure Java)");
    if (VectorTier.ENABLED) {
      assertClose(ref, bound, k, MatMul.matmul(a, b, null, true), what + " (vector tier)");
    }
    assertClose(ref, bound, k, Kernels.matmul(a, b), what + " (Kernels.matmul)");
  }

  @Test
  void vectorTierIsUsedWhenEnabled() {
    assumeTrue(VectorTier.ENABLED, "runs only with --add-modules jdk.incubator.vector");
    assertTrue(VectorTier.describe().startsWith("vector-api ("), VectorTier.describe());
  }

  @Test
  void onceWarmTheTierIsActiveExactlyWhenEnabled() throws InterruptedException {
    assertTrue(VectorTier.awaitWarmUp(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(VectorTier.ENABLED, VectorTier.active());
    assertEquals(VectorTier.describe(), Kernels.vectorTier());
  }

  /** {@code a @ b} in double over broadcast batches, as a flat row-major array. */
  private static double[] naive(Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    int n = as[as.length - 2];
    int k = as[as.length - 1];
    int m = bs[bs.length - 1];
    int[] outShape = Kernels.matmul(a.to(DType.FLOAT64), b.to(DType.FLOAT64)).shape();
    int batches = 1;
    for (int d = 0; d < outShape.length - 2; d++) {
      batches *= outShape[d];
    }
    int[] batchShape = java.util.Arrays.copyOf(outShape, outShape.length - 2);
    Tensor ae = a.to(DType.FLOAT64).expand(concat(batchShape, n, k)).contiguous();
    Tensor be = b.to(DType.FLOAT64).expand(concat(batchShape, k, m)).contiguous();
    double[] ad = ae.toDoubleArray();
    double[] bd = be.toDoubleArray();
    double[] c = new double[batches * n * m];
    for (int q = 0; q < batches; q++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += ad[q * n * k + i * k + p] * bd[q * k * m + p * m + j];
          }
          c[q * n * m + i * m + j] = s;
        }
      }
    }
    return c;
  }

  private static int[] concat(int[] batch, int r, int c) {
    int[] s = java.util.Arrays.copyOf(batch, batch.length + 2);
    s[batch.length] = r;
    s[batch.length + 1] = c;
    return s;
  }

  /**
   * Each element within the FLOAT32 error bound of a k-term dot product: k·eps·Σ|a·b| (plus a hair),
   * computed from the operands' absolute values.
   */
  private static void assertClose(double[] ref, double[] bound, int k, Tensor got, String what) {
    assertEquals(DType.FLOAT32, got.dtype(), what);
    float[] g = got.toFloatArray();
    assertEquals(ref.length, g.length, what + ": numel");
    double eps = Math.ulp(1f);
    for (int i = 0; i < ref.length; i++) {
      double tol = (k + 2) * eps * bound[i] + 1e-30;
      if (!(Math.abs(g[i] - ref[i]) <= tol)) {
        fail(what + ": element " + i + " is " + g[i] + ", expected " + ref[i] + " within " + tol);
      }
    }
  }
}

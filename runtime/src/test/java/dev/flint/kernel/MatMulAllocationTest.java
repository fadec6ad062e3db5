package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flint.Flint;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A warm FLOAT32 matmul allocates next to nothing: only the few small arrays of its bookkeeping, not
 * the boxed vectors of Vector API code that C2 did not compile (or dropped), nor scratch arrays. The
 * products are those of the mlp_train_small benchmark (Linear 117→64→32→1, batch 256, and the
 * 1024-row input gradient whose k crosses the 256-deep packing block), forward and backward, with
 * the transposed views the compiled backward passes; on the vector tier (when the module is present)
 * and on the pure-Java path, whose packed B and accumulators are per-thread arrays reused from call to
 * call. Measured with HotSpot's per-thread allocation counter on one thread, after a warm-up that
 * lasts until the products stop allocating (or fails).
 */
class MatMulAllocationTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    // the vector tier's warm-up runs in the background; until it ends, products take the pure-Java loops
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  /** Bytes per call allowed: the output shape, the batch offsets, a lambda, no more. */
  private static final long LIMIT = 256;
  private static final int CALLS = 50;

  @Test
  void warmFloat32ProductsOfTheSmallMlpAllocateAlmostNothing() {
    measure(VectorTier.ENABLED, VectorTier.describe());
  }

  @Test
  void thePureJavaPathAllocatesAlmostNothingToo() {
    measure(false, "plain-java");
  }

  @Test
  void thePureJavaPathKeepsItsReusedPackUnderTheCapWhateverTheShapes() {
    // a convolution's forward (shallow, wide B) then its weight gradient (deep, narrow B): growing
    // the reused pack to cover both once took 100000 x 1024 floats and ran out of heap
    Generator g = new Generator(5);
    long cap = 1 << 20;
    for (int[] nkm : new int[][] {{4, 8, 1024}, {4, 100_000, 8}, {4, 8, 1024}, {2, 3, 5}}) {
      Tensor a = Tensor.randn(g, nkm[0], nkm[1]);
      Tensor b = Tensor.randn(g, nkm[1], nkm[2]);
      Tensor c = MatMul.matmul(a, b, null, false);
      assertTrue(MatMul.reusedPackFloats() <= cap, "reused pack of " + MatMul.reusedPackFloats() + " floats after "
          + java.util.Arrays.toString(nkm));
      assertArrayEquals(new int[] {nkm[0], nkm[2]}, c.shape());
    }
  }

  private static void measure(boolean vector, String path) {
    java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
    assumeTrue(plain instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) plain;
    assumeTrue(bean.isThreadAllocatedMemorySupported(), "needs HotSpot's per-thread allocation counter");
    bean.setThreadAllocatedMemoryEnabled(true);

    Generator g = new Generator(3);
    Map<String, Tensor[]> products = new LinkedHashMap<>();
    Tensor x = Tensor.randn(g, 256, 117);
    Tensor w1 = Tensor.randn(g, 64, 117);
    Tensor w2 = Tensor.randn(g, 32, 64);
    Tensor w3 = Tensor.randn(g, 1, 32);
    Tensor h1 = Tensor.randn(g, 256, 64);
    Tensor h2 = Tensor.randn(g, 256, 32);
    Tensor dOut = Tensor.randn(g, 256, 1);
    Tensor dT6 = Tensor.randn(g, 256, 32);
    Tensor dT3 = Tensor.randn(g, 256, 64);
    Tensor x1024 = Tensor.randn(g, 1024, 117);
    Tensor dT3x1024 = Tensor.randn(g, 1024, 64);
    products.put("x[256,117] @ w1.t()", new Tensor[] {x, w1.t()});
    products.put("h1[256,64] @ w2.t()", new Tensor[] {h1, w2.t()});
    products.put("h2[256,32] @ w3.t() (one column)", new Tensor[] {h2, w3.t()});
    products.put("dOut[256,1] @ w3 (k = 1)", new Tensor[] {dOut, w3});
    products.put("h2.t() @ dOut (one column, transposed A)", new Tensor[] {h2.t(), dOut});
    products.put("dT6[256,32] @ w2", new Tensor[] {dT6, w2});
    products.put("h1.t() @ dT6", new Tensor[] {h1.t(), dT6});
    products.put("x.t()[117,256] @ dT3", new Tensor[] {x.t(), dT3});
    products.put("dT3 @ w1", new Tensor[] {dT3, w1});
    products.put("x.t()[117,1024] @ dT3 (k > 256)", new Tensor[] {x1024.t(), dT3x1024});
    Map<String, Tensor> outs = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor[]> e : products.entrySet()) {
      outs.put(e.getKey(), MatMul.matmul(e.getValue()[0], e.getValue()[1], null, vector));
    }

    int before = Flint.getNumThreads();
    Flint.setNumThreads(1);
    try {
      Map<String, Long> perCall = new LinkedHashMap<>();
      long deadline = System.nanoTime() + Long.getLong("flint.test.allocationWarmupSeconds", 60) * 1_000_000_000L;
      int rounds = 0;
      while (true) {
        boolean clean = true;
        for (Map.Entry<String, Tensor[]> e : products.entrySet()) {
          Tensor a = e.getValue()[0];
          Tensor b = e.getValue()[1];
          Tensor out = outs.get(e.getKey());
          long start = bean.getCurrentThreadAllocatedBytes();
          for (int i = 0; i < CALLS; i++) {
            MatMul.matmul(a, b, out, vector);
          }
          long bytes = (bean.getCurrentThreadAllocatedBytes() - start) / CALLS;
          perCall.put(e.getKey(), bytes);
          clean &= bytes <= LIMIT;
        }
        rounds++;
        if (clean && rounds >= 3) {
          return;
        }
        if (System.nanoTime() > deadline) {
          fail("after " + rounds + " rounds of " + CALLS + " calls each, FLOAT32 matmul ("
              + path + ") still allocates more than " + LIMIT + " bytes per call: " + perCall);
        }
      }
    } finally {
      Flint.setNumThreads(before);
    }
  }
}

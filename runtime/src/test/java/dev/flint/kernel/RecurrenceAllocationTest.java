package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flint.Flint;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A warm FLOAT32 call of the recurrence kernels with an {@code out} tensor (as compiled code calls them)
 * allocates nothing that grows with the batch: the scans keep their scratch per thread, run the W_hh products
 * on the FLOAT32 GEMM (which reuses its packing) and write into {@code out}. Measured with HotSpot's per-thread
 * allocation counter on one thread at batch 16 and 256: a per-call array of the batch's values would differ
 * by at least 240 · 8 · 8 · 4 bytes. (Measured 2026-12-06: about 4 KB per call at both, the per-step views.)
 */
class RecurrenceAllocationTest {
  private static final int STEPS = 8;
  private static final int HIDDEN = 8;

  @Test
  void warmFloat32ScansAndTheirBackwardsAllocateTheSameAtAnyBatchSize() {
    java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
    assumeTrue(plain instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) plain;
    assumeTrue(bean.isThreadAllocatedMemorySupported(), "needs HotSpot's per-thread allocation counter");
    bean.setThreadAllocatedMemoryEnabled(true);
    int threads = Flint.getNumThreads();
    Flint.setNumThreads(1);
    try {
      perCall(bean, 16);
      perCall(bean, 256);
      long[] small = perCall(bean, 16);
      long[] large = perCall(bean, 256);
      String[] names = {"lstmScan", "lstmScanBackward", "gruScan", "gruScanBackward"};
      for (int i = 0; i < names.length; i++) {
        System.out.printf("%s, bytes per warm call: batch 16: %d, batch 256: %d%n", names[i], small[i], large[i]);
        assertTrue(Math.abs(large[i] - small[i]) <= 2048, names[i] + " allocates " + small[i]
            + " bytes per call at batch 16 but " + large[i] + " at batch 256");
      }
    } finally {
      Flint.setNumThreads(threads);
    }
  }

  /** The median bytes per call of each kernel (lstmScan, its backward, gruScan, its backward) over warm calls. */
  private static long[] perCall(com.sun.management.ThreadMXBean bean, int batch) {
    Generator g = new Generator(5);
    int h = HIDDEN;
    Tensor gx4 = Tensor.randn(g, batch, STEPS, 4 * h);
    Tensor w4 = Tensor.randn(g, 4 * h, h).mul(0.1);
    Tensor gx3 = Tensor.randn(g, batch, STEPS, 3 * h);
    Tensor w3 = Tensor.randn(g, 3 * h, h).mul(0.1);
    Tensor b3 = Tensor.randn(g, 3 * h);
    Tensor h0 = Tensor.randn(g, batch, h);
    Tensor c0 = Tensor.randn(g, batch, h);
    Tensor lstm = Tensor.empty(DType.FLOAT32, batch, STEPS, 8, h);
    Tensor lstmGrad = Tensor.randn(g, batch, STEPS, 8, h);
    Tensor lstmBack = Tensor.empty(DType.FLOAT32, batch, STEPS, 6, h);
    Tensor gru = Tensor.empty(DType.FLOAT32, batch, STEPS, 6, h);
    Tensor gruGrad = Tensor.randn(g, batch, STEPS, 6, h);
    Tensor gruBack = Tensor.empty(DType.FLOAT32, batch, STEPS, 5, h);
    Runnable[] calls = {
        () -> Kernels.lstmScan(gx4, w4, h0, c0, lstm),
        () -> Kernels.lstmScanBackward(lstmGrad, lstm, w4, lstmBack),
        () -> Kernels.gruScan(gx3, w3, b3, h0, gru),
        () -> Kernels.gruScanBackward(gruGrad, gru, w3, gruBack)};
    long id = Thread.currentThread().getId();
    long[] out = new long[calls.length];
    for (int i = 0; i < calls.length; i++) {
      long[] bytes = new long[300];
      for (int k = 0; k < bytes.length; k++) {
        long a = bean.getThreadAllocatedBytes(id);
        calls[i].run();
        bytes[k] = bean.getThreadAllocatedBytes(id) - a;
      }
      long[] warm = Arrays.copyOfRange(bytes, bytes.length / 2, bytes.length);
      Arrays.sort(warm);
      out[i] = warm[warm.length / 2];
    }
    return out;
  }
}

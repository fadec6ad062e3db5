package dev.flint.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Heap bytes that the current thread allocates while running a piece of code, read from
 * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} (HotSpot's TLAB counters). Kernels
 * that split work over the shared pool allocate on pool threads too, which this does not see: measure
 * with {@code Flint.setNumThreads(1)} when the whole step's allocation matters.
 */
public final class AllocationMeter {
  private final com.sun.management.ThreadMXBean bean;
  private final long baseline;

  private AllocationMeter(com.sun.management.ThreadMXBean bean) {
    this.bean = bean;
    bean.setThreadAllocatedMemoryEnabled(true);
    // the counter read itself may allocate; subtract what an empty measurement reports
    long a = bean.getCurrentThreadAllocatedBytes();
    long b = bean.getCurrentThreadAllocatedBytes();
    this.baseline = Math.max(0, b - a);
  }

  /** A meter for the current thread; fails if the JVM cannot count allocated bytes per thread. */
  public static AllocationMeter create() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean)) {
      throw new UnsupportedOperationException(
          "this JVM's ThreadMXBean (" + bean.getClass().getName() + ") cannot count allocated bytes per thread");
    }
    com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
    if (!sun.isThreadAllocatedMemorySupported()) {
      throw new UnsupportedOperationException("this JVM does not support per-thread allocation counting");
    }
    return new AllocationMeter(sun);
  }

  /** Heap bytes this thread has allocated so far (differences of two reads measure a span). */
  public long threadAllocatedBytes() {
    return bean.getCurrentThreadAllocatedBytes();
  }

  /**
   * Runs {@code step} {@code warmup} times, then {@code calls} times while counting, and returns the
   * heap bytes allocated per counted call on this thread (a double: a few bytes spread over many calls
   * show up as a fraction).
   */
  public double bytesPerCall(Runnable step, int warmup, int calls) {
    if (calls < 1) {
      throw new IllegalArgumentException("calls must be >= 1, but got " + calls);
    }
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    long before = bean.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < calls; i++) {
      step.run();
    }
    long after = bean.getCurrentThreadAllocatedBytes();
    return Math.max(0, after - before - baseline) / (double) calls;
  }
}

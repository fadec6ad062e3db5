package dev.flint;

import dev.flint.kernel.Kernels;
import dev.flint.kernel.Parallel;

/** Process-wide settings of the Flint runtime, as {@code torch.set_num_threads}. */
public final class Flint {
  private Flint() {}

  /** Sets how many threads the CPU kernels use (default: the number of available processors). */
  public static void setNumThreads(int n) {
    Parallel.setThreads(n);
  }

  /** The number of threads the CPU kernels use. */
  public static int getNumThreads() {
    return Parallel.threads();
  }

  /**
   * Waits (at most 10 s) until the Vector API kernels are warmed up, so that the next FLOAT32 product
   * runs on them; returns at once without {@code --add-modules jdk.incubator.vector}. Programs need
   * not call it: the warm-up runs on a background thread from the first kernel call, and the
   * pure-Java kernels serve until it ends. Benchmarks and tests that measure the vector kernels do.
   *
   * @return true when the vector kernels are ready or off, false when 10 s passed first
   */
  public static boolean awaitKernelWarmUp() {
    try {
      return Kernels.awaitVectorWarmUp(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

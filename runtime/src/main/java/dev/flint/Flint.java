package dev.flint;

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
}

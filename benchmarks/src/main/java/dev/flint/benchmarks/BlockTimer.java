package dev.flint.benchmarks;

import java.util.Arrays;

/**
 * The timing method of {@code pytorch_bench.py}: warm up (at least {@code warmupSeconds} and at least
 * {@code warmupIters} calls), calibrate on 3 calls how many calls fill a block of {@code blockMs},
 * then time blocks until the budget is spent (at least {@code minBlocks}, at most {@code maxBlocks}).
 * Each block gives one sample (ms per call); the result is the median and the 10th/90th percentiles
 * over blocks, computed as numpy's {@code percentile} does (linear interpolation). The process CPU
 * time (all threads, GC and JIT included) over the timed blocks per call ({@code cpu_ms_per_step_mean})
 * is what a step costs when other processes preempt it: wall time then grows, CPU time hardly does.
 *
 * <p>Java needs a longer warm-up than Python because the JIT compiles hot code in tiers; the driver
 * uses 2 s by default. Around each measurement the timer checks the foreign load (see
 * {@link CpuLoad}) and re-measures a contaminated workload up to {@code retries} times.
 */
public final class BlockTimer {
  private double warmupSeconds = 2.0;
  private int warmupIters = 3;
  private double blockMs = 5.0;
  private int minBlocks = 5;
  private int maxBlocks = 400;
  private double maxQuietWaitSeconds = 300;
  private double threshold = 0.10;
  private int retries = 2;

  public BlockTimer warmupSeconds(double s) {
    this.warmupSeconds = s;
    return this;
  }

  public BlockTimer warmupIters(int n) {
    this.warmupIters = n;
    return this;
  }

  public BlockTimer blockMs(double ms) {
    this.blockMs = ms;
    return this;
  }

  public BlockTimer minBlocks(int n) {
    this.minBlocks = n;
    return this;
  }

  /** How long to wait for the machine to go quiet before each workload (0: don't wait). */
  public BlockTimer maxQuietWaitSeconds(double s) {
    this.maxQuietWaitSeconds = s;
    return this;
  }

  /** How often a workload whose window saw more than 0.1 CPUs of foreign load is re-measured. */
  public BlockTimer retries(int n) {
    this.retries = n;
    return this;
  }

  public double threshold() {
    return threshold;
  }

  /** Measures {@code step} for about {@code budgetSeconds} of timed blocks, checking foreign load. */
  public Timing measure(Runnable step, double budgetSeconds) {
    Timing t = null;
    for (int attempt = 1; attempt <= retries + 1; attempt++) {
      CpuLoad.waitQuiet(maxQuietWaitSeconds, threshold, 3);
      CpuLoad.Window w = new CpuLoad.Window();
      t = time(step, budgetSeconds);
      double foreign = w.foreignCpus();
      t = t.withLoad(foreign, attempt, threshold);
      if (!t.contaminated()) {
        break;
      }
      if (attempt <= retries) {
        System.err.printf("# contaminated (foreign load %.2f CPUs), retrying%n", foreign);
      }
    }
    return t;
  }

  /** The timing loop alone, without the foreign-load check. */
  Timing time(Runnable step, double budgetSeconds) {
    System.gc();
    long t0 = System.nanoTime();
    long warmupNanos = (long) (warmupSeconds * 1e9);
    for (int n = 0; n < warmupIters || System.nanoTime() - t0 < warmupNanos; n++) {
      step.run();
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      step.run();
    }
    double perCall = (System.nanoTime() - t1) / 3.0;
    int k = (int) Math.max(1, Math.min(Integer.MAX_VALUE, blockMs * 1e6 / Math.max(perCall, 1)));
    double[] samples = new double[maxBlocks];
    int n = 0;
    long cpu0 = CpuLoad.ownCpuNanos();
    long start = System.nanoTime();
    long budgetNanos = (long) (budgetSeconds * 1e9);
    while ((n < minBlocks || System.nanoTime() - start < budgetNanos) && n < maxBlocks) {
      long t = System.nanoTime();
      for (int i = 0; i < k; i++) {
        step.run();
      }
      samples[n++] = (System.nanoTime() - t) / 1e6 / k;
    }
    // the process CPU clock ticks in 10 ms on Linux, so it is read over the whole timed window
    double cpuPerCall = (CpuLoad.ownCpuNanos() - cpu0) / 1e6 / ((double) n * k);
    double[] s = Arrays.copyOf(samples, n);
    Arrays.sort(s);
    return new Timing(percentile(s, 50), percentile(s, 10), percentile(s, 90), n, k, Double.NaN, 1, false,
        cpuPerCall);
  }

  /** The {@code p}-th percentile of sorted {@code s}, interpolated linearly as numpy's default. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("percentile of an empty sample");
    }
    double pos = p / 100.0 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}

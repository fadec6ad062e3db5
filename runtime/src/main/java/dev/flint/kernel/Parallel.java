package dev.flint.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The shared pool that data-parallel kernels split big work over; its size is set by
 * {@code Flint.setNumThreads(n)} and defaults to the number of available processors.
 */
public final class Parallel {
  private static volatile ForkJoinPool pool;
  private static volatile int threads = Runtime.getRuntime().availableProcessors();

  private Parallel() {}

  /** A range body: processes {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  /** Sets the number of threads kernels use (1 runs everything on the caller's thread). */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("the number of threads must be >= 1, but got " + n);
    }
    if (n != threads) {
      ForkJoinPool old = pool;
      pool = null;
      threads = n;
      if (old != null) {
        old.shutdown();
      }
    }
  }

  public static int threads() {
    return threads;
  }

  private static ForkJoinPool pool() {
    ForkJoinPool p = pool;
    if (p == null) {
      synchronized (Parallel.class) {
        if (pool == null) {
          pool = new ForkJoinPool(threads);
        }
        p = pool;
      }
    }
    return p;
  }

  /** Below this much work (a rough operation count) {@link #forRange} stays on the calling thread. */
  static final long MIN_SPLIT_WORK = 1L << 17;

  /** Whether {@link #forRange} would split this much work over more than one thread. */
  public static boolean worthSplitting(long work) {
    return threads > 1 && work >= MIN_SPLIT_WORK;
  }

  /**
   * Runs {@code body} over {@code [0, n)} split in about {@code threads} chunks when {@code work}
   * (a rough operation count) is large enough to pay for the hand-off; else on this thread.
   */
  public static void forRange(int n, long work, Range body) {
    int t = threads;
    if (t <= 1 || n <= 1 || work < MIN_SPLIT_WORK) {
      body.run(0, n);
      return;
    }
    int chunks = Math.min(n, t * 2);
    pool().invoke(new Split(body, 0, n, (n + chunks - 1) / chunks));
  }

  private static final class Split extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient Range body;
    private final int from;
    private final int to;
    private final int grain;

    Split(Range body, int from, int to, int grain) {
      this.body = body;
      this.from = from;
      this.to = to;
      this.grain = grain;
    }

    @Override
    protected void compute() {
      if (to - from <= grain) {
        body.run(from, to);
        return;
      }
      int mid = (from + to) >>> 1;
      invokeAll(new Split(body, from, mid, grain), new Split(body, mid, to, grain));
    }
  }
}

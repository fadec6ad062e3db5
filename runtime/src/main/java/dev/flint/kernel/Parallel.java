package dev.flint.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The shared pool that data-parallel kernels split big work over; its size is set by
 * {@code Flint.setNumThreads(n)} and defaults to the number of available processors.
 *
 * <p>The calling thread takes part: it publishes a range, wakes {@code threads - 1} workers and
 * takes chunks itself until none is left, then waits for the chunks the workers took. Workers spin
 * for a short while after each range before they park, so back-to-back kernels (a training step's
 * products) hand off in about a microsecond instead of the tens of microseconds a wake-up from
 * {@code park} costs on a virtual machine. One range runs at a time: a range started while another
 * runs (from a kernel inside a range, or from another user thread) runs on its caller's thread.
 */
public final class Parallel {
  /** Below this much work (a rough operation count) {@link #forRange} stays on the calling thread. */
  static final long MIN_SPLIT_WORK = 1L << 17;
  /** How long an idle worker spins before it parks ({@code -Dflint.parallel.spinNanos=N}). */
  private static final long SPIN_NANOS = Long.getLong("flint.parallel.spinNanos", 50_000L);

  private static volatile int threads = Runtime.getRuntime().availableProcessors();
  private static volatile Team team;

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
      Team old = team;
      team = null;
      threads = n;
      if (old != null) {
        old.shutdown();
      }
    }
  }

  public static int threads() {
    return threads;
  }

  /** Whether {@link #forRange} would split this much work over more than one thread. */
  public static boolean worthSplitting(long work) {
    return threads > 1 && work >= MIN_SPLIT_WORK;
  }

  /**
   * Runs {@code body} over {@code [0, n)} split in about {@code threads} chunks when {@code work}
   * (a rough operation count) is large enough to pay for the hand-off; else on this thread.
   */
  public static void forRange(int n, long work, Range body) {
    if (runsInline(n, work)) {
      body.run(0, n);
      return;
    }
    int t = threads;
    Team tm = team();
    if (tm == null || !tm.tryRun(n, Math.min(n, 2 * t), body)) {
      body.run(0, n);
    }
  }

  /**
   * Whether {@link #forRange} would run {@code [0, n)} on the calling thread: callers on a hot path test it
   * first and run their loop directly, so they allocate no capturing lambda either.
   */
  static boolean runsInline(int n, long work) {
    return threads <= 1 || n <= 1 || work < MIN_SPLIT_WORK || Thread.currentThread() instanceof Worker;
  }

  private static Team team() {
    Team tm = team;
    if (tm == null) {
      synchronized (Parallel.class) {
        if (team == null && threads > 1) {
          team = new Team(threads - 1);
        }
        tm = team;
      }
    }
    return tm;
  }

  /** One range: its chunks are claimed through {@link #next}, so a worker that wakes late finds none. */
  private static final class Job {
    final Range body;
    final int n;
    final int grain;
    final int chunks;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable error;
    /** The caller, once it parks to wait for the workers' last chunks. */
    volatile Thread waiter;

    Job(Range body, int n, int chunks) {
      this.body = body;
      this.n = n;
      this.grain = (n + chunks - 1) / chunks;
      this.chunks = (n + grain - 1) / grain;
    }

    /** Takes chunks until none is left. */
    void work() {
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        int from = c * grain;
        try {
          body.run(from, Math.min(n, from + grain));
        } catch (Throwable e) {
          if (error == null) {
            error = e;
          }
        } finally {
          if (done.incrementAndGet() == chunks) {
            Thread w = waiter;
            if (w != null) {
              LockSupport.unpark(w);
            }
          }
        }
      }
    }

    /**
     * Waits until every chunk is done: spins briefly (the workers' chunks usually end about when the
     * caller's do), then parks, so that a worker descheduled in the middle of a chunk gets the CPU.
     */
    void await() {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      while (done.get() < chunks) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          waiter = Thread.currentThread();
          if (done.get() < chunks) {
            LockSupport.parkNanos(this, 1_000_000L);
          }
        }
      }
    }
  }

  /** The workers and the one range they may be running. */
  private static final class Team {
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The latest range; a new one wakes the workers. */
    private volatile Job job;
    private volatile boolean stopped;

    Team(int size) {
      workers = new Worker[size];
      for (int i = 0; i < size; i++) {
        workers[i] = new Worker(this, i);
        workers[i].start();
      }
    }

    /** Runs the range on the team and this thread; false, having run nothing, when the team is busy. */
    boolean tryRun(int n, int chunks, Range body) {
      if (!busy.compareAndSet(false, true)) {
        return false;
      }
      try {
        Job j = new Job(body, n, chunks);
        job = j;
        for (Worker w : workers) {
          if (w.parked) {
            LockSupport.unpark(w);
          }
        }
        j.work();
        j.await();
        Throwable e = j.error;
        if (e instanceof RuntimeException) {
          throw (RuntimeException) e;
        }
        if (e instanceof Error) {
          throw (Error) e;
        }
        if (e != null) {
          throw new IllegalStateException("a parallel kernel failed", e);
        }
        return true;
      } finally {
        busy.set(false);
      }
    }

    void shutdown() {
      stopped = true;
      for (Worker w : workers) {
        LockSupport.unpark(w);
      }
    }
  }

  /** A pool thread: waits for a new range (spinning, then parked), and works on it. */
  private static final class Worker extends Thread {
    private final Team team;
    volatile boolean parked;

    Worker(Team team, int index) {
      super("flint-kernel-" + index);
      this.team = team;
      setDaemon(true);
    }

    @Override
    public void run() {
      Job seen = team.job;
      while (!team.stopped) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (team.job == seen && !team.stopped && System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        }
        if (team.job == seen && !team.stopped) {
          parked = true;
          if (team.job == seen && !team.stopped) {
            LockSupport.park(this);
          }
          parked = false;
          continue;
        }
        if (team.stopped) {
          return;
        }
        seen = team.job;
        seen.work();
      }
    }
  }
}

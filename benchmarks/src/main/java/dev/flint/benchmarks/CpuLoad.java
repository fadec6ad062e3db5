package dev.flint.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures how much CPU time <em>other</em> processes take while we benchmark, as
 * {@code benchmarks/pytorch/cpuload.py} does: busy jiffies of the whole machine (from {@code /proc/stat})
 * minus this process's own CPU time (all its threads: JIT, GC, kernel pool), per second of wall time.
 * 0.0 means a clean window; on a 2-core machine 2.0 means the other processes took everything.
 * Where {@code /proc/stat} does not exist, the foreign load is reported as unknown ({@code NaN}).
 */
public final class CpuLoad {
  /** Linux's USER_HZ; /proc/stat counts in these ticks on every mainstream architecture. */
  static final double HZ = 100.0;
  private static final Path PROC_STAT = Path.of("/proc/stat");

  private CpuLoad() {}

  /** True when the machine-wide counters can be read (Linux). */
  public static boolean available() {
    return Files.isReadable(PROC_STAT);
  }

  /** Busy ticks of the whole machine: user + nice + system + irq + softirq of the "cpu" line. */
  static long machineBusyTicks() {
    try {
      List<String> lines = Files.readAllLines(PROC_STAT);
      return parseBusyTicks(lines.get(0));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Parses the aggregate {@code cpu ...} line of /proc/stat into busy ticks. */
  static long parseBusyTicks(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    if (f.length < 8 || !f[0].equals("cpu")) {
      throw new IllegalArgumentException("expected the aggregate 'cpu' line of /proc/stat, but got: " + cpuLine);
    }
    long user = Long.parseLong(f[1]);
    long nice = Long.parseLong(f[2]);
    long system = Long.parseLong(f[3]);
    long irq = Long.parseLong(f[6]);
    long softirq = Long.parseLong(f[7]);
    return user + nice + system + irq + softirq;
  }

  /** This JVM's CPU time so far, in nanoseconds (all threads). */
  static long ownCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }

  /** A measuring window: started at construction, read with {@link #foreignCpus()}. */
  public static final class Window {
    private final long t0 = System.nanoTime();
    private final long busy0 = machineBusyTicks();
    private final long own0 = ownCpuNanos();

    /** CPUs' worth of time that other processes used since this window opened; NaN if unknown. */
    public double foreignCpus() {
      long busy1 = machineBusyTicks();
      long own1 = ownCpuNanos();
      double dt = Math.max((System.nanoTime() - t0) / 1e9, 1e-3);
      if (busy0 < 0 || busy1 < 0 || own0 < 0 || own1 < 0) {
        return Double.NaN;
      }
      double ownTicks = (own1 - own0) / 1e9 * HZ;
      return Math.max(0.0, ((busy1 - busy0) - ownTicks) / HZ / dt);
    }
  }

  /** The foreign load over {@code sampleSeconds} of sleeping. */
  public static double busyOthers(double sampleSeconds) {
    Window w = new Window();
    sleep(sampleSeconds);
    return w.foreignCpus();
  }

  /**
   * Waits until other processes use less than {@code threshold} CPUs for {@code needQuiet}
   * consecutive one-second samples, or until {@code maxWaitSeconds} have passed; returns the last
   * measured foreign load (above the threshold on a timeout). Progress goes to stderr.
   */
  public static double waitQuiet(double maxWaitSeconds, double threshold, int needQuiet) {
    if (!available() || maxWaitSeconds <= 0) {
      return Double.NaN;
    }
    long t0 = System.nanoTime();
    int quiet = 0;
    double f = busyOthers(1.0);
    while (true) {
      quiet = f < threshold ? quiet + 1 : 0;
      if (quiet >= needQuiet || (System.nanoTime() - t0) / 1e9 > maxWaitSeconds) {
        return f;
      }
      if (quiet == 0) {
        System.err.printf("# waiting for other processes to go idle (foreign load %.2f CPUs)%n", f);
        sleep(Math.min(4.0, maxWaitSeconds / 4));
      }
      f = busyOthers(1.0);
    }
  }

  private static void sleep(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.flint.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak benchmark: many compiled training steps of mlp_train_small (the workload of
 * {@link ModelWorkloads#mlpTrainSmall}: MSELoss, SGD with momentum, batch 256) with the heap that
 * survives a full collection sampled at regular steps. A process that trains for days must keep
 * that curve flat: anything a step leaves reachable (a graph node, a lent buffer, a cache entry)
 * shows up as a slope.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *       dev.flint.benchmarks.Soak [--steps 200000] [--every 10000] [--warmup 2000] [--svg soak.svg]
 * </pre>
 *
 * The heap is read with {@code MemoryMXBean.getHeapMemoryUsage().getUsed()} right after
 * {@code System.gc()}, which on HotSpot's collectors is a full, stop-the-world collection: what is
 * left is what the program still reaches (plus the collector's own rounding).
 */
public final class Soak {
  /** The heap after a full collection, {@code heapBytes}, once {@code step} steps had run. */
  public record Sample(long step, long heapBytes) {}

  private Soak() {}

  /**
   * Runs {@code warmup} steps (the JIT, the model's buffer pools and the optimizer state settle),
   * then {@code steps} more, sampling the heap after a full collection before the first and after
   * every {@code every} steps. Step numbers count from the end of the warm-up.
   */
  public static List<Sample> run(Runnable step, long warmup, long steps, long every, PrintStream progress) {
    if (every < 1 || steps < every) {
      throw new IllegalArgumentException("need 1 <= every <= steps, but got every " + every + " and steps " + steps);
    }
    for (long i = 0; i < warmup; i++) {
      step.run();
    }
    List<Sample> samples = new ArrayList<>();
    samples.add(new Sample(0, heapAfterGc()));
    for (long done = 0; done < steps; ) {
      long n = Math.min(every, steps - done);
      for (long i = 0; i < n; i++) {
        step.run();
      }
      done += n;
      Sample s = new Sample(done, heapAfterGc());
      samples.add(s);
      if (progress != null) {
        progress.printf(Locale.ROOT, "# step %,d: heap after GC %.3f MiB%n", s.step(), s.heapBytes() / 1048576.0);
      }
    }
    return samples;
  }

  /** The heap in use right after a full collection, in bytes. */
  public static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The least-squares slope of heap bytes over steps: bytes kept per step. */
  public static double slopeBytesPerStep(List<Sample> samples) {
    int n = samples.size();
    if (n < 2) {
      throw new IllegalArgumentException("a slope needs at least 2 samples, but got " + n);
    }
    double mx = 0;
    double my = 0;
    for (Sample s : samples) {
      mx += s.step();
      my += s.heapBytes();
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (Sample s : samples) {
      sxy += (s.step() - mx) * (s.heapBytes() - my);
      sxx += (s.step() - mx) * (s.step() - mx);
    }
    return sxy / sxx;
  }

  /**
   * The median over consecutive samples of the growth per step: a leak grows the heap in every
   * interval and moves the median; a one-time allocation (a cache filled once, a class the JIT
   * loads late) grows it in one interval only and does not.
   */
  public static double medianBytesPerStep(List<Sample> samples) {
    int n = samples.size() - 1;
    if (n < 1) {
      throw new IllegalArgumentException("a growth rate needs at least 2 samples, but got " + samples.size());
    }
    double[] rates = new double[n];
    for (int i = 0; i < n; i++) {
      Sample a = samples.get(i);
      Sample b = samples.get(i + 1);
      rates[i] = (double) (b.heapBytes() - a.heapBytes()) / (b.step() - a.step());
    }
    java.util.Arrays.sort(rates);
    return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
  }

  /** The samples as a Markdown table: step, heap after GC (MiB), change since the first sample (KiB). */
  public static String table(List<Sample> samples) {
    StringBuilder s = new StringBuilder("| step | heap after GC (MiB) | change since step 0 (KiB) |\n| ---: | ---: | ---: |\n");
    long first = samples.get(0).heapBytes();
    for (Sample x : samples) {
      s.append(String.format(Locale.ROOT, "| %,d | %.3f | %+.1f |%n", x.step(), x.heapBytes() / 1048576.0,
          (x.heapBytes() - first) / 1024.0));
    }
    return s.toString();
  }

  /** The samples as a small SVG line chart (heap after GC in MiB over steps), from 0 MiB up. */
  public static String svg(List<Sample> samples, String title) {
    int w = 640;
    int h = 320;
    int left = 70;
    int right = 20;
    int top = 40;
    int bottom = 50;
    long lastStep = samples.get(samples.size() - 1).step();
    double maxMib = 0;
    for (Sample s : samples) {
      maxMib = Math.max(maxMib, s.heapBytes() / 1048576.0);
    }
    double yMax = Math.max(1, Math.ceil(maxMib * 1.25));
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h, w, h));
    out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"14\">%s</text>%n",
        w / 2, title.replace("&", "&amp;").replace("<", "&lt;")));
    out.append(String.format(Locale.ROOT, "<g stroke=\"#444\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>%n", left, h - bottom, w - right, h - bottom, left, top, left, h - bottom));
    for (int i = 0; i <= 4; i++) {
      double mib = yMax * i / 4;
      double y = h - bottom - (h - top - bottom) * i / 4.0;
      out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", left, y, w - right, y, left - 6, y + 4, mib));
      double x = left + (w - left - right) * i / 4.0;
      out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>%n",
          x, h - bottom + 18, lastStep * i / 4));
    }
    out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">training step</text>%n",
        (left + w - right) / 2, h - 12));
    out.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">"
        + "heap after GC (MiB)</text>%n", (top + h - bottom) / 2, (top + h - bottom) / 2));
    StringBuilder points = new StringBuilder();
    for (Sample s : samples) {
      double x = left + (w - left - right) * (double) s.step() / lastStep;
      double y = h - bottom - (h - top - bottom) * (s.heapBytes() / 1048576.0) / yMax;
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    out.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"%s\"/>%n",
        points.toString().strip()));
    return out.append("</svg>\n").toString();
  }

  public static void main(String[] args) throws IOException {
    long steps = 200_000;
    long every = 10_000;
    long warmup = 2_000;
    Path svg = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--steps" -> steps = Long.parseLong(args[++i]);
        case "--every" -> every = Long.parseLong(args[++i]);
        case "--warmup" -> warmup = Long.parseLong(args[++i]);
        case "--svg" -> svg = Path.of(args[++i]);
        default -> {
          System.err.println("usage: Soak [--steps N] [--every K] [--warmup W] [--svg FILE]");
          System.exit(2);
        }
      }
    }
    TrainStep step = ModelWorkloads.mlpTrainSmall(Models.COMPILED, 256);
    long start = System.nanoTime();
    List<Sample> samples = run(step, warmup, steps, every, System.err);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "soak: %,d compiled mlp_train_small steps (batch 256, after %,d warm-up steps) in %.0f s, "
        + "java %s, max heap %d MiB; last loss %.4f%n", steps, warmup, seconds, System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, step.lastLoss());
    System.out.print(table(samples));
    System.out.printf(Locale.ROOT, "least-squares slope: %.3f bytes per step (%.1f KiB over the run); "
        + "median growth between samples: %.3f bytes per step%n",
        slopeBytesPerStep(samples), slopeBytesPerStep(samples) * steps / 1024, medianBytesPerStep(samples));
    if (svg != null) {
      Files.writeString(svg, svg(samples, String.format(Locale.ROOT, "mlp_train_small, compiled: heap after GC over %,d steps", steps)),
          StandardCharsets.UTF_8);
      System.out.println("wrote " + svg);
    }
  }
}

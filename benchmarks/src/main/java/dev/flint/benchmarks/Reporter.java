package dev.flint.benchmarks;

import dev.flint.Flint;
import dev.flint.kernel.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.Map;

/**
 * Prints one JSON line per measured workload in {@code pytorch_bench.py}'s format (to stdout and,
 * optionally, appended to a file): workload, impl, threads, batch, then {@code steps_per_s} (unless
 * the row reports {@code gflops}), the workload's extras, the timing fields and the environment.
 */
public final class Reporter implements AutoCloseable {
  private final int threads;
  private final PrintStream stdout;
  private final Writer file;

  public Reporter(int threads, PrintStream stdout, Path out) throws IOException {
    this.threads = threads;
    this.stdout = stdout;
    this.file = out == null ? null : Files.newBufferedWriter(out, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Emits one measured row; {@code extras} are name/value pairs (use a LinkedHashMap for order). */
  public void emit(String workload, String impl, Integer batch, Timing t, Map<String, Object> extras) {
    JsonLine row = new JsonLine().put("workload", workload).put("impl", impl).put("threads", threads)
        .put("batch", batch);
    if (!extras.containsKey("gflops")) {
      row.put("steps_per_s", 1000.0 / t.msMedian());
    }
    extras.forEach(row::put);
    row.put("ms_per_step_median", t.msMedian()).put("ms_per_step_p10", t.msP10())
        .put("ms_per_step_p90", t.msP90()).put("n_blocks", t.nBlocks()).put("iters_per_block", t.itersPerBlock())
        .put("cpu_ms_per_step_mean", t.cpuMsPerCall()).put("foreign_cpus", t.foreignCpus()).put("attempt", t.attempt()).put("contaminated", t.contaminated());
    common(row);
    write(row);
  }

  /** Emits a row that is not a timing (an allocation figure), with the environment fields. */
  public void row(JsonLine row) {
    common(row);
    write(row);
  }

  /** Emits a row saying why a workload could not run (as pytorch_bench.py's {@code skip}). */
  public void skip(String workload, String impl, String reason) {
    JsonLine row = new JsonLine().put("workload", workload).put("impl", impl).put("threads", threads)
        .put("error", reason.length() > 300 ? reason.substring(0, 300) : reason);
    write(row);
  }

  private void common(JsonLine row) {
    row.putIfAbsent("flint_threads", Flint.getNumThreads())
        // compare.sh's "no vector module" column: the same workloads without --add-modules jdk.incubator.vector
        .putIfAbsent("vector_module", ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent())
        .putIfAbsent("kernels", Kernels.vectorTier())
        .putIfAbsent("java", System.getProperty("java.version"))
        .putIfAbsent("vm", System.getProperty("java.vm.name"))
        .putIfAbsent("date", LocalDate.now().toString());
  }

  private void write(JsonLine row) {
    String line = row.toString();
    stdout.println(line);
    stdout.flush();
    if (file != null) {
      try {
        file.write(line);
        file.write('\n');
        file.flush();
      } catch (IOException e) {
        throw new IllegalStateException("cannot append to the results file: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (file != null) {
      file.close();
    }
  }
}

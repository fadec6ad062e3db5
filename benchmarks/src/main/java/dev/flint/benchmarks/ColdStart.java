package dev.flint.benchmarks;

import dev.flint.autograd.Autograd;
import dev.flint.benchmarks.models.CompiledMlpMnist;
import dev.flint.benchmarks.models.MlpMnist;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program's first prediction, as a CLI or a serverless function makes it: load the compiled
 * mlp_mnist (784-512-256-10) from safetensors, predict one sample, print the JVM's uptime at that
 * moment. {@code benchmarks/coldstart.sh} launches it 10 times with and without the vector module.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.flint.benchmarks.ColdStart --write mlp.safetensors
 *   java [--add-modules jdk.incubator.vector] -cp benchmarks/target/benchmarks.jar dev.flint.benchmarks.ColdStart mlp.safetensors
 * </pre>
 *
 * Prints {@code first_prediction_uptime_ms=N class=K ...}: N is the JVM uptime (ms since the JVM
 * started) when the prediction returned, read after it so that loading java.management is not
 * counted; then the uptime at which main began, the ms spent loading and predicting, the main
 * thread's CPU ms and the whole process's (JIT compilers, GC and Flint's own threads included), both
 * read right after the prediction.
 */
public final class ColdStart {
  private ColdStart() {}

  public static void main(String[] args) {
    if (args.length == 2 && args[0].equals("--write")) {
      Generator g = new Generator(42);
      MlpMnist model = new CompiledMlpMnist();
      model.parameters().forEach(p -> Autograd.noGrad(() -> p.copyFrom(Tensor.randn(g, p.shape()).mul(0.05))));
      model.save(Path.of(args[1]));
      return;
    }
    if (args.length != 1) {
      System.err.println("usage: ColdStart MODEL.safetensors | ColdStart --write MODEL.safetensors");
      System.exit(2);
    }
    long start = System.nanoTime();
    MlpMnist model = new CompiledMlpMnist();
    model.load(Path.of(args[0]));
    model.eval();
    long loaded = System.nanoTime();
    float[] pixels = new float[784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i % 28) / 28f;
    }
    Tensor logits = Autograd.noGrad(() -> model.forward(Tensor.of(pixels, 1, 784)));
    long predicted = System.nanoTime();
    long[] cpu = procCpuNanos();   // before anything else loads classes or runs code
    int label = (int) logits.argmax().item();
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime() - (System.nanoTime() - predicted) / 1_000_000;
    long threadCpu = cpu != null ? cpu[0] / 1_000_000 : ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
    long processCpu = cpu != null ? cpu[1] / 1_000_000 : -1;
    // where the time went: JVM start to main, loading the model, the prediction; and the CPU time of
    // this thread and of the process, which other processes on a busy machine inflate far less
    System.out.println("first_prediction_uptime_ms=" + uptime + " class=" + label
        + " main_at_ms=" + (uptime - (predicted - start) / 1_000_000) + " load_ms=" + (loaded - start) / 1_000_000
        + " predict_ms=" + (predicted - loaded) / 1_000_000 + " main_thread_cpu_ms=" + threadCpu + " process_cpu_ms=" + processCpu);
  }

  /**
   * The CPU nanoseconds of this thread and of the whole process (every thread's, JIT compilers and GC
   * included) from Linux's schedstat files, read without loading java.management (whose start-up
   * would count); null where /proc has no such files.
   */
  private static long[] procCpuNanos() {
    try {
      long thread = schedstatNanos(Path.of("/proc/thread-self/schedstat"));
      long process = 0;
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
        for (Path task : tasks) {
          try {
            process += schedstatNanos(task.resolve("schedstat"));
          } catch (IOException e) {
            // the thread ended meanwhile
          }
        }
      }
      return new long[] {thread, process};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long schedstatNanos(Path file) throws IOException {
    String s = Files.readString(file);
    return Long.parseLong(s.substring(0, s.indexOf(' ')));
  }
}

package dev.flint.benchmarks;

import dev.flint.Flint;
import dev.flint.benchmarks.gemm.Gemms;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the workloads of {@code benchmarks/pytorch/pytorch_bench.py} on Flint and prints one JSON line per
 * workload and implementation ({@code flint-eager}, {@code flint-compiled}) with the same fields, so
 * {@code benchmarks/compare.sh} can table them beside PyTorch's:
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *       dev.flint.benchmarks.BenchDriver --threads 1 --budget 1.5 [--only gemm,mlp_train_small]
 * </pre>
 * Options: {@code --threads N} (Flint.setNumThreads; default 2, as the Python script),
 * Four workloads are Flint's own: {@code alloc_mlp_train_small} reports heap bytes per training step,
 * {@code gemm_mlp_mnist_step} times the 8 matmuls of an mlp_train_mnist step and {@code gemv_mlp_mnist_b1}
 * the 3 products of a batch-1 mlp_mnist inference (runtime kernel vs candidate), and {@code gpt_generate_kv}
 * gpt_generate's 64 tokens from a KV cache (eager only: the cached forward runs op by op over the model's weights),
 * beside PyTorch's full-recompute gpt_generate.
 * {@code --impl eager,compiled} (model workloads; default both), {@code --budget S} (seconds of timed blocks per workload, default 2.5), {@code --warmup S}
 * (default 4.0: the JIT needs longer than Python, and the first FLOAT32 product spends up to 2 s
 * warming the Vector API kernels), {@code --only a,b}, {@code --gemm-sizes},
 * {@code --out FILE} (append rows), {@code --wait-quiet S} (wait for other processes to go idle
 * before each workload, default 300; 0: don't), {@code --retries N} (re-measure contaminated rows).
 */
public final class BenchDriver {
  static final List<String> ALL = List.of("gemm", "mlp_train_small", "mlp_infer_small", "mlp_train_mnist",
      "mlp_infer_mnist", "autograd_overhead", "cnn_train_small", "gpt_train_small", "gpt_generate",
      "gpt_generate_kv", "lstm_train_small", "alloc_mlp_train_small", "gemm_mlp_mnist_step", "gemv_mlp_mnist_b1");

  private BenchDriver() {}

  public static void main(String[] args) throws IOException {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("BenchDriver: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    Flint.setNumThreads(o.threads);
    // time the vector kernels, not the pure-Java ones that serve while their warm-up runs
    Flint.awaitKernelWarmUp();
    BlockTimer timer = new BlockTimer().warmupSeconds(o.warmup).maxQuietWaitSeconds(o.waitQuiet).retries(o.retries);
    System.err.printf("# java %s (%s), Flint threads=%d, gemm candidate: %s, foreign-load check: %s%n",
        System.getProperty("java.version"), System.getProperty("java.vm.name"), Flint.getNumThreads(),
        Gemms.implementation(), CpuLoad.available() ? "/proc/stat" : "unavailable");
    try (Reporter rep = new Reporter(o.threads, System.out, o.out)) {
      KernelWorkloads kernels = new KernelWorkloads(rep, timer, o.budget);
      ModelWorkloads models = new ModelWorkloads(rep, timer, o.budget);
      SequenceWorkloads sequences = new SequenceWorkloads(rep, timer, o.budget);
      for (String w : o.only) {
        switch (w) {
          case "gemm": kernels.gemm(o.gemmSizes, true); break;
          case "autograd_overhead": kernels.autogradOverhead(); break;
          case "gemm_mlp_mnist_step": kernels.mnistStepMatmuls(true); break;
          case "gemv_mlp_mnist_b1": kernels.mnistBatch1Products(); break;
          case "gpt_generate_kv":
            try {
              sequences.generateKv();
            } catch (RuntimeException e) {
              rep.skip(w, Models.EAGER, e.getMessage() == null ? e.toString() : e.getMessage());
            }
            break;
          default:
            for (String impl : o.impls) {
              try {
                if (w.equals("gpt_generate")) {
                  sequences.generate(impl);
                } else if (w.equals("gpt_train_small") || w.equals("lstm_train_small")) {
                  sequences.train(w, impl);
                } else if (w.startsWith("alloc_")) {
                  models.allocation(impl);
                } else if (w.startsWith("mlp_infer")) {
                  models.infer(w, impl);
                } else {
                  models.train(w, impl);
                }
              } catch (RuntimeException e) {
                rep.skip(w, impl, e.getMessage() == null ? e.toString() : e.getMessage());
              }
            }
        }
      }
    }
  }

  /** The parsed command line. */
  static final class Options {
    static final String USAGE = "usage: BenchDriver [--threads N] [--budget S] [--warmup S] [--only "
        + String.join(",", ALL) + "] [--gemm-sizes 256,512,1024,2048] [--impl eager,compiled] [--out FILE] [--wait-quiet S] [--retries N]";

    int threads = 2;
    double budget = 2.5;
    double warmup = 4.0;
    List<String> only = ALL;
    List<Integer> gemmSizes = List.of(256, 512, 1024, 2048);
    List<String> impls = List.of(Models.EAGER, Models.COMPILED);
    Path out;
    double waitQuiet = 300;
    int retries = 2;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (name.equals("-h") || name.equals("--help")) {
          throw new IllegalArgumentException("help requested");
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        String v = args[++i];
        switch (name) {
          case "--threads": o.threads = positiveInt(name, v); break;
          case "--budget": o.budget = nonNegative(name, v); break;
          case "--warmup": o.warmup = nonNegative(name, v); break;
          case "--wait-quiet": o.waitQuiet = nonNegative(name, v); break;
          case "--retries": o.retries = (int) nonNegative(name, v); break;
          case "--out": o.out = Path.of(v); break;
          case "--gemm-sizes": o.gemmSizes = sizes(v); break;
          case "--only": o.only = workloads(v); break;
          case "--impl": o.impls = impls(v); break;
          default: throw new IllegalArgumentException("unknown option " + name);
        }
      }
      return o;
    }

    private static List<String> workloads(String v) {
      Set<String> picked = new LinkedHashSet<>();
      for (String w : v.split(",")) {
        if (w.isBlank() || w.equals("jit")) {
          continue; // pytorch_bench.py's TorchScript rows have no Flint counterpart under that name
        }
        if (!ALL.contains(w)) {
          throw new IllegalArgumentException("--only: unknown workload '" + w + "'; expected some of " + ALL);
        }
        picked.add(w);
      }
      // keep the Python script's order whatever order the user gave
      List<String> ordered = new ArrayList<>(ALL);
      ordered.retainAll(picked);
      return ordered;
    }

    private static List<String> impls(String v) {
      List<String> out = new ArrayList<>();
      for (String s : v.split(",")) {
        String impl = s.startsWith("flint-") ? s : "flint-" + s;
        if (!impl.equals(Models.EAGER) && !impl.equals(Models.COMPILED)) {
          throw new IllegalArgumentException("--impl: unknown implementation '" + s + "'; expected eager and/or compiled");
        }
        out.add(impl);
      }
      return out;
    }

    private static List<Integer> sizes(String v) {
      List<Integer> out = new ArrayList<>();
      for (String s : v.split(",")) {
        out.add(positiveInt("--gemm-sizes", s.trim()));
      }
      return out;
    }

    private static int positiveInt(String name, String v) {
      try {
        int n = Integer.parseInt(v);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // fall through to the message
      }
      throw new IllegalArgumentException(name + " expects a positive integer, but got '" + v + "'");
    }

    private static double nonNegative(String name, String v) {
      try {
        double d = Double.parseDouble(v);
        if (d >= 0) {
          return d;
        }
      } catch (NumberFormatException e) {
        // fall through to the message
      }
      throw new IllegalArgumentException(name + " expects a number >= 0, but got '" + v + "'");
    }

    @Override
    public String toString() {
      return "threads=" + threads + " budget=" + budget + " only=" + only + " gemm=" + gemmSizes
          + " " + Arrays.asList(warmup, waitQuiet, retries);
    }
  }
}

package dev.flint.benchmarks;

import dev.flint.autograd.Autograd;
import dev.flint.benchmarks.gemm.Gemms;
import dev.flint.kernel.Kernels;
import dev.flint.kernel.Parallel;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workloads of {@code pytorch_bench.py} that exercise single kernels and eager dispatch:
 * {@code gemm} (square float32 matmul into a preallocated output, as {@code torch.mm(a, b, out=c)}),
 * {@code autograd_overhead} and {@code eager_dispatch_nograd} (a chain of 20 elementwise ops on a
 * [4, 4] tensor, with and without the tape).
 */
final class KernelWorkloads {
  static final int CHAIN_OPS = 20;

  private final Reporter rep;
  private final BlockTimer timer;
  private final double budget;

  KernelWorkloads(Reporter rep, BlockTimer timer, double budget) {
    this.rep = rep;
    this.timer = timer;
    this.budget = budget;
  }

  /** Flint's matmul kernel and, when its module is present, the candidate Vector API GEMM. */
  void gemm(List<Integer> sizes, boolean candidate) {
    Generator gen = new Generator(0);
    for (int n : sizes) {
      Tensor a = Tensor.randn(gen, n, n);
      Tensor b = Tensor.randn(gen, n, n);
      Tensor c = Tensor.empty(a.dtype(), n, n);
      Timing t = timer.measure(() -> Kernels.matmul(a, b, c), budget);
      rep.emit("gemm", "flint-eager", null, t, gemmExtras(n, t, "dev.flint.kernel.Kernels.matmul"));
    }
    if (!candidate) {
      return;
    }
    for (int n : sizes) {
      float[] a = Tensor.randn(gen, n, n).toFloatArray();
      float[] b = Tensor.randn(gen, n, n).toFloatArray();
      float[] c = new float[n * n];
      Timing t = timer.measure(() -> candidateGemm(a, b, c, n), budget);
      rep.emit("gemm", "flint-candidate", null, t,
          gemmExtras(n, t, "dev.flint.benchmarks.gemm.Gemms: " + Gemms.implementation()));
    }
  }

  /** C = A·B with the candidate kernel, rows split in blocks of 64 over Flint's pool. */
  static void candidateGemm(float[] a, float[] b, float[] c, int n) {
    Arrays.fill(c, 0);
    int rowBlock = 64;
    int blocks = (n + rowBlock - 1) / rowBlock;
    Parallel.forRange(blocks, (long) n * n * n, (from, to) ->
        Gemms.gemm(a, 0, n, b, 0, n, c, 0, n, n, n, from * rowBlock, Math.min(n, to * rowBlock)));
  }

  private static Map<String, Object> gemmExtras(int n, Timing t, String kernel) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("size", n);
    x.put("gflops", 2.0 * n * n * n / (t.msMedian() / 1000.0) / 1e9);
    x.put("kernel", kernel);
    return x;
  }

  /** 20 alternating add/mul/sigmoid/relu ops on [4, 4], then sum().backward(); and the same under no-grad. */
  void autogradOverhead() {
    Generator gen = new Generator(0);
    Tensor x = Tensor.randn(gen, 4, 4).requiresGrad(true);
    Tensor c = Tensor.randn(gen, 4, 4);
    Timing t = timer.measure(() -> {
      x.setGrad(null);
      chain(x, c).sum().backward();
    }, budget);
    rep.emit("autograd_overhead", "flint-eager", null, t, chainExtras(t,
        "fwd+bwd of 20 elementwise ops + sum().backward(); us_per_op = step/20"));
    Timing nograd = timer.measure(() -> {
      try (Autograd.Scope s = Autograd.noGrad()) {
        chain(x, c).sum();
      }
    }, budget);
    rep.emit("eager_dispatch_nograd", "flint-eager", null, nograd, chainExtras(nograd,
        "same 20-op chain + sum() under no_grad (forward dispatch only)"));
  }

  static Tensor chain(Tensor y, Tensor c) {
    for (int i = 0; i < CHAIN_OPS; i++) {
      switch (i % 4) {
        case 0: y = y.add(c); break;
        case 1: y = y.mul(c); break;
        case 2: y = y.sigmoid(); break;
        default: y = y.relu(); break;
      }
    }
    return y;
  }

  private static Map<String, Object> chainExtras(Timing t, String note) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("shape", List.of(4, 4));
    x.put("n_ops", CHAIN_OPS);
    x.put("us_per_op", t.msMedian() * 1000.0 / CHAIN_OPS);
    x.put("note", note);
    return x;
  }
}

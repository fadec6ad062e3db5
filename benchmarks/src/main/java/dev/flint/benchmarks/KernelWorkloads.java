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
    Gemms.warmUp();
    for (int n : sizes) {
      float[] a = Tensor.randn(gen, n, n).toFloatArray();
      float[] b = Tensor.randn(gen, n, n).toFloatArray();
      float[] c = new float[n * n];
      Timing t = timer.measure(() -> candidateGemm(a, b, c, n), budget);
      rep.emit("gemm", "flint-candidate", null, t,
          gemmExtras(n, t, "dev.flint.benchmarks.gemm.Gemms: " + Gemms.implementation()));
    }
  }

  /**
   * The 8 matrix products of one mlp_train_mnist step at batch 128 (3 forward {@code x·Wᵀ}, 3 weight
   * gradients {@code dYᵀ·X}, 2 input gradients {@code dY·W}), on the operands' natural layouts
   * (transposes are views): through {@code Kernels.matmul} and through the candidate kernel. Shows
   * how much of the step's time the GEMM takes and what the candidate would save.
   */
  void mnistStepMatmuls(boolean candidate) {
    Generator gen = new Generator(0);
    int b = 128;
    int[] widths = {784, 512, 256, 10};
    Tensor[] acts = new Tensor[4];   // X, H1, H2 (inputs of each layer), and Y
    Tensor[] weights = new Tensor[3];
    Tensor[] grads = new Tensor[3];  // dL/d(output of layer l)
    for (int l = 0; l < 4; l++) {
      acts[l] = Tensor.randn(gen, b, widths[l]);
    }
    for (int l = 0; l < 3; l++) {
      weights[l] = Tensor.randn(gen, widths[l + 1], widths[l]);
      grads[l] = Tensor.randn(gen, b, widths[l + 1]);
    }
    Tensor[][] products = new Tensor[8][];
    int at = 0;
    for (int l = 0; l < 3; l++) {
      products[at++] = new Tensor[] {acts[l], weights[l].transpose(0, 1)};   // forward x·Wᵀ
      products[at++] = new Tensor[] {grads[l].transpose(0, 1), acts[l]};    // dW = dYᵀ·X
      if (l > 0) {
        products[at++] = new Tensor[] {grads[l], weights[l]};               // dX = dY·W
      }
    }
    long flop = 0;
    Tensor[] outs = new Tensor[8];
    for (int i = 0; i < 8; i++) {
      Tensor x = products[i][0];
      Tensor y = products[i][1];
      outs[i] = Tensor.empty(x.dtype(), x.size(0), y.size(1));
      flop += 2L * x.size(0) * x.size(1) * y.size(1);
    }
    long flops = flop;
    Timing t = timer.measure(() -> {
      for (int i = 0; i < 8; i++) {
        Kernels.matmul(products[i][0], products[i][1], outs[i]);
      }
    }, budget);
    rep.emit("gemm_mlp_mnist_step", "flint-eager", b, t, stepGemmExtras(flops, t, "dev.flint.kernel.Kernels.matmul"));
    if (!candidate) {
      return;
    }
    Gemms.warmUp();
    Timing c = timer.measure(() -> {
      for (int i = 0; i < 8; i++) {
        Tensor x = products[i][0];
        Tensor y = products[i][1];
        float[] o = outs[i].storage().floats();
        Arrays.fill(o, 0);
        int n = x.size(0);
        int k = x.size(1);
        int m = y.size(1);
        int[] sx = x.strides();
        int[] sy = y.strides();
        Parallel.forRange((n + 63) / 64, (long) n * k * m, (from, to) -> Gemms.gemm(x.storage().floats(), x.offset(),
            sx[0], sx[1], y.storage().floats(), y.offset(), sy[0], sy[1], o, 0, m, k, m, from * 64,
            Math.min(n, to * 64)));
      }
    }, budget);
    rep.emit("gemm_mlp_mnist_step", "flint-candidate", b, c,
        stepGemmExtras(flops, c, "dev.flint.benchmarks.gemm.Gemms: " + Gemms.implementation()));
  }

  /**
   * The 3 products {@code x·Wᵀ} of an mlp_infer_mnist call at batch 1 (784→512→256→10): through
   * {@code Kernels.matmul} with the transposed weight as a view, and through the candidate
   * matrix-vector kernel, which reads W's rows in place instead of packing them.
   */
  void mnistBatch1Products() {
    Generator gen = new Generator(0);
    int[] widths = {784, 512, 256, 10};
    Tensor[] xs = new Tensor[3];
    Tensor[] ws = new Tensor[3];
    Tensor[] wts = new Tensor[3];
    Tensor[] outs = new Tensor[3];
    long flop = 0;
    for (int l = 0; l < 3; l++) {
      xs[l] = Tensor.randn(gen, 1, widths[l]);
      ws[l] = Tensor.randn(gen, widths[l + 1], widths[l]);
      wts[l] = ws[l].transpose(0, 1);
      outs[l] = Tensor.empty(xs[l].dtype(), 1, widths[l + 1]);
      flop += 2L * widths[l] * widths[l + 1];
    }
    long flops = flop;
    Timing t = timer.measure(() -> {
      for (int l = 0; l < 3; l++) {
        Kernels.matmul(xs[l], wts[l], outs[l]);
      }
    }, budget);
    rep.emit("gemv_mlp_mnist_b1", "flint-eager", 1, t, gemvExtras(flops, t, "dev.flint.kernel.Kernels.matmul"));
    Gemms.warmUp();
    Timing c = timer.measure(() -> {
      for (int l = 0; l < 3; l++) {
        float[] y = outs[l].storage().floats();
        Arrays.fill(y, 0);
        Gemms.gemv(ws[l].storage().floats(), 0, widths[l], xs[l].storage().floats(), 0, y, 0, widths[l],
            widths[l + 1]);
      }
    }, budget);
    rep.emit("gemv_mlp_mnist_b1", "flint-candidate", 1, c,
        gemvExtras(flops, c, "dev.flint.benchmarks.gemm.Gemms.gemv: " + Gemms.implementation()));
  }

  private static Map<String, Object> gemvExtras(long flops, Timing t, String kernel) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("us_per_call", t.msMedian() * 1000.0);
    x.put("gflops", flops / (t.msMedian() / 1000.0) / 1e9);
    x.put("kernel", kernel);
    x.put("note", "the 3 products x·Wᵀ of an mlp_infer_mnist call at batch 1 (no bias, no relu)");
    return x;
  }

  private static Map<String, Object> stepGemmExtras(long flops, Timing t, String kernel) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("gflops", flops / (t.msMedian() / 1000.0) / 1e9);
    x.put("n_products", 8);
    x.put("kernel", kernel);
    x.put("note", "the 8 matmuls of one mlp_train_mnist step (batch 128), transposes as views");
    return x;
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

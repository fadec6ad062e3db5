package dev.flint.benchmarks;

import dev.flint.autograd.Autograd;
import dev.flint.benchmarks.models.CnnSmall;
import dev.flint.benchmarks.models.MlpMnist;
import dev.flint.benchmarks.models.MlpSmall;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.MSELoss;
import dev.flint.nn.Module;
import dev.flint.optim.Adam;
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model workloads of {@code pytorch_bench.py}, for one implementation ({@code flint-eager} or
 * {@code flint-compiled}): training steps of mlp_small, mlp_mnist and cnn_small, and inference
 * (eval mode, no-grad) of mlp_small and mlp_mnist. Same models, batch sizes, losses, optimizers and
 * number of distinct batches as the Python script.
 */
final class ModelWorkloads {
  private final Reporter rep;
  private final BlockTimer timer;
  private final double budget;

  ModelWorkloads(Reporter rep, BlockTimer timer, double budget) {
    this.rep = rep;
    this.timer = timer;
    this.budget = budget;
  }

  /** mlp_train_small: MSELoss, SGD(lr 1e-5, momentum 0.9), batch 256. */
  static TrainStep mlpTrainSmall(String impl, int batch) {
    Generator.seedAll(0);
    MlpSmall model = Models.create(MlpSmall.class, impl);
    Generator gen = new Generator(1);
    Tensor[] xs = new Tensor[8];
    Tensor[] ys = new Tensor[8];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Tensor.randn(gen, batch, 117);
      ys[i] = Tensor.randn(gen, batch, 1);
    }
    return new TrainStep(model, new MSELoss(), new SGD(model.parameters(), 1e-5).momentum(0.9), xs, ys);
  }

  /** mlp_train_mnist: CrossEntropyLoss, Adam(1e-3), batch 128. */
  static TrainStep mlpTrainMnist(String impl, int batch) {
    Generator.seedAll(0);
    MlpMnist model = Models.create(MlpMnist.class, impl);
    Generator gen = new Generator(1);
    Tensor[] xs = new Tensor[8];
    Tensor[] ys = new Tensor[8];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Tensor.rand(gen, batch, 784);
      ys[i] = Tensor.randint(gen, 0, 10, batch);
    }
    return new TrainStep(model, new CrossEntropyLoss(), new Adam(model.parameters(), 1e-3), xs, ys);
  }

  /** cnn_train_small: CrossEntropyLoss, SGD(lr 0.01), batch 64 of 1x28x28. */
  static TrainStep cnnTrainSmall(String impl, int batch) {
    Generator.seedAll(0);
    CnnSmall model = Models.create(CnnSmall.class, impl);
    Generator gen = new Generator(1);
    Tensor[] xs = new Tensor[4];
    Tensor[] ys = new Tensor[4];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Tensor.rand(gen, batch, 1, 28, 28);
      ys[i] = Tensor.randint(gen, 0, 10, batch);
    }
    return new TrainStep(model, new CrossEntropyLoss(), new SGD(model.parameters(), 0.01), xs, ys);
  }

  void train(String workload, String impl) {
    TrainStep step;
    int batch;
    switch (workload) {
      case "mlp_train_small": batch = 256; step = mlpTrainSmall(impl, batch); break;
      case "mlp_train_mnist": batch = 128; step = mlpTrainMnist(impl, batch); break;
      case "cnn_train_small": batch = 64; step = cnnTrainSmall(impl, batch); break;
      default: throw new IllegalArgumentException("not a training workload: " + workload);
    }
    Timing t = timer.measure(step, budget);
    double loss = step.lastLoss();
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException(workload + " (" + impl + "): the loss became " + loss);
    }
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("samples_per_s", batch * 1000.0 / t.msMedian());
    x.put("last_loss", loss);
    rep.emit(workload, impl, batch, t, x);
  }

  /**
   * Heap bytes per warm mlp_train_small step (the allocation target of docs/design.md, "Performance targets") at batch 256 and 1024, on
   * one thread so pool threads cannot hide allocations: total, and the optimizer update's share.
   */
  void allocation(String impl) {
    int threads = dev.flint.Flint.getNumThreads();
    dev.flint.Flint.setNumThreads(1);
    try {
      for (int batch : List.of(256, 1024)) {
        TrainStep step = mlpTrainSmall(impl, batch);
        AllocationMeter meter = AllocationMeter.create();
        double perStep = meter.bytesPerCall(step, 500, 100);
        long update = 0;
        for (int i = 0; i < 100; i++) {
          step.zeroGrad();
          step.forwardBackward();
          long before = meter.threadAllocatedBytes();
          step.update();
          update += meter.threadAllocatedBytes() - before;
        }
        JsonLine row = new JsonLine().put("workload", "alloc_mlp_train_small").put("impl", impl)
            .put("threads", 1).put("batch", batch).put("bytes_per_step", perStep)
            .put("optimizer_bytes_per_step", update / 100.0).put("steps", 100)
            .put("note", "ThreadMXBean.getThreadAllocatedBytes over 100 warm steps after 500 warm-up steps");
        rep.row(row);
      }
    } finally {
      dev.flint.Flint.setNumThreads(threads);
    }
  }

  /** mlp_infer_small (batch 256) and mlp_infer_mnist (batches 1 and 128): eval mode, no-grad forward. */
  void infer(String workload, String impl) {
    boolean small = workload.equals("mlp_infer_small");
    Generator.seedAll(0);
    Module model = small ? Models.create(MlpSmall.class, impl) : Models.create(MlpMnist.class, impl);
    model.eval();
    Generator gen = new Generator(1);
    for (int batch : small ? List.of(256) : List.of(1, 128)) {
      Tensor x = small ? Tensor.randn(gen, batch, 117) : Tensor.rand(gen, batch, 784);
      Timing t = timer.measure(() -> {
        try (Autograd.Scope s = Autograd.noGrad()) {
          model.forward(x);
        }
      }, budget);
      Map<String, Object> extras = new LinkedHashMap<>();
      extras.put("us_per_call", t.msMedian() * 1000.0);
      extras.put("samples_per_s", batch * 1000.0 / t.msMedian());
      rep.emit(workload, impl, batch, t, extras);
    }
  }
}

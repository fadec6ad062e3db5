package dev.flint.spark;

import dev.flint.nn.Loss;
import dev.flint.nn.Module;
import dev.flint.nn.Reduction;
import dev.flint.optim.Optimizer;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The single-process truth: one model trained on the same global batches (same seed, same epoch
 * orders) with a mean-reduced loss, as a user would without Spark.
 */
final class LocalTraining {
  private LocalTraining() {}

  static void train(Module model, Optimizer optimizer, LossFactory lossFactory, TrainingData data, long seed,
      int batchSize, int epochs) {
    Loss loss = lossFactory.create(Reduction.MEAN);
    DType dtype = model.parameters().get(0).dtype();
    int n = data.x.length;
    int width = data.x[0].length;
    model.train();
    for (int epoch = 0; epoch < epochs; epoch++) {
      int[] order = EpochShuffle.permutation(seed, epoch, n);
      for (int from = 0; from < n; from += batchSize) {
        int m = Math.min(batchSize, n - from);
        double[] x = new double[m * width];
        long[] y = new long[m];
        for (int i = 0; i < m; i++) {
          System.arraycopy(data.x[order[from + i]], 0, x, i * width, width);
          y[i] = data.y[order[from + i]];
        }
        Tensor value = loss.forward(model.forward(Tensor.of(x, m, width).to(dtype)), Tensor.of(y, m));
        optimizer.zeroGrad();
        value.backward();
        optimizer.step();
      }
    }
  }

  /** The largest difference between two state dicts relative to the largest magnitude in {@code want}, per tensor. */
  static double maxRelativeDifference(Map<String, Tensor> got, Map<String, Tensor> want) {
    double worst = 0;
    for (Map.Entry<String, Tensor> e : want.entrySet()) {
      double[] w = e.getValue().toDoubleArray();
      double[] g = got.get(e.getKey()).toDoubleArray();
      double scale = 0;
      double diff = 0;
      for (int i = 0; i < w.length; i++) {
        scale = Math.max(scale, Math.abs(w[i]));
        diff = Math.max(diff, Math.abs(w[i] - g[i]));
      }
      worst = Math.max(worst, scale == 0 ? diff : diff / scale);
    }
    return worst;
  }

  static Map<String, Tensor> snapshot(Module model) {
    Map<String, Tensor> out = new java.util.LinkedHashMap<>();
    model.stateDict().forEach((k, v) -> out.put(k, v.copyData()));
    return out;
  }

  static List<String> keys(Module model) {
    return List.copyOf(model.stateDict().keySet());
  }
}

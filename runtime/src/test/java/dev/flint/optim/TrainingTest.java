package dev.flint.optim;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.nn.BCEWithLogitsLoss;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.Linear;
import dev.flint.nn.MSELoss;
import dev.flint.nn.Module;
import dev.flint.nn.ReLU;
import dev.flint.nn.Sequential;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** End to end: modules, losses, autograd and optimizers together reduce a loss, as in the tutorial's loop. */
class TrainingTest {
  /** Runs {@code steps} full-batch steps of zeroGrad/forward/backward/step; returns {first loss, last loss}. */
  private static double[] train(Optimizer opt, Supplier<Tensor> loss, int steps, LRScheduler sched) {
    double first = Double.NaN;
    double last = Double.NaN;
    for (int i = 0; i < steps; i++) {
      opt.zeroGrad();
      Tensor l = loss.get();
      l.backward();
      opt.step();
      if (sched != null) {
        sched.step();
      }
      last = l.item();
      if (i == 0) {
        first = last;
      }
    }
    return new double[] {first, last};
  }

  @Test
  void linearRegressionWithSgdMomentumAndStepLR() {
    Generator.seedAll(1);
    Tensor x = Tensor.randn(64, 3);
    Tensor y = x.matmul(Tensor.of(new float[] {1.5f, -2f, 0.5f}, 3, 1)).add(0.25);
    Linear model = new Linear(3, 1);
    Tensor weight = model.weight;
    SGD opt = new SGD(model.parameters(), 0.1).momentum(0.9);
    double[] l = train(opt, () -> new MSELoss().forward(model.forward(x), y), 150, new StepLR(opt, 50, 0.5));
    assertTrue(l[1] < 1e-6 && l[1] < l[0] * 1e-4, "MSE fell from " + l[0] + " to " + l[1]);
    assertSame(weight, model.weight, "parameters are updated in place");
    assertTrue(Math.abs(model.weight.get(0, 1) + 2) < 1e-3, "recovers the weights: " + model.weight);
  }

  @Test
  void classificationWithAdamAndCrossEntropy() {
    Generator.seedAll(2);
    int n = 90;
    long[] labels = new long[n];
    float[] points = new float[n * 2];
    Tensor noise = Tensor.randn(n, 2);
    double[][] centers = {{2, 0}, {-1, 1.7}, {-1, -1.7}};
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      points[2 * i] = (float) (centers[i % 3][0] + 0.5 * noise.get(i, 0));
      points[2 * i + 1] = (float) (centers[i % 3][1] + 0.5 * noise.get(i, 1));
    }
    Tensor x = Tensor.of(points, n, 2);
    Tensor y = Tensor.of(labels);
    for (Function<Module, Optimizer> make : java.util.List.<Function<Module, Optimizer>>of(
        m -> new Adam(m.parameters(), 0.05), m -> new AdamW(m.parameters(), 0.05),
        m -> new RMSprop(m.parameters(), 0.01), m -> new Adagrad(m.parameters(), 0.1))) {
      Generator.seedAll(3);
      Module fresh = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
      Optimizer opt = make.apply(fresh);
      double[] l = train(opt, () -> new CrossEntropyLoss().forward(fresh.forward(x), y), 100, null);
      assertTrue(l[1] < 0.1 * l[0], opt.name() + ": cross entropy fell from " + l[0] + " to " + l[1]);
      long[] predicted = fresh.forward(x).argmax(1).toLongArray();
      int correct = 0;
      for (int i = 0; i < n; i++) {
        correct += predicted[i] == labels[i] ? 1 : 0;
      }
      assertTrue(correct >= 0.95 * n, opt.name() + ": " + correct + " of " + n + " correct");
    }
  }

  @Test
  void logisticRegressionWithBceWithLogitsAndCosineSchedule() {
    Generator.seedAll(4);
    Tensor x = Tensor.randn(80, 2);
    float[] t = new float[80];
    for (int i = 0; i < 80; i++) {
      t[i] = x.get(i, 0) + 2 * x.get(i, 1) > 0 ? 1f : 0f;
    }
    Tensor y = Tensor.of(t, 80, 1);
    Linear model = new Linear(2, 1);
    SGD opt = new SGD(model.parameters(), 0.5).nesterov(true).momentum(0.9);
    double[] l = train(opt, () -> new BCEWithLogitsLoss().forward(model.forward(x), y), 100,
        new CosineAnnealingLR(opt, 100, 0.01));
    assertTrue(l[1] < 0.2 * l[0], "BCE fell from " + l[0] + " to " + l[1]);
    assertTrue(Math.abs(opt.lr() - 0.01) < 1e-12, "the cosine schedule ends at etaMin");
  }
}

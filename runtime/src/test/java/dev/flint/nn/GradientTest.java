package dev.flint.nn;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every layer's gradients against central finite differences in FLOAT64 ({@link GradCheck}). */
class GradientTest {
  private final Generator gen = new Generator(2024);

  private Tensor randn(int... shape) {
    return Conv2dTest.random(gen, DType.FLOAT64, shape);
  }

  @Test
  void linear() {
    GradCheck.checkEach(t -> F.linear(t[0], t[1], t[2]), randn(4, 3), randn(2, 3), randn(2));
    GradCheck.check(t -> F.linear(t[0], t[1], null), randn(2, 5, 3), randn(4, 3));
  }

  @Test
  void activations() {
    Tensor x = randn(3, 4);
    GradCheck.checkEach(t -> F.relu(t[0]), x);
    GradCheck.checkEach(t -> F.leakyRelu(t[0], 0.1), x);
    GradCheck.checkEach(t -> F.sigmoid(t[0]), x);
    GradCheck.checkEach(t -> F.tanh(t[0]), x);
    GradCheck.checkEach(t -> F.gelu(t[0]), randn(3, 4).mul(2));
    GradCheck.checkEach(t -> F.gelu(t[0], "tanh"), x);
    GradCheck.checkEach(t -> F.softmax(t[0], 1), x);
    GradCheck.checkEach(t -> F.logSoftmax(t[0], 0), x);
    GradCheck.checkEach(t -> F.flatten(t[0]), randn(2, 2, 3));
  }

  @Test
  void dropoutScalesTheKeptElements() {
    // The same seed before each evaluation gives the same mask, so the function is deterministic.
    GradCheck.checkEach(t -> {
      Generator.seedAll(3);
      return F.dropout(t[0], 0.4, true);
    }, randn(4, 5));
  }

  @Test
  void conv2d() {
    GradCheck.checkEach(t -> F.conv2d(t[0], t[1], t[2], 1, 0), randn(2, 2, 4, 4), randn(3, 2, 2, 2), randn(3));
    GradCheck.checkEach(t -> F.conv2d(t[0], t[1], t[2], 2, 1), randn(1, 2, 5, 5), randn(2, 2, 3, 3), randn(2));
    GradCheck.check(t -> F.conv2d(t[0], t[1], null, 1, 1), randn(2, 5, 5), randn(2, 2, 3, 3));
  }

  @Test
  void pooling() {
    GradCheck.checkEach(t -> F.maxPool2d(t[0], 2), randn(2, 2, 4, 4));
    GradCheck.checkEach(t -> F.maxPool2d(t[0], 3, 2, 1), randn(1, 2, 5, 5));
    GradCheck.checkEach(t -> F.avgPool2d(t[0], 2), randn(2, 2, 4, 4));
    GradCheck.checkEach(t -> F.avgPool2d(t[0], 3, 1, 1), randn(1, 1, 4, 5));
  }

  @Test
  void batchNormInTrainingAndEval() {
    Tensor rm = Tensor.zeros(DType.FLOAT64, 3);
    Tensor rv = Tensor.ones(DType.FLOAT64, 3);
    GradCheck.checkEach(t -> F.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5),
        randn(4, 3), randn(3), randn(3));
    GradCheck.checkEach(t -> F.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5),
        randn(2, 3, 2, 2), randn(3), randn(3));
    GradCheck.checkEach(t -> F.batchNorm(t[0], rm, rv, t[1], t[2], false, 0.1, 1e-5),
        randn(4, 3, 2), randn(3), randn(3));
  }

  @Test
  void layerNorm() {
    GradCheck.checkEach(t -> F.layerNorm(t[0], new int[] {4}, t[1], t[2], 1e-5), randn(3, 4), randn(4), randn(4));
    GradCheck.checkEach(t -> F.layerNorm(t[0], new int[] {2, 3}, t[1], t[2], 1e-5),
        randn(2, 2, 3), randn(2, 3), randn(2, 3));
  }

  @Test
  void embedding() {
    Tensor idx = Tensor.of(new long[] {2, 0, 2, 1}, 2, 2);
    GradCheck.checkEach(t -> F.embedding(t[0], t[1]), idx, randn(3, 2));
  }

  @Test
  void wholeLayersOnTheirInputs() {
    Linear fc = new Linear(3, 2);
    fc.to(DType.FLOAT64);
    GradCheck.checkEach(t -> fc.forward(t[0]), randn(2, 3));
    Conv2d conv = new Conv2d(1, 2, 3, 1, 1);
    conv.to(DType.FLOAT64);
    GradCheck.check(t -> conv.forward(t[0]), randn(2, 1, 4, 4));
    BatchNorm2d bn = new BatchNorm2d(2);
    bn.to(DType.FLOAT64);
    GradCheck.checkEach(t -> bn.forward(t[0]), randn(2, 2, 2, 2));
    LayerNorm ln = new LayerNorm(3);
    ln.to(DType.FLOAT64);
    GradCheck.checkEach(t -> ln.forward(t[0]), randn(2, 3));
    Sequential seq = new Sequential(new Linear(3, 4), new GELU(), new Linear(4, 2), new LogSoftmax(1));
    seq.to(DType.FLOAT64);
    GradCheck.check(t -> seq.forward(t[0]), randn(5, 3));
  }
}

package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.autograd.Autograd;
import dev.flint.benchmarks.models.MlpMnist;
import dev.flint.optim.Adam;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A compiled model's inference reuses its packed weights (the vector tier's packed-weight cache) only
 * while they are current: training steps of the same instance (forward, backward, Adam) between
 * predictions must show in the next prediction, which is checked against the MLP computed in double
 * from the live state dict.
 */
class CompiledPackedWeightsTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  @Test
  void predictionsAfterCompiledTrainingStepsUseTheNewWeights() {
    Generator.seedAll(0);
    MlpMnist model = Models.create(MlpMnist.class, Models.COMPILED);
    Adam opt = new Adam(model.parameters(), 1e-2);
    Generator g = new Generator(3);
    Tensor x = Tensor.randn(g, 8, 784);
    for (int round = 0; round < 3; round++) {
      model.eval();
      try (Autograd.Scope s = Autograd.noGrad()) {
        for (int call = 0; call < 3; call++) {   // the second call packs the weights, the third reads the packs
          assertClose(expected(model.stateDict(), x), model.forward(x).toFloatArray(), "round " + round + ", call " + call);
        }
      }
      model.train();
      for (int step = 0; step < 2; step++) {
        opt.zeroGrad();
        model.forward(Tensor.randn(g, 16, 784)).pow(2).mean().backward();
        opt.step();
      }
    }
  }

  /** fc3(relu(fc2(relu(fc1(x))))) in double. */
  private static double[] expected(Map<String, Tensor> state, Tensor x) {
    double[] h = x.toDoubleArray();
    int rows = x.size(0);
    h = linear(h, rows, state.get("fc1.weight"), state.get("fc1.bias"), true);
    h = linear(h, rows, state.get("fc2.weight"), state.get("fc2.bias"), true);
    return linear(h, rows, state.get("fc3.weight"), state.get("fc3.bias"), false);
  }

  private static double[] linear(double[] x, int rows, Tensor weight, Tensor bias, boolean relu) {
    int out = weight.size(0);
    int in = weight.size(1);
    double[] w = weight.toDoubleArray();
    double[] b = bias.toDoubleArray();
    double[] y = new double[rows * out];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < out; j++) {
        double acc = b[j];
        for (int p = 0; p < in; p++) {
          acc += x[i * in + p] * w[j * in + p];
        }
        y[i * out + j] = relu ? Math.max(0, acc) : acc;
      }
    }
    return y;
  }

  private static void assertClose(double[] want, float[] got, String what) {
    for (int i = 0; i < want.length; i++) {
      if (Math.abs(want[i] - got[i]) > 1e-4 * (1 + Math.abs(want[i]))) {
        throw new AssertionError(what + ": output " + i + " is " + got[i] + ", expected " + want[i]);
      }
    }
  }
}

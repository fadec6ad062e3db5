package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.nn.Linear;
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java product's kept packs ({@link PlainPacks}): without the vector module a Linear's
 * weight asked for twice at one version is kept packed, batch-1 products use it (instead of dot
 * products), and a write to the weight makes the next product use the new values; training steps and
 * non-parameters keep nothing; with the module nothing is kept here. Surefire runs this class with
 * and without {@code --add-modules jdk.incubator.vector}. Products are compared with x·wᵀ in double.
 */
class PlainPacksTest {
  private static final int IN = 64;
  private static final int OUT = 96;

  @Test
  void batchOneProductsKeepThePackAndSeeEveryWrite() {
    Generator.seedAll(5);
    Linear layer = new Linear(IN, OUT, false);
    Tensor x1 = Tensor.randn(new Generator(6), 1, IN);
    Tensor x5 = Tensor.randn(new Generator(7), 5, IN);
    try (Autograd.Scope s = Autograd.noGrad()) {
      for (int call = 0; call < 3; call++) {
        check(layer, x1, "batch 1, call " + call);
        check(layer, x5, "batch 5, call " + call);
      }
      long held = PlainPacks.heldFloats(layer.weight.storage());
      if (VectorTier.ENABLED) {
        assertEquals(0, held, "the vector tier keeps its own packs");
      } else {
        assertEquals((long) IN * OUT, held, "the weight was not kept packed");
      }
      layer.weight.mulInPlace(-2);
      check(layer, x1, "after mulInPlace");
      check(layer, x1, "after mulInPlace, again");
      layer.weight.fill(0.25);
      check(layer, x1, "after fill");
      check(layer, x5, "after fill, batch 5");
    }
    // an optimizer step writes the weight's array directly and bumps its version
    Tensor loss = layer.forward(x1).pow(2).sum();
    loss.backward();
    new SGD(layer.parameters(), 0.5).step();
    try (Autograd.Scope s = Autograd.noGrad()) {
      check(layer, x1, "after an SGD step");
      check(layer, x1, "after an SGD step, again");
    }
  }

  @Test
  void trainingStepsAndNonParametersKeepNothing() {
    Generator.seedAll(8);
    Linear layer = new Linear(IN, OUT, false);
    SGD sgd = new SGD(layer.parameters(), 0.01);
    Tensor x = Tensor.randn(new Generator(9), 1, IN);
    for (int step = 0; step < 5; step++) {
      sgd.zeroGrad();
      layer.forward(x).pow(2).sum().backward();
      sgd.step();
    }
    assertEquals(0, PlainPacks.heldFloats(layer.weight.storage()), "a training loop kept a pack");
    Tensor w = Tensor.randn(new Generator(10), OUT, IN);
    for (int call = 0; call < 3; call++) {
      Tensor y = Kernels.matmulNT(x, w, null);
      assertClose(expected(x, w), y.toFloatArray(), "a plain tensor, call " + call);
    }
    assertEquals(0, PlainPacks.heldFloats(w.storage()), "a non-parameter was kept packed");
  }

  private static void check(Linear layer, Tensor x, String what) {
    assertClose(expected(x, layer.weight), layer.forward(x).toFloatArray(), what);
  }

  /** x·wᵀ in double from the tensors' current values. */
  private static double[] expected(Tensor x, Tensor w) {
    int n = x.size(0);
    int m = w.size(0);
    double[] xs = x.toDoubleArray();
    double[] ws = w.toDoubleArray();
    double[] out = new double[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double acc = 0;
        for (int p = 0; p < IN; p++) {
          acc += xs[i * IN + p] * ws[j * IN + p];
        }
        out[i * m + j] = acc;
      }
    }
    return out;
  }

  private static void assertClose(double[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      double tol = 1e-4 * (1 + Math.abs(want[i]));
      assertTrue(Math.abs(want[i] - got[i]) <= tol, what + ": element " + i + " is " + got[i] + ", expected " + want[i]);
    }
  }
}

package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.autograd.Autograd;
import dev.flint.kernel.vector.PackedWeights;
import dev.flint.nn.Linear;
import dev.flint.optim.Adagrad;
import dev.flint.optim.Adam;
import dev.flint.optim.AdamW;
import dev.flint.optim.Optimizer;
import dev.flint.optim.RMSprop;
import dev.flint.optim.SGD;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packed-weight cache of the vector tier ({@link PackedWeights}): a Linear's weight packed once is
 * reused until the weight changes, and every way of changing it makes the next product use the new
 * values. Each case fills the cache (two products at one version), writes the weight one way, and
 * compares the next products with the product computed in double from the weight's current values.
 */
class PackedWeightsTest {
  private static final int IN = 64;
  private static final int OUT = 96;
  private static final int ROWS = 8;   // over the gemv path's row limit, so the product packs B

  @BeforeAll
  static void vectorKernelsWarm() {
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  @Test
  void aSecondProductAtOneVersionKeepsThePackAndAThirdUsesIt() {
    Linear layer = layer();
    Tensor x = Tensor.randn(new Generator(3), ROWS, IN);
    try (Autograd.Scope s = Autograd.noGrad()) {
      checkProduct(layer, x, "first product");
      assertEquals(0, PackedWeights.heldFloats(layer.weight.storage()), "packed after a single use");
      checkProduct(layer, x, "second product");
      checkProduct(layer, x, "third product");
    }
    if (VectorTier.ENABLED) {
      assertTrue(PackedWeights.heldFloats(layer.weight.storage()) >= IN * OUT, "the weight was not kept packed");
    }
  }

  @Test
  void batchedInputsShareThePackedWeight() {
    Linear layer = layer();
    Tensor x = Tensor.randn(new Generator(4), 3, ROWS, IN);
    try (Autograd.Scope s = Autograd.noGrad()) {
      for (int i = 0; i < 3; i++) {
        Tensor y = layer.forward(x);
        for (int b = 0; b < 3; b++) {
          assertClose(expected(x.select(0, b), layer.weight), y.select(0, b).toFloatArray(), "batch " + b + ", call " + i);
        }
      }
      layer.weight.mulInPlace(-2);
      assertClose(expected(x.select(0, 1), layer.weight), layer.forward(x).select(0, 1).toFloatArray(), "after mulInPlace");
    }
  }

  @Test
  void everyOptimizerStepInvalidatesThePack() {
    List<Function<List<Tensor>, Optimizer>> optimizers = List.of(
        p -> new SGD(p, 0.5), p -> new Adam(p, 0.1), p -> new AdamW(p, 0.1), p -> new RMSprop(p, 0.1),
        p -> new Adagrad(p, 0.5));
    for (Function<List<Tensor>, Optimizer> make : optimizers) {
      Linear layer = layer();
      Optimizer opt = make.apply(layer.parameters());
      writeThenCheck(layer, opt.getClass().getSimpleName() + ".step", l -> {
        l.weight.setGrad(Tensor.randn(new Generator(9), OUT, IN));
        opt.step();
      });
    }
  }

  @Test
  void inPlaceTensorOpsInvalidateThePack() {
    Tensor other = Tensor.randn(new Generator(5), OUT, IN);
    writeThenCheck(layer(), "fill", l -> l.weight.fill(0.25));
    writeThenCheck(layer(), "zero", l -> l.weight.zero());
    writeThenCheck(layer(), "copyFrom", l -> l.weight.copyFrom(other));
    writeThenCheck(layer(), "addInPlace(tensor)", l -> l.weight.addInPlace(other));
    writeThenCheck(layer(), "addInPlace(scalar)", l -> l.weight.addInPlace(1.5));
    writeThenCheck(layer(), "subInPlace(tensor)", l -> l.weight.subInPlace(other));
    writeThenCheck(layer(), "subInPlace(scalar)", l -> l.weight.subInPlace(0.5));
    writeThenCheck(layer(), "mulInPlace(tensor)", l -> l.weight.mulInPlace(other));
    writeThenCheck(layer(), "mulInPlace(scalar)", l -> l.weight.mulInPlace(3));
    writeThenCheck(layer(), "divInPlace(tensor)", l -> l.weight.divInPlace(other.abs().add(1)));
    writeThenCheck(layer(), "divInPlace(scalar)", l -> l.weight.divInPlace(4));
    // a view of the weight (a state-dict entry, a row) writes the same storage
    writeThenCheck(layer(), "stateDict view copyFrom", l -> l.stateDict().get("weight").copyFrom(other));
    writeThenCheck(layer(), "row view fill", l -> l.weight.select(0, 7).fill(9));
  }

  @Test
  void loadingStateInvalidatesThePack(@TempDir Path dir) throws Exception {
    Linear source = layer();
    Path file = dir.resolve("w.safetensors");
    source.save(file);
    Map<String, Tensor> state = Map.of("weight", Tensor.randn(new Generator(6), OUT, IN));
    writeThenCheck(layer(), "loadStateDict", l -> l.loadStateDict(state, false));
    writeThenCheck(layer(), "load(Path)", l -> l.load(file));
    assertTrue(Files.size(file) > 0);
  }

  @Test
  void newDataForTheParameterIsUsed() {
    writeThenCheck(layer(), "to(FLOAT64) and back", l -> l.to(DType.FLOAT64).to(DType.FLOAT32));
    Tensor replacement = Tensor.randn(new Generator(7), OUT, IN);
    writeThenCheck(layer(), "setData", l -> l.weight.setData(replacement));
    // the replacement is now the parameter's storage: writing it through its own tensor counts too
    Linear layer = layer();
    layer.weight.setData(replacement);
    writeThenCheck(layer, "fill of the tensor given to setData", l -> replacement.fill(-1));
  }

  @Test
  void aDirectWriteIsSeenOnceTheWriterBumpsTheVersion() {
    writeThenCheck(layer(), "storage write + bumpVersion", l -> {
      float[] w = l.weight.storage().floats();
      for (int i = 0; i < w.length; i++) {
        w[i] = i % 7 - 3;
      }
      l.weight.storage().bumpVersion();
    });
  }

  @Test
  void trainingStepsKeepNoPackAndTheCacheHoldsAtMostFourLayouts() {
    Linear layer = layer();
    SGD opt = new SGD(layer.parameters(), 0.1);
    Tensor x = Tensor.randn(new Generator(8), ROWS, IN).requiresGrad(true);
    for (int step = 0; step < 5; step++) {
      opt.zeroGrad();
      layer.forward(x).sum().backward();   // x·Wᵀ forward, then dY·W for x's gradient: each once per version
      opt.step();
    }
    assertEquals(0, PackedWeights.heldFloats(layer.weight.storage()), "a training step packed the weight whole");
    // row slices of one weight (as the q/k/v slices of a fused projection): each is packed on its own,
    // and of eight at most four packs stay
    Tensor w = Tensor.randn(new Generator(10), 8 * 32, IN);
    w.storage().markParameter();
    Tensor rows = Tensor.randn(new Generator(11), 32, IN);
    try (Autograd.Scope s = Autograd.noGrad()) {
      for (int round = 0; round < 3; round++) {
        for (int part = 0; part < 8; part++) {
          Tensor slice = w.narrow(0, part * 32, 32);
          assertClose(expected(rows, slice), rows.matmul(slice.t()).toFloatArray(), "slice " + part + ", round " + round);
        }
      }
      for (int part = 0; part < 4; part++) {   // four slices twice in a row: each is packed
        Tensor slice = w.narrow(0, part * 32, 32);
        for (int call = 0; call < 3; call++) {
          assertClose(expected(rows, slice), rows.matmul(slice.t()).toFloatArray(), "slice " + part + ", call " + call);
        }
      }
    }
    long held = PackedWeights.heldFloats(w.storage());
    assertTrue(held <= 4L * IN * 32, "held " + held + " floats");
    if (VectorTier.ENABLED) {
      assertTrue(held > 0, "no slice was kept packed");
    }
  }

  /** Fills the cache, writes the weight with {@code write} (under no-grad) and checks the next products. */
  private static void writeThenCheck(Linear layer, String what, Consumer<Linear> write) {
    Tensor x = Tensor.randn(new Generator(what.hashCode()), ROWS, IN);
    try (Autograd.Scope s = Autograd.noGrad()) {
      checkProduct(layer, x, what + ": before");
      checkProduct(layer, x, what + ": before, cached");
      checkProduct(layer, x, what + ": before, from the cache");
      write.accept(layer);
      checkProduct(layer, x, what + ": first product after the write");
      checkProduct(layer, x, what + ": second product after the write");
      checkProduct(layer, x, what + ": third product after the write");
    }
  }

  private static Linear layer() {
    Generator.seedAll(1);
    return new Linear(IN, OUT, false);
  }

  private static void checkProduct(Linear layer, Tensor x, String what) {
    assertClose(expected(x, layer.weight), layer.forward(x).toFloatArray(), what);
  }

  /** x·wᵀ in double from the tensors' current values. */
  private static double[] expected(Tensor x, Tensor w) {
    int n = x.size(0);
    int k = x.size(1);
    int m = w.size(0);
    double[] xs = x.toDoubleArray();
    double[] ws = w.toDoubleArray();
    double[] y = new double[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double acc = 0;
        for (int p = 0; p < k; p++) {
          acc += xs[i * k + p] * ws[j * k + p];
        }
        y[i * m + j] = acc;
      }
    }
    return y;
  }

  private static void assertClose(double[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      double tol = 1e-4 * (1 + Math.abs(want[i]));
      if (Math.abs(want[i] - got[i]) > tol) {
        throw new AssertionError(what + ": element " + i + " is " + got[i] + ", expected " + want[i]);
      }
    }
  }
}

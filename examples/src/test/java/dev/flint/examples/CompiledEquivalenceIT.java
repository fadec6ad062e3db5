package dev.flint.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.examples.diabetes.CompiledDiabetesNet;
import dev.flint.examples.diabetes.DiabetesData;
import dev.flint.examples.diabetes.DiabetesExample;
import dev.flint.examples.diabetes.DiabetesNet;
import dev.flint.examples.digits.CompiledDigitsNet;
import dev.flint.examples.digits.DigitsData;
import dev.flint.examples.digits.DigitsExample;
import dev.flint.examples.digits.DigitsNet;
import dev.flint.examples.training.RunOptions;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.Loss;
import dev.flint.nn.MSELoss;
import dev.flint.nn.Module;
import dev.flint.optim.Adam;
import dev.flint.optim.Optimizer;
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples' models trained through their generated {@code Compiled<Name>} classes give the
 * same losses, step by step, as the same models run eagerly op by op (FLOAT32, within 1e-4), and
 * the full programs reach the same results in both modes.
 */
class CompiledEquivalenceIT {
  static final double TOLERANCE = 1e-4;

  @TempDir Path dir;

  @Test
  void diabetesLossesMatchStepByStep() {
    DiabetesData data = DiabetesData.load(0);
    List<Double> eager = stepLosses(DiabetesNet::new, data.train(), 32, 5, new MSELoss(),
        m -> new SGD(m.parameters(), 0.003).momentum(0.9).weightDecay(1e-3));
    List<Double> compiled = stepLosses(CompiledDiabetesNet::new, data.train(), 32, 5, new MSELoss(),
        m -> new SGD(m.parameters(), 0.003).momentum(0.9).weightDecay(1e-3));
    assertSame(eager, compiled);
  }

  @Test
  void digitsLossesMatchStepByStep() {
    DigitsData data = DigitsData.load(0);
    List<Double> eager = stepLosses(DigitsNet::new, data.train(), 32, 2, new CrossEntropyLoss(),
        m -> new Adam(m.parameters(), 1e-3));
    List<Double> compiled = stepLosses(CompiledDigitsNet::new, data.train(), 32, 2, new CrossEntropyLoss(),
        m -> new Adam(m.parameters(), 1e-3));
    assertSame(eager, compiled);
  }

  @Test
  void programsGiveTheSameCurvesCompiledAndEager() {
    DiabetesExample.Result de = DiabetesExample.run(new RunOptions(8, dir.resolve("de"), 0, true));
    DiabetesExample.Result dc = DiabetesExample.run(new RunOptions(8, dir.resolve("dc"), 0, false));
    assertEquals("eager", de.mode());
    assertEquals("compiled", dc.mode());
    assertSame(de.curve().train(), dc.curve().train());
    assertSame(de.curve().valid(), dc.curve().valid());
    assertEquals(de.testMse(), dc.testMse(), TOLERANCE * de.testMse());

    DigitsExample.Result ge = DigitsExample.run(new RunOptions(4, dir.resolve("ge"), 0, true));
    DigitsExample.Result gc = DigitsExample.run(new RunOptions(4, dir.resolve("gc"), 0, false));
    assertEquals("compiled", gc.mode());
    assertSame(ge.curve().train(), gc.curve().train());
    assertSame(ge.curve().valid(), gc.curve().valid());
    assertEquals(ge.testAccuracy(), gc.testAccuracy(), 1.0 / ge.testSamples());
  }

  /** Guards the comparisons above: the compiled classes really run generated code, with one autograd node per forward. */
  @Test
  void compiledForwardIsOneGeneratedNode() {
    Tensor x = DigitsData.load(0).train().get(0).x().unsqueeze(0);
    assertEquals("CompiledDigitsNetBackward", new CompiledDigitsNet().forward(x).gradFn().name());
    assertTrue(!new DigitsNet().forward(x).gradFn().name().startsWith("Compiled"));
    Tensor d = DiabetesData.load(0).train().get(0).x().unsqueeze(0);
    assertEquals("CompiledDiabetesNetBackward", new CompiledDiabetesNet().forward(d).gradFn().name());
  }

  @Test
  void compiledModelSavesUnderTheEagerModelsNames() {
    Generator.seedAll(1);
    DigitsNet eager = new DigitsNet();
    Generator.seedAll(1);
    DigitsNet compiled = new CompiledDigitsNet();
    assertEquals(eager.stateDict().keySet(), compiled.stateDict().keySet());
    Path file = dir.resolve("compiled.safetensors");
    compiled.save(file);
    DigitsNet reloaded = new DigitsNet();
    reloaded.load(file);
    for (Map.Entry<String, Tensor> e : eager.stateDict().entrySet()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue().toFloatArray(),
          reloaded.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
    }
  }

  /** Every training step's loss, for {@code epochs} epochs of a model built right after seeding the default generator. */
  private static <M extends Module> List<Double> stepLosses(java.util.function.Supplier<M> model,
      dev.flint.data.Dataset<dev.flint.data.Sample> train, int batchSize, int epochs, Loss lossFn,
      Function<M, Optimizer> optimizer) {
    Generator.seedAll(42);
    M m = model.get();
    Optimizer opt = optimizer.apply(m);
    DataLoader loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(7).build();
    List<Double> losses = new ArrayList<>();
    m.train();
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (Batch b : loader) {
        Tensor loss = lossFn.forward(m.forward(b.x()), b.y());
        opt.zeroGrad();
        loss.backward();
        opt.step();
        losses.add(loss.item());
      }
    }
    return losses;
  }

  private static void assertSame(List<Double> eager, List<Double> compiled) {
    assertEquals(eager.size(), compiled.size());
    assertTrue(eager.get(0) > 0, "a real loss");
    for (int i = 0; i < eager.size(); i++) {
      double e = eager.get(i);
      double c = compiled.get(i);
      assertTrue(Math.abs(e - c) <= TOLERANCE * Math.max(1, Math.abs(e)),
          "step " + i + ": eager loss " + e + ", compiled loss " + c);
    }
  }
}

package dev.flint.optim;

import static dev.flint.optim.Steps.GRADS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Behaviour shared by all optimizers: zeroGrad, skipped parameters, state dicts, errors, allocation. */
class OptimizerTest {
  private static final List<Function<List<Tensor>, Optimizer>> ALL = List.of(
      ps -> new SGD(ps, 0.1).momentum(0.9).nesterov(true).weightDecay(0.01),
      ps -> new Adam(ps, 0.05).amsgrad(true).weightDecay(0.1),
      ps -> new AdamW(ps, 0.05).betas(0.8, 0.9),
      ps -> new RMSprop(ps, 0.01).centered(true).momentum(0.5),
      ps -> new Adagrad(ps, 0.1).lrDecay(0.1).initialAccumulatorValue(0.1));

  @Test
  void defaultLearningRatesArePyTorchs() {
    assertEquals(1e-3, new SGD(Steps.list(Steps.param())).lr());
    assertEquals(1e-3, new Adam(Steps.list(Steps.param())).lr());
    assertEquals(1e-3, new AdamW(Steps.list(Steps.param())).lr());
    assertEquals(1e-2, new RMSprop(Steps.list(Steps.param())).lr());
    assertEquals(1e-2, new Adagrad(Steps.list(Steps.param())).lr());
  }

  @Test
  void zeroGradSetsGradientsToNull() {
    Tensor a = Steps.param();
    Tensor b = Steps.param();
    a.setGrad(Tensor.of(GRADS[0].clone(), 2, 2));
    b.setGrad(Tensor.of(GRADS[1].clone(), 2, 2));
    new SGD(Steps.list(a, b), 0.1).zeroGrad();
    assertNull(a.grad());
    assertNull(b.grad());
  }

  @Test
  void zeroGradInPlaceKeepsTheGradientTensors() {
    Tensor a = Steps.param();
    Tensor g = Tensor.of(GRADS[0].clone(), 2, 2);
    a.setGrad(g);
    new SGD(Steps.list(a), 0.1).zeroGrad(false);
    assertTrue(a.grad() == g, "the same gradient tensor");
    assertArrayEquals(new double[4], g.toDoubleArray());
  }

  @Test
  void parametersWithoutGradientAreSkippedAndKeepTheirOwnStepCount() {
    Tensor a = Steps.param();
    Tensor b = Steps.param();
    Adam opt = new Adam(Steps.list(a, b), 0.1);
    a.setGrad(Tensor.of(GRADS[0].clone(), 2, 2));
    opt.step();
    assertArrayEquals(Steps.W0, b.toDoubleArray(), "b had no gradient");
    assertFalse(opt.stateDict().containsKey("state.1.step"));
    b.setGrad(Tensor.of(GRADS[0].clone(), 2, 2));
    a.setGrad(null);
    double[] aBefore = a.toDoubleArray();
    opt.step();
    assertArrayEquals(aBefore, a.toDoubleArray());
    // b's first step is a first step for Adam's bias correction: same result as a's first step.
    Steps.assertClose(aBefore, b.toDoubleArray(), 0, "b after its first step");
    Map<String, Tensor> sd = opt.stateDict();
    assertEquals(1.0, sd.get("state.0.step").item());
    assertEquals(1.0, sd.get("state.1.step").item());
  }

  @Test
  void stateDictHasPyTorchKeys() {
    Tensor p = Steps.param();
    Adam opt = new Adam(Steps.list(p), 0.05).betas(0.8, 0.9).amsgrad(true);
    Steps.run(opt, p, 2);
    Map<String, Tensor> sd = opt.stateDict();
    assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
        "param_groups.0.lr", "param_groups.0.betas", "param_groups.0.eps", "param_groups.0.weight_decay",
        "param_groups.0.amsgrad"), List.copyOf(sd.keySet()));
    assertEquals(2.0, sd.get("state.0.step").item());
    assertArrayEquals(new int[] {2, 2}, sd.get("state.0.exp_avg").shape());
    assertArrayEquals(new double[] {0.8, 0.9}, sd.get("param_groups.0.betas").toDoubleArray());
    // m after two steps of β₁ = 0.8: 0.8·0.2·g1 + 0.2·g2.
    assertEquals(0.8 * 0.2 * GRADS[0][0] + 0.2 * GRADS[1][0], sd.get("state.0.exp_avg").get(0, 0), 1e-15);
  }

  @Test
  void stateDictRoundTripResumesIdentically() {
    for (Function<List<Tensor>, Optimizer> make : ALL) {
      Tensor p1 = Steps.param();
      Optimizer straight = make.apply(Steps.list(p1));
      double[][] expected = Steps.run(straight, p1, 3);

      Tensor p2 = Steps.param();
      Optimizer first = make.apply(Steps.list(p2));
      p2.setGrad(Tensor.of(GRADS[0].clone(), 2, 2));
      first.step();
      Map<String, Tensor> saved = first.stateDict();
      first.step(); // changes to the live optimizer do not leak into the snapshot
      Tensor p3 = Tensor.of(stepOne(make), 2, 2).requiresGrad(true);
      Optimizer resumed = make.apply(Steps.list(p3));
      resumed.setLr(123); // overwritten by the loaded hyperparameters
      resumed.loadStateDict(saved);
      for (int t = 1; t < 3; t++) {
        p3.setGrad(Tensor.of(GRADS[t].clone(), 2, 2));
        resumed.step();
        assertArrayEquals(expected[t], p3.toDoubleArray(), 0, resumed.name() + " after resumed step " + (t + 1));
      }
    }
  }

  /** The parameter values after one step (what a checkpoint of the model would hold). */
  private static double[] stepOne(Function<List<Tensor>, Optimizer> make) {
    Tensor p = Steps.param();
    return Steps.run(make.apply(Steps.list(p)), p, 1)[0];
  }

  @Test
  void loadStateDictListsEveryProblemAndChangesNothing() {
    Tensor p = Steps.param();
    Adam adam = new Adam(Steps.list(p), 0.1);
    Steps.run(adam, p, 1);
    Map<String, Tensor> sd = new java.util.LinkedHashMap<>(adam.stateDict());
    sd.remove("param_groups.0.eps");
    sd.put("state.0.exp_avg", Tensor.zeros(DType.FLOAT64, 3));
    sd.put("state.5.exp_avg", Tensor.zeros(DType.FLOAT64, 2, 2));
    sd.put("state.0.momentum_buffer", Tensor.zeros(DType.FLOAT64, 2, 2));
    Adam other = new Adam(Steps.list(Steps.param()), 0.5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(sd));
    String m = e.getMessage();
    assertTrue(m.contains("missing param_groups.0.eps"), m);
    assertTrue(m.contains("state.0.exp_avg has shape [3], but parameter 0 has shape [2, 2]"), m);
    assertTrue(m.contains("unexpected key state.5.exp_avg"), m);
    assertTrue(m.contains("unexpected key state.0.momentum_buffer"), m);
    assertEquals(0.5, other.lr(), "nothing was applied");
    assertTrue(other.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.")));
  }

  @Test
  void stridedAndFloat32GradientsAreReadInRowMajorOrder() {
    Tensor p = Steps.param();
    SGD opt = new SGD(Steps.list(p), 1.0);
    // A transposed view of [[g00, g10], [g01, g11]] stored column-wise.
    double[] g = GRADS[0];
    Tensor strided = Internals.view(Storage.of(new double[] {g[0], g[2], g[1], g[3]}), 0, new int[] {2, 2}, new int[] {1, 2});
    p.setGrad(strided);
    opt.step();
    double[] expected = new double[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = Steps.W0[i] - g[i];
    }
    assertArrayEquals(expected, p.toDoubleArray(), 1e-15);
    p.setGrad(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    opt.step();
    assertEquals(expected[3] - 4, p.get(1, 1), 1e-15);
  }

  @Test
  void gradientOfTheWrongShapeIsRefused() {
    Tensor p = Steps.param();
    p.setGrad(Tensor.of(new double[] {1, 2, 3, 4}));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Adam(Steps.list(p), 0.1).step());
    assertEquals("Adam: parameter 0 has shape [2, 2], but its gradient has shape [4]", e.getMessage());
  }

  @Test
  void badParameterListsAreRefused() {
    Tensor p = Steps.param();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p, p), 0.1));
    assertTrue(e.getMessage().contains("parameter 1 is the same tensor as parameter 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
    assertTrue(e.getMessage().contains("empty parameter list"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.arange(3)), 0.1));
    assertTrue(e.getMessage().contains("parameter 0 is INT64"), e.getMessage());
  }

  @Test
  void warmStepsAllocateNothing() {
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (Function<List<Tensor>, Optimizer> make : ALL) {
      Tensor p32 = Tensor.zeros(64, 32).requiresGrad(true);
      Tensor p64 = Tensor.zeros(DType.FLOAT64, 100).requiresGrad(true);
      p32.setGrad(Tensor.full(0.5, 64, 32));
      p64.setGrad(Tensor.full(-0.5, DType.FLOAT64, 100));
      Optimizer opt = make.apply(List.of(p32, p64));
      for (int i = 0; i < 200; i++) {
        opt.step(); // warm up: state, scratch, JIT
      }
      long tid = Thread.currentThread().getId();
      long before = bean.getThreadAllocatedBytes(tid);
      int steps = 4000;
      for (int i = 0; i < steps; i++) {
        opt.step();
      }
      long allocated = bean.getThreadAllocatedBytes(tid) - before;
      // One object per step would be >= 16 bytes a step; a few KB of JIT noise is tolerated.
      assertTrue(allocated < 4 * steps, opt.name() + " allocated " + allocated + " bytes in " + steps + " warm steps");
    }
  }
}

package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.dsl.Layer;
import dev.flint.tensor.DType;
import dev.flint.tensor.Device;
import dev.flint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleTest {
  /** A leaf with a weight [out, in], an optional bias, and an integer buffer. */
  static final class Leaf extends Module {
    final Tensor weight;
    final Tensor bias;

    Leaf(int in, int out, boolean bias) {
      double[] w = new double[in * out];
      for (int i = 0; i < w.length; i++) {
        w[i] = i + 1;
      }
      weight = registerParameter("weight", Tensor.of(w, out, in).copyData());
      this.bias = bias ? registerParameter("bias", Tensor.zeros(DType.FLOAT64, out)) : null;
    }

    Leaf(int in, int out) {
      this(in, out, true);
    }

    @Override
    public Tensor forward(Tensor input) {
      return input;
    }

    @Override
    protected String extraRepr() {
      return "in=" + weight.size(1) + ", out=" + weight.size(0);
    }
  }

  /** A leaf with buffers only, as batch norm's running statistics. */
  static final class Stats extends Module {
    final Tensor runningMean = registerBuffer("running_mean", Tensor.zeros(3));
    final Tensor count = registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));

    @Override
    public Tensor forward(Tensor input) {
      return input;
    }
  }

  static class Base extends Module {
    @Layer Leaf fc1 = new Leaf(2, 3);

    @Override
    public Tensor forward(Tensor input) {
      return input;
    }
  }

  static class Net extends Base {
    @Layer Stats bn = new Stats();
    @Layer Sequential body = new Sequential(new Leaf(3, 4), new Leaf(4, 1));
    @Layer Leaf unset = null;
    static @Layer Leaf shared = new Leaf(1, 1);
  }

  @Test
  void namesFollowFieldsAndIndicesSuperclassFirst() {
    Net net = new Net();
    assertEquals(List.of("fc1.weight", "fc1.bias", "body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias"),
        List.copyOf(net.namedParameters().keySet()));
    assertEquals(List.of("bn.running_mean", "bn.num_batches_tracked"), List.copyOf(net.namedBuffers().keySet()));
    assertEquals(List.of("fc1", "bn", "body"), List.copyOf(net.namedChildren().keySet()));
    assertEquals(List.of("", "fc1", "bn", "body", "body.0", "body.1"), List.copyOf(net.namedModules().keySet()));
    assertSame(net.fc1.weight, net.namedParameters().get("fc1.weight"));
    assertSame(net.body.get(1), net.namedModules().get("body.1"));
    assertEquals(6 + 3 + 12 + 4 + 4 + 1, net.numParameters());
    assertEquals(List.of(net.fc1.weight, net.fc1.bias), net.parameters().subList(0, 2));
    assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
  }

  @Test
  void sharedParametersAppearOnceButStateDictListsEveryName() {
    Leaf leaf = new Leaf(2, 2);
    Sequential twice = new Sequential(leaf, new Leaf(2, 2), leaf);
    assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(twice.namedParameters().keySet()));
    assertEquals(4, twice.parameters().size());
    assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"),
        List.copyOf(twice.stateDict().keySet()));
    assertEquals(2, twice.children().size());
  }

  @Test
  void stateDictHoldsDetachedViewsOfTheLiveData() {
    Net net = new Net();
    Map<String, Tensor> state = net.stateDict();
    assertEquals(List.of("fc1.weight", "fc1.bias", "bn.running_mean", "bn.num_batches_tracked", "body.0.weight",
        "body.0.bias", "body.1.weight", "body.1.bias"), List.copyOf(state.keySet()));
    Tensor w = state.get("fc1.weight");
    assertNotSame(net.fc1.weight, w);
    assertFalse(w.requiresGrad());
    assertSame(net.fc1.weight.storage(), w.storage());
  }

  @Test
  void loadStateDictCopiesInPlaceKeepingIdentity() {
    Net source = new Net();
    source.fc1.weight.storage().setDouble(0, 42);
    source.bn.count.storage().setLong(0, 7);
    Net target = new Net();
    Tensor weight = target.fc1.weight;
    Object storage = weight.storage();
    Module.IncompatibleKeys result = target.loadStateDict(source.stateDict());
    assertSame(weight, target.fc1.weight);
    assertSame(storage, target.fc1.weight.storage());
    assertEquals(42, target.fc1.weight.get(0, 0));
    assertEquals(7, target.bn.count.getLong());
    assertTrue(result.missingKeys().isEmpty() && result.unexpectedKeys().isEmpty());
    // The checkpoint's values were copied, not shared.
    source.fc1.weight.storage().setDouble(0, -1);
    assertEquals(42, target.fc1.weight.get(0, 0));
  }

  @Test
  void loadStateDictConvertsDtypes() {
    Leaf leaf = new Leaf(2, 1);
    Map<String, Tensor> state = new HashMap<>();
    state.put("weight", Tensor.of(new float[] {1.5f, -2.5f}, 1, 2));
    state.put("bias", Tensor.of(new float[] {0.25f}));
    leaf.loadStateDict(state);
    assertEquals(DType.FLOAT64, leaf.weight.dtype());
    assertArrayEquals(new double[] {1.5, -2.5}, leaf.weight.toDoubleArray());
    assertArrayEquals(new double[] {0.25}, leaf.bias.toDoubleArray());
  }

  @Test
  void strictLoadListsEveryMissingUnexpectedAndMismatchedKeyAndChangesNothing() {
    Net net = new Net();
    Map<String, Tensor> state = new LinkedHashMap<>(net.stateDict());
    state.remove("fc1.bias");
    state.remove("body.1.weight");
    state.put("fc9.weight", Tensor.zeros(1));
    state.put("extra", Tensor.zeros(1));
    state.put("body.0.weight", Tensor.zeros(DType.FLOAT64, 5, 3));
    state.put("fc1.weight", Tensor.full(3, DType.FLOAT64, 3, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
    String msg = e.getMessage();
    assertTrue(msg.startsWith("Error(s) in loading state_dict for Net:"), msg);
    assertTrue(msg.contains("Missing key(s) in state_dict: \"fc1.bias\", \"body.1.weight\"."), msg);
    assertTrue(msg.contains("Unexpected key(s) in state_dict: \"fc9.weight\", \"extra\"."), msg);
    assertTrue(msg.contains("size mismatch for body.0.weight: copying a param with shape [5, 3] from checkpoint, "
        + "the shape in current model is [4, 3]."), msg);
    assertEquals(1, net.fc1.weight.get(0, 0), "a refused load changes nothing");
  }

  @Test
  void nonStrictLoadReportsKeysButStillRefusesShapeMismatch() {
    Net net = new Net();
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("fc1.weight", Tensor.full(3, DType.FLOAT64, 3, 2));
    state.put("other", Tensor.zeros(1));
    Module.IncompatibleKeys keys = net.loadStateDict(state, false);
    assertEquals(3, net.fc1.weight.get(2, 1));
    assertEquals(List.of("other"), keys.unexpectedKeys());
    assertTrue(keys.missingKeys().contains("fc1.bias"));
    assertEquals(7, keys.missingKeys().size());
    state.put("fc1.bias", Tensor.zeros(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state, false));
    assertTrue(e.getMessage().contains("size mismatch for fc1.bias"), e.getMessage());
    assertFalse(e.getMessage().contains("Unexpected"), e.getMessage());
  }

  @Test
  void saveAndLoadRoundTripThroughSafetensors(@TempDir Path dir) throws Exception {
    Net net = new Net();
    net.fc1.weight.storage().setDouble(3, -7.25);
    net.bn.count.storage().setLong(0, 5);
    Path file = dir.resolve("net.safetensors");
    net.save(file);
    Net other = new Net();
    Tensor weight = other.fc1.weight;
    assertSame(other, other.load(file));
    assertSame(weight, other.fc1.weight);
    for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
      assertArrayEquals(e.getValue().toDoubleArray(), other.stateDict().get(e.getKey()).toDoubleArray(), e.getKey());
    }
    assertEquals(5, other.bn.count.getLong());
    // Saving again replaces the file atomically; no temporary files are left behind.
    net.save(file);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.collect(Collectors.toList()));
    }
    // Another model's file is refused with its keys listed.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Leaf(2, 3).load(file));
    assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict: \"fc1.weight\""), e.getMessage());
    assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"weight\", \"bias\""), e.getMessage());
  }

  @Test
  void trainAndEvalRecurse() {
    Net net = new Net();
    assertTrue(net.isTraining());
    assertSame(net, net.eval());
    for (Module m : net.modules()) {
      assertFalse(m.isTraining(), m.toString());
    }
    net.train();
    assertTrue(net.body.get(1).isTraining());
    net.train(false);
    assertFalse(net.body.get(0).isTraining());
  }

  @Test
  void toFloat64KeepsIdentityAndLeavesIntegerBuffers() {
    Net net = new Net();
    Tensor w = net.fc1.weight;
    net.to(DType.FLOAT32);
    assertEquals(DType.FLOAT32, w.dtype());
    w.setGrad(Tensor.ones(DType.FLOAT64, 3, 2));
    assertSame(net, net.to(DType.FLOAT64));
    assertSame(w, net.fc1.weight);
    assertSame(w, net.parameters().get(0));
    assertEquals(DType.FLOAT64, w.dtype());
    assertEquals(DType.FLOAT64, net.bn.runningMean.dtype());
    assertEquals(DType.INT64, net.bn.count.dtype());
    assertEquals(6, w.get(2, 1));
    assertTrue(w.requiresGrad());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.to(DType.INT64));
    assertTrue(e.getMessage().contains("floating-point"), e.getMessage());
  }

  @Test
  void toDevice() {
    Net net = new Net();
    assertSame(net, net.to(Device.CPU));
    RuntimeException e = assertThrows(RuntimeException.class, () -> net.to(Device.cuda(0)));
    assertTrue(e.getMessage().contains("cuda:0"), e.getMessage());
  }

  @Test
  void applyVisitsChildrenFirstAndRequiresGradFreezes() {
    Net net = new Net();
    List<Module> order = new java.util.ArrayList<>();
    assertSame(net, net.apply(order::add));
    assertEquals(List.of(net.fc1, net.bn, net.body.get(0), net.body.get(1), net.body, net), order);
    net.body.requiresGrad(false);
    assertFalse(net.body.get(0).parameters().get(0).requiresGrad());
    assertTrue(net.fc1.weight.requiresGrad());
  }

  @Test
  void zeroGradClearsEveryGradient() {
    Net net = new Net();
    for (Tensor p : net.parameters()) {
      p.setGrad(Tensor.onesLike(p));
    }
    net.zeroGrad();
    for (Tensor p : net.parameters()) {
      assertNull(p.grad());
    }
  }

  @Test
  void printsTheModuleTreeAsPyTorch() {
    assertEquals("Net(\n"
        + "  (fc1): Leaf(in=2, out=3)\n"
        + "  (bn): Stats()\n"
        + "  (body): Sequential(\n"
        + "    (0): Leaf(in=3, out=4)\n"
        + "    (1): Leaf(in=4, out=1)\n"
        + "  )\n"
        + ")", new Net().toString());
  }

  /** What the processor generates: layers listed by plain field reads, no reflection. */
  static final class CompiledNet extends Net {
    int calls;

    @Override
    protected Map<String, Module> declaredLayers() {
      calls++;
      Map<String, Module> layers = new LinkedHashMap<>();
      layers.put("fc1", fc1);
      layers.put("bn", bn);
      layers.put("body", body);
      return layers;
    }
  }

  @Test
  void compiledSubclassesListTheirLayersThemselvesAndPrintAsTheModel() {
    CompiledNet net = new CompiledNet();
    assertEquals(new Net().stateDict().keySet(), net.stateDict().keySet());
    assertTrue(net.calls > 0, "traversals go through declaredLayers()");
    net.eval();
    assertFalse(net.body.get(0).isTraining());
    assertTrue(net.toString().startsWith("Net(\n  (fc1): Leaf(in=2, out=3)"), net.toString());
  }

  static class BadField extends Module {
    @Layer String name = "x";

    @Override
    public Tensor forward(Tensor input) {
      return input;
    }
  }

  @Test
  void layerFieldThatIsNotAModuleIsAClearError() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new BadField().parameters());
    assertTrue(e.getMessage().contains("BadField.name") && e.getMessage().contains("must hold a Module"),
        e.getMessage());
  }

  @Test
  void registrationRejectsBadNames() {
    Module m = new Sequential();
    assertThrows(IllegalArgumentException.class, () -> m.registerParameter("a.b", Tensor.zeros(1)));
    m.registerBuffer("x", Tensor.zeros(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.registerParameter("x", Tensor.zeros(1)));
    assertTrue(e.getMessage().contains("already has"), e.getMessage());
  }

  @Test
  void sequentialChainsForwardAndIndexes() {
    Module addOne = new Module() {
      @Override
      public Tensor forward(Tensor input) {
        return Tensor.full(input.item() + 1, DType.FLOAT64);
      }
    };
    Module twice = new Module() {
      @Override
      public Tensor forward(Tensor input) {
        return Tensor.full(input.item() * 2, DType.FLOAT64);
      }
    };
    Sequential s = new Sequential(addOne, twice);
    assertEquals(8, s.forward(Tensor.scalar(3)).item());
    assertSame(twice, s.get(-1));
    assertEquals(2, s.size());
    assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
  }
}

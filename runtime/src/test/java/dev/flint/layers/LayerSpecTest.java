package dev.flint.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.EagerAlgebra;
import dev.flint.compiled.LayerKernels;
import dev.flint.nn.Module;
import dev.flint.ops.DimAlgebra;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@link LayerSpec} against its module in {@code dev.flint.nn}, the eager truth: constructors,
 * defaults, parameters and buffers (fields, state-dict names, shapes), and the forward.
 */
class LayerSpecTest {

  /** The required arguments each spec is tested with, and an input that fits them. */
  private record Case(Object[] required, int[] input, boolean indices) {}

  private static final Map<LayerSpec, Case> CASES = new EnumMap<>(LayerSpec.class);

  static {
    CASES.put(LayerSpec.LINEAR, new Case(new Object[] {3, 4}, new int[] {5, 3}, false));
    CASES.put(LayerSpec.RELU, new Case(new Object[] {}, new int[] {2, 3}, false));
    CASES.put(LayerSpec.SIGMOID, new Case(new Object[] {}, new int[] {2, 3}, false));
    CASES.put(LayerSpec.TANH, new Case(new Object[] {}, new int[] {2, 3}, false));
    CASES.put(LayerSpec.GELU, new Case(new Object[] {}, new int[] {2, 3}, false));
    CASES.put(LayerSpec.LEAKY_RELU, new Case(new Object[] {}, new int[] {2, 3}, false));
    CASES.put(LayerSpec.SOFTMAX, new Case(new Object[] {-1}, new int[] {2, 3}, false));
    CASES.put(LayerSpec.LOG_SOFTMAX, new Case(new Object[] {1}, new int[] {2, 3}, false));
    CASES.put(LayerSpec.DROPOUT, new Case(new Object[] {}, new int[] {4, 6}, false));
    CASES.put(LayerSpec.BATCH_NORM_1D, new Case(new Object[] {3}, new int[] {4, 3, 2}, false));
    CASES.put(LayerSpec.BATCH_NORM_2D, new Case(new Object[] {2}, new int[] {3, 2, 2, 2}, false));
    CASES.put(LayerSpec.LAYER_NORM, new Case(new Object[] {new int[] {2, 3}}, new int[] {4, 2, 3}, false));
    CASES.put(LayerSpec.CONV2D, new Case(new Object[] {2, 3, 3}, new int[] {2, 2, 5, 5}, false));
    CASES.put(LayerSpec.CONV1D, new Case(new Object[] {2, 3, 3}, new int[] {2, 2, 7}, false));
    CASES.put(LayerSpec.LSTM, new Case(new Object[] {3, 4}, new int[] {2, 5, 3}, false));
    CASES.put(LayerSpec.GRU, new Case(new Object[] {3, 4}, new int[] {2, 5, 3}, false));
    CASES.put(LayerSpec.MULTIHEAD_ATTENTION, new Case(new Object[] {6, 2}, new int[] {2, 5, 6}, false));
    CASES.put(LayerSpec.MAX_POOL2D, new Case(new Object[] {2}, new int[] {1, 2, 4, 4}, false));
    CASES.put(LayerSpec.AVG_POOL2D, new Case(new Object[] {2}, new int[] {1, 2, 4, 4}, false));
    CASES.put(LayerSpec.FLATTEN, new Case(new Object[] {}, new int[] {2, 3, 4}, false));
    CASES.put(LayerSpec.EMBEDDING, new Case(new Object[] {7, 3}, new int[] {2, 4}, true));
  }

  @ParameterizedTest
  @EnumSource(LayerSpec.class)
  void everyPublicConstructorTakesAPrefixOfTheParameters(LayerSpec spec) throws Exception {
    Class<?> module = moduleClass(spec);
    int required = (int) spec.params().stream().filter(p -> p.defaultValue() == null).count();
    int longest = -1;
    for (Constructor<?> c : module.getConstructors()) {
      Class<?>[] types = c.getParameterTypes();
      assertTrue(types.length >= required && types.length <= spec.params().size(),
          spec + ": constructor " + Arrays.toString(types) + " does not take a prefix of " + spec.params());
      for (int i = 0; i < types.length; i++) {
        assertEquals(javaType(spec.params().get(i).kind()), types[i], spec + ": parameter " + spec.params().get(i).name());
      }
      longest = Math.max(longest, types.length);
    }
    assertEquals(spec.params().size(), longest, spec + ": no constructor takes every parameter");
  }

  @ParameterizedTest
  @EnumSource(LayerSpec.class)
  void theSpecsDefaultsAreTheModulesDefaults(LayerSpec spec) throws Exception {
    LayerArgs args = spec.bind(CASES.get(spec).required());
    Module shortest = build(spec, CASES.get(spec).required());
    List<Object> all = new ArrayList<>();
    spec.params().forEach(p -> all.add(args.get(p.name())));
    Module full = build(spec, all.toArray());
    assertEquals(full.toString(), shortest.toString(), spec + ": the module's defaults differ from " + args);
  }

  @ParameterizedTest
  @EnumSource(LayerSpec.class)
  void stateIsTheModulesParametersAndBuffers(LayerSpec spec) throws Exception {
    LayerArgs args = spec.bind(CASES.get(spec).required());
    Module m = build(spec, CASES.get(spec).required());
    Map<String, int[]> declared = new LinkedHashMap<>();
    for (StateSpec s : spec.state(args)) {
      declared.put(s.stateName(), s.shape());
      Tensor field = read(m, s.field());
      assertNotNull(field, spec + "." + s.field());
      assertSame(m.stateDict().get(s.stateName()).storage(), field.storage(), spec + ": field " + s.field() + " is "
          + s.stateName());
      assertEquals(s.buffer(), m.namedBuffers().containsKey(s.stateName()), spec + ": " + s.stateName() + " buffer");
      assertEquals(s.counts() ? DType.INT64 : DType.FLOAT32, field.dtype(), spec + ": " + s.stateName() + " dtype");
    }
    Map<String, Tensor> actual = m.stateDict();
    assertEquals(declared.keySet(), actual.keySet(), spec + " state-dict names");
    declared.forEach((k, v) -> assertArrayEquals(v, actual.get(k).shape(), spec + ": shape of " + k));
  }

  @ParameterizedTest
  @EnumSource(LayerSpec.class)
  void theSpecsForwardIsTheModulesForward(LayerSpec spec) throws Exception {
    for (boolean training : new boolean[] {true, false}) {
      Case c = CASES.get(spec);
      Module module = build(spec, c.required());
      Module twin = build(spec, c.required());   // the spec runs on a copy, so buffers updated in training compare too
      module.train(training);
      Tensor x = c.indices() ? Tensor.of(new long[] {0, 6, 2, 3, 3, 1, 5, 4}).reshape(c.input())
          : Tensor.randn(new Generator(7), c.input());
      Generator.defaultGenerator().manualSeed(11);
      Tensor expected = module.forward(x);
      Generator.defaultGenerator().manualSeed(11);
      Tensor actual = spec.forward(EagerAlgebra.INSTANCE, new ModuleContext(twin, training), spec.bind(c.required()), x);
      assertArrayEquals(expected.shape(), actual.shape(), spec + " shape, training " + training);
      assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 1e-6, spec + " values, training " + training);
      module.stateDict().forEach((k, v) -> assertArrayEquals(v.toDoubleArray(), twin.stateDict().get(k).toDoubleArray(),
          1e-6, spec + ": " + k + " after forward, training " + training));
    }
  }

  /**
   * The recurrent specs' record forms ({@code forward(x, h0, c0)} → {@code LSTM.Output}, {@code forward(x, h0)} →
   * {@code GRU.Output}) against the modules, with given states and with null (zeros): the components in the
   * order of the module's record, equal values, and a wrong state shape refused with both shapes.
   */
  @Test
  void recurrentStatesAgreeWithTheModule() throws Exception {
    for (LayerSpec spec : new LayerSpec[] {LayerSpec.LSTM, LayerSpec.GRU}) {
      boolean lstm = spec == LayerSpec.LSTM;
      Module module = build(spec, new Object[] {3, 4, 2});
      module.to(DType.FLOAT64);
      Class<?> record = Class.forName(LayerSpec.NN_PACKAGE + "." + spec.className() + "$Output");
      List<String> components = Arrays.stream(record.getRecordComponents()).map(c -> c.getName()).toList();
      int more = lstm ? 2 : 1;
      assertEquals(components, spec.recordComponents(more), spec + ": the record's accessors");
      assertEquals(null, spec.recordComponents(0), spec + ": forward(x) returns a tensor");
      assertEquals(spec.className() + ".Output", spec.recordType());
      Tensor x = Tensor.randn(new Generator(5), 2, 5, 3).to(DType.FLOAT64);
      Tensor h0 = Tensor.randn(new Generator(6), 2, 2, 4).to(DType.FLOAT64);
      Tensor c0 = Tensor.randn(new Generator(7), 2, 2, 4).to(DType.FLOAT64);
      ModuleContext ctx = new ModuleContext(module, true);
      LayerArgs args = spec.bind(3, 4, 2);
      for (boolean given : new boolean[] {true, false}) {
        List<Object> states = lstm ? Arrays.asList(given ? h0 : null, given ? c0 : null) : Arrays.asList(given ? h0 : null);
        Object expected = lstm ? ((dev.flint.nn.LSTM) module).forward(x, given ? h0 : null, given ? c0 : null)
            : ((dev.flint.nn.GRU) module).forward(x, given ? h0 : null);
        List<Tensor> actual = spec.forwardRecord(EagerAlgebra.INSTANCE, ctx, args, x, states);
        assertEquals(components.size(), actual.size(), spec + ": components");
        for (int i = 0; i < components.size(); i++) {
          Tensor e = (Tensor) record.getRecordComponents()[i].getAccessor().invoke(expected);
          assertArrayEquals(e.shape(), actual.get(i).shape(), spec + " " + components.get(i) + " shape, states " + given);
          assertArrayEquals(e.toDoubleArray(), actual.get(i).toDoubleArray(), 0, spec + " " + components.get(i));
        }
      }
      List<Object> wrong = lstm ? Arrays.asList(h0.narrow(0, 0, 1), c0) : List.of(h0.narrow(0, 0, 1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> spec.forwardRecord(EagerAlgebra.INSTANCE, ctx, args, x, wrong));
      assertEquals(spec.className() + ": h0 must be [num_layers, B, hidden_size] = [2, 2, 4], but got [1, 2, 4]",
          e.getMessage());
      assertThrows(UnsupportedOperationException.class,
          () -> spec.forward(EagerAlgebra.INSTANCE, ctx, args, x, states(lstm, h0, c0)));
    }
  }

  private static List<Object> states(boolean lstm, Tensor h0, Tensor c0) {
    return lstm ? List.of(h0, c0) : List.of(h0);
  }

  /** The spec's masked self-attention (the composition) against the module's fused kernel: BOOL, floating and causal masks. */
  @Test
  void attentionMasksAgreeWithTheModule() throws Exception {
    LayerSpec spec = LayerSpec.MULTIHEAD_ATTENTION;
    Module module = build(spec, new Object[] {6, 3});
    dev.flint.nn.MultiheadAttention mha = (dev.flint.nn.MultiheadAttention) module;
    Tensor x = Tensor.randn(new Generator(9), 2, 4, 6).to(DType.FLOAT64);
    module.to(DType.FLOAT64);
    Tensor floating = Tensor.randn(new Generator(10), 4, 4).to(DType.FLOAT64);
    Tensor bool = Tensor.of(new boolean[] {false, true, false, false, false, false, true, false, true, false, false,
        false, false, false, false, true}).reshape(4, 4);
    ModuleContext ctx = new ModuleContext(module, false);
    LayerArgs args = spec.bind(6, 3);
    Object[][] cases = {{floating, mha.forward(x, x, x, floating)}, {bool, mha.forward(x, x, x, bool)},
        {true, mha.forward(x, x, x, true)}, {false, mha.forward(x)}};
    for (Object[] c : cases) {
      Tensor actual = spec.forward(EagerAlgebra.INSTANCE, ctx, args, x, List.of(x, x, c[0]));
      assertArrayEquals(((Tensor) c[1]).toDoubleArray(), actual.toDoubleArray(), 1e-12, "mask " + c[0]);
    }
    Tensor pad = Tensor.of(new boolean[] {false, false, false, false, false, false, true, true}).reshape(2, 4);
    Object[][] padded = {{pad, null, mha.forward(x, x, x, pad, null)}, {pad, bool, mha.forward(x, x, x, pad, bool)},
        {floating.narrow(0, 0, 2), floating, mha.forward(x, x, x, floating.narrow(0, 0, 2), floating)}};
    for (Object[] c : padded) {
      Tensor actual = spec.forward(EagerAlgebra.INSTANCE, ctx, args, x, Arrays.asList(x, x, c[0], c[1]));
      assertArrayEquals(((Tensor) c[2]).toDoubleArray(), actual.toDoubleArray(), 1e-12, "key padding " + c[0] + ", mask " + c[1]);
    }
    assertThrows(IllegalArgumentException.class,
        () -> spec.forward(EagerAlgebra.INSTANCE, ctx, args, x, Arrays.asList(x, x, bool, null)), "a [T, S] key padding mask");
    // cross-attention: a memory of another length S = 3 as key and value, or a different value too
    Tensor memory = Tensor.randn(new Generator(12), 2, 3, 6).to(DType.FLOAT64);
    Tensor value = memory.mul(2.0);
    Tensor cross = Tensor.randn(new Generator(13), 4, 3).to(DType.FLOAT64);
    Tensor crossPad = Tensor.of(new boolean[] {false, false, true, false, true, false}).reshape(2, 3);
    Object[][] crossCases = {{memory, memory, Arrays.asList(memory, memory, null), mha.forward(x, memory, memory, null)},
        {memory, value, Arrays.asList(memory, value, cross), mha.forward(x, memory, value, cross)},
        {memory, memory, Arrays.asList(memory, memory, crossPad, null), mha.forward(x, memory, memory, crossPad, null)},
        {memory, value, List.of(memory, value, false), mha.forward(x, memory, value, false)},
        {x, value.narrow(1, 0, 1).expand(2, 4, 6), List.of(x, value.narrow(1, 0, 1).expand(2, 4, 6), true),
            mha.forward(x, x, value.narrow(1, 0, 1).expand(2, 4, 6), true)}};
    for (Object[] c : crossCases) {
      @SuppressWarnings("unchecked")
      Tensor actual = spec.forward(EagerAlgebra.INSTANCE, ctx, args, x, (List<Object>) c[2]);
      assertArrayEquals(((Tensor) c[3]).toDoubleArray(), actual.toDoubleArray(), 1e-12, "cross-attention " + c[2]);
    }
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> spec.forward(EagerAlgebra.INSTANCE, ctx, args, x, Arrays.asList(memory, x, null)));
    assertEquals("MultiheadAttention: key and value must be [B, S, 6] with the query's B and one S for both, but got "
        + "query [2, 4, 6], key [2, 3, 6] and value [2, 4, 6]", lengths.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> spec.forward(EagerAlgebra.INSTANCE, ctx, args, x, Arrays.asList(memory, memory, floating)), "[T, T] for S = 3");
    assertThrows(UnsupportedOperationException.class,
        () -> spec.forward(EagerAlgebra.INSTANCE, ctx, args, x, List.of(memory, memory, true)), "causal needs S = T");
  }

  @Test
  void bindingNamesTheLayerAndTheParameter() {
    assertEquals(4, LayerSpec.LINEAR.bind(3, 4).integer("outFeatures"));
    assertEquals(true, LayerSpec.LINEAR.bind(3, 4).bool("bias"));
    assertEquals(3, LayerSpec.MAX_POOL2D.bind(3).integer("stride"), "a pool's stride defaults to its kernel size");
    assertArrayEquals(new int[] {2, 3}, LayerSpec.LAYER_NORM.bind(2, 3).integers("normalizedShape"));
    assertEquals(1e-3, LayerSpec.LAYER_NORM.bind(2, 3, 1e-3).real("eps"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> LayerSpec.LINEAR.bind(3));
    assertEquals("Linear: missing argument outFeatures (inFeatures, outFeatures, bias = true)", missing.getMessage());
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> LayerSpec.LINEAR.bind(3, 4, 1));
    assertEquals("Linear: argument bias must be a boolean, but got 1", kind.getMessage());
    IllegalArgumentException extra = assertThrows(IllegalArgumentException.class, () -> LayerSpec.RELU.bind(1));
    assertTrue(extra.getMessage().startsWith("ReLU: takes at most 0 arguments"), extra.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LayerSpec.DROPOUT.bind(1.5));
    assertArrayEquals(new int[] {3}, LayerSpec.LINEAR.sampleShape(LayerSpec.LINEAR.bind(3, 4)));
    assertArrayEquals(new int[] {2, 3}, LayerSpec.LAYER_NORM.sampleShape(LayerSpec.LAYER_NORM.bind(2, 3)));
    assertEquals(null, LayerSpec.CONV2D.sampleShape(LayerSpec.CONV2D.bind(1, 2, 3)), "a convolution cannot tell H and W");
    assertThrows(IllegalArgumentException.class, () -> LayerSpec.GELU.bind("exact"));
  }

  @Test
  void layersIsALeafPackage() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("src/main/java/dev/flint/layers");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(dir), "sources not found");
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        for (String line : java.nio.file.Files.readString(f).split("\n")) {
          assertTrue(!line.startsWith("import ") || line.startsWith("import java.") || line.startsWith("import dev.flint.ops."),
              f + ": " + line);
        }
      }
    }
  }

  /**
   * The tensor a StateSpec's field names, read as the generated code reads it: a public field
   * ({@code weight}), a path of them ({@code outProj.weight}) or a public accessor ({@code weightIh(0)}).
   */
  private static Tensor read(Object owner, String path) throws NoSuchFieldException {
    Object v = owner;
    for (String part : path.split("\\.")) {
      try {
        int open = part.indexOf('(');
        if (open > 0) {
          v = v.getClass().getMethod(part.substring(0, open), int.class)
              .invoke(v, Integer.parseInt(part.substring(open + 1, part.length() - 1)));
        } else {
          Field f = v.getClass().getField(part);
          v = Modifier.isStatic(f.getModifiers()) ? null : f.get(v);
        }
      } catch (NoSuchMethodException e) {
        throw new NoSuchFieldException(path);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
      if (v == null) {
        return null;
      }
    }
    return (Tensor) v;
  }

  private static Class<?> moduleClass(LayerSpec spec) throws ClassNotFoundException {
    return Class.forName(LayerSpec.NN_PACKAGE + "." + spec.className());
  }

  private static Class<?> javaType(Param.Kind kind) {
    return switch (kind) {
      case INT, DIM -> int.class;
      case INTS -> int[].class;
      case REAL -> double.class;
      case BOOL -> boolean.class;
      case TEXT -> String.class;
    };
  }

  /** The module built from these arguments (the same seed each time, so two builds hold equal weights). */
  private static Module build(LayerSpec spec, Object[] args) throws Exception {
    for (Constructor<?> c : moduleClass(spec).getConstructors()) {
      if (c.getParameterCount() == args.length) {
        Generator.defaultGenerator().manualSeed(3);
        return (Module) c.newInstance(args);
      }
    }
    throw new AssertionError(spec + " has no constructor of " + args.length + " arguments");
  }

  /** The module's public tensor fields as the layer's state, masks and updates from the runtime, as eager modules use. */
  private static final class ModuleContext implements LayerContext<Tensor> {
    private final Module module;
    private final boolean training;

    ModuleContext(Module module, boolean training) {
      this.module = module;
      this.training = training;
    }

    @Override
    public DimAlgebra dims() {
      return DimAlgebra.EAGER;
    }

    @Override
    public double reciprocal(int n) {
      return 1.0 / n;
    }

    @Override
    public int[] shape(Tensor x) {
      return x.shape();
    }

    @Override
    public boolean has(String field) {
      return state(field) != null;
    }

    @Override
    public Tensor state(String field) {
      try {
        return read(module, field);
      } catch (NoSuchFieldException e) {
        return null;
      }
    }

    @Override
    public Tensor attentionBias(Tensor mask, Tensor x) {
      return LayerKernels.attentionBias(mask, x);
    }

    @Override
    public Tensor causalBias(Tensor x) {
      return LayerKernels.causalBias(x);
    }

    @Override
    public Tensor zeroState(Tensor x, int hidden) {
      return LayerKernels.zeroState(x, hidden);
    }

    @Override
    public boolean training() {
      return training;
    }

    @Override
    public Tensor dropoutMask(Tensor x, double p) {
      return LayerKernels.dropoutMask(x, p);
    }

    @Override
    public Tensor leakyReluSlopes(Tensor x, double slope) {
      return LayerKernels.leakyReluSlopes(x, slope);
    }

    @Override
    public void updateRunningStats(Tensor x3, Tensor mean, Tensor var, double momentum) {
      int[] s = x3.shape();
      LayerKernels.updateRunningStats(state("runningMean"), state("runningVar"), mean, var, momentum, s[0] * s[2]);
      LayerKernels.countBatch(state("numBatchesTracked"));
    }
  }
}

package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.flint.autograd.Autograd;
import dev.flint.autograd.GradCheck;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import dev.flint.testing.ModelCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compiles models with the processor, runs the compiled and the eager model side by side, and checks
 * that outputs, parameter gradients, input gradients and buffers agree (≤ 1e-9 relative in FLOAT64,
 * ≤ 1e-4 in FLOAT32), in training and evaluation mode; and that GradCheck passes through the compiled model.
 */
class EquivalenceTest {

  @Test
  void sinCosAndRounding() throws Exception {
    check("Trig", new int[] {4, 3});
  }

  @Test
  void basicIndexing() throws Exception {
    check("Indexed", new int[] {3, 4, 6});
  }

  @Test
  void mlp() throws Exception {
    check("Mlp", new int[] {4, 10});
  }

  @Test
  void cnnWithBatchNormDropoutAndPools() throws Exception {
    check("Cnn", new int[] {3, 1, 12, 12});
  }

  @Test
  void residualAdd() throws Exception {
    check("Residual", new int[] {4, 6});
  }

  @Test
  void catOfTwoBranches() throws Exception {
    check("Branches", new int[] {3, 5});
  }

  @Test
  void sequentialFields() throws Exception {
    check("Seq", new int[] {4, 6});
  }

  @Test
  void nestedModels() throws Exception {
    check("Nested", new int[] {3, 4}, false, "Block");
  }

  @Test
  void embedding() throws Exception {
    check("Embed", new int[] {3, 5}, true);
  }

  @Test
  void trainingBranch() throws Exception {
    check("Modes", new int[] {5, 6});
  }

  @Test
  void sequenceShapes() throws Exception {
    check("Shapes3d", new int[] {2, 4, 6});
  }

  @Test
  void normsWithoutAffineOrRunningStats() throws Exception {
    check("NoAffine", new int[] {5, 6});
  }

  @Test
  void noBias() throws Exception {
    check("NoBias", new int[] {4, 3});
  }

  @Test
  void convolutionalSequential() throws Exception {
    check("ConvSeq", new int[] {3, 2, 8, 8});
  }

  @Test
  void conv1d() throws Exception {
    check("Conv1dNet", new int[] {3, 2, 16});
  }

  @Test
  void lstmClassifier() throws Exception {
    check("LstmClassifier", new int[] {3, 7, 5});
  }

  @Test
  void gruClassifier() throws Exception {
    check("GruClassifier", new int[] {3, 6, 4});
  }

  /** GRU and LSTM over a length T known only at run time: one compiled class, checked at two lengths. */
  @Test
  void recurrencesOverASymbolicLength() throws Exception {
    check("Recurrences", new int[] {2, 5, 4});
    check("Recurrences", new int[] {3, 2, 4});
  }

  /**
   * LSTM.Output in @Forward: an encoder LSTM from initial states given as inputs, whose (h_n, c_n) start a
   * decoder over a target of another length; gradients reach h0 and c0 and flow from h_n and c_n.
   */
  @Test
  void lstmStatesAcrossTwoLayers() throws Exception {
    checkInputs("Seq2Seq", List.of(new int[][] {{3, 5, 4}, {3, 2, 3}, {2, 3, 6}, {2, 3, 6}},
        new int[][] {{2, 1, 4}, {2, 4, 3}, {2, 2, 6}, {2, 2, 6}}));
  }

  /** GRU.Output in @Forward: a computed initial state, a record read through var and inline, and null (zeros). */
  @Test
  void gruStateComputedAndRead() throws Exception {
    checkInputs("GruState", List.of(new int[][] {{3, 4, 4}, {3, 3}}, new int[][] {{1, 2, 4}, {1, 3}}));
  }

  /**
   * MultiheadAttention cross-attention: queries of length T over a memory input of another length S (key and
   * value one tensor, with a floating per-key bias; then key and value different tensors).
   */
  @Test
  void crossAttentionOverAMemoryOfAnotherLength() throws Exception {
    checkInputs("CrossAttention", List.of(new int[][] {{3, 4, 8}, {3, 6, 8}, {3, 6}},
        new int[][] {{2, 5, 8}, {2, 2, 8}, {2, 2}}, new int[][] {{2, 3, 8}, {2, 3, 8}, {2, 3}}));
  }

  /** A transformer encoder block with MultiheadAttention over a length T known only at run time. */
  @Test
  void encoderBlockWithMultiheadAttention() throws Exception {
    check("MhaEncoder", new int[] {3, 5, 8});
    check("MhaEncoder", new int[] {2, 1, 8});
  }

  /** A learned floating attnMask (a parameter, so it gets a gradient) and causal attention. */
  @Test
  void multiheadAttentionWithMasks() throws Exception {
    check("MaskedAttention", new int[] {3, 5, 8});
  }

  @Test
  void causalBlockOverASymbolicLength() throws Exception {
    check("CausalBlock", new int[] {2, 6, 8});
    check("CausalBlock", new int[] {3, 1, 8});
  }

  /**
   * Several inputs into attention: a BOOL key padding mask [B, 5] and a floating [5, 5] bias; outputs, every
   * parameter gradient and the input gradients of x and the bias, FLOAT64/32, train/eval; GradCheck.
   */
  @Test
  void encoderWithAKeyPaddingMask() throws Exception {
    Compilation c = Compile.models("PaddedEncoder");
    assertThat(c).succeeded();
    ClassLoader loader = Compile.loader(c);
    Class<?> eagerType = loader.loadClass("models.PaddedEncoder");
    Class<?> compiledType = loader.loadClass("models.CompiledPaddedEncoder");
    java.lang.reflect.Method forward = compiledType.getMethod("forward", Tensor.class, Tensor.class, Tensor.class);
    assertEquals(compiledType, forward.getDeclaringClass(), "forward is compiled");
    java.lang.reflect.Method eagerForward = eagerType.getMethod("forward", Tensor.class, Tensor.class, Tensor.class);
    for (int t : new int[] {5}) {
      boolean[] padded = new boolean[2 * t];
      padded[2 * t - 1] = true;   // the samples' last steps are padding; key 0 stays, so no row is all -inf
      padded[t - 1] = true;
      padded[t + 2] = true;
      Tensor pad = Tensor.of(padded, 2, t);
      for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
        for (boolean training : new boolean[] {true, false}) {
          Module eager = (Module) eagerType.getConstructor().newInstance();
          Module compiled = (Module) compiledType.getConstructor().newInstance();
          eager.to(dtype);
          compiled.to(dtype);
          compiled.loadStateDict(eager.stateDict());
          eager.train(training);
          compiled.train(training);
          String where = "PaddedEncoder T=" + t + " " + dtype + (training ? " train" : " eval");
          Tensor x = input(new int[] {2, t, 8}, dtype, false).requiresGrad(true);
          Tensor bias = Tensor.randn(t, t).to(dtype).requiresGrad(true);
          Tensor xc = x.copyData().requiresGrad(true);
          Tensor biasC = bias.copyData().requiresGrad(true);
          Tensor ye = (Tensor) eagerForward.invoke(eager, x, pad, bias);
          Tensor yc = (Tensor) forward.invoke(compiled, xc, pad, biasC);
          assertClose(ye, yc, dtype, where + ": output");
          Tensor w = Tensor.randn(ye.shape()).to(dtype);
          ye.mul(w).sum().backward();
          yc.mul(w).sum().backward();
          for (String k : eager.namedParameters().keySet()) {
            assertClose(eager.namedParameters().get(k).grad(), compiled.namedParameters().get(k).grad(), dtype,
                where + ": grad of " + k);
          }
          assertClose(x.grad(), xc.grad(), dtype, where + ": grad of x");
          assertClose(bias.grad(), biasC.grad(), dtype, where + ": grad of the bias");
        }
      }
    }
    Module compiled = (Module) compiledType.getConstructor().newInstance();
    compiled.to(DType.FLOAT64);
    compiled.eval();
    Tensor pad = Tensor.of(new boolean[] {false, false, true, false, false, false, false, false, false, true}, 2, 5);
    GradCheck.check(xs -> {
      try {
        return (Tensor) forward.invoke(compiled, xs[0], pad, xs[1]);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }, input(new int[] {2, 5, 8}, DType.FLOAT64, false), Tensor.randn(5, 5).to(DType.FLOAT64));
  }

  @Test
  void tiedWeightsAndFunctionalLayers() throws Exception {
    check("Tied", new int[] {2, 1, 4, 4});
  }

  @Test
  void statementForms() throws Exception {
    check("Syntax", new int[] {4, 5});
  }

  /** A superclass's layer before the model's own: the compiled model lists its children as the eager one. */
  @Test
  void inheritedLayersComeFirst() throws Exception {
    check("Inherited", new int[] {3, 4}, false, "InheritedBase");
  }

  @Test
  void identity() throws Exception {
    check("Identity", new int[] {2, 3});
  }

  @Test
  void tensorOps() throws Exception {
    check("TensorOps", new int[] {5, 3, 4});
  }

  @Test
  void unrolledForLoops() throws Exception {
    Compilation c = Compile.models("Loops");
    assertThat(c).succeeded();
    String source = Compile.generatedSource(c, "models.CompiledLoops");
    if (Boolean.getBoolean("dump")) {
      System.out.println(source);
    }
    for (int i = 0; i < 3; i++) {
      assertTrue(source.contains("// Loops.java:21 (i = " + i + ")  h = h.add(F.tanh(fc.forward(h)).mul(1.0 / (i + 1)));"),
          "iteration " + i + " has its comment");
    }
    assertTrue(source.contains("// Loops.java:26 (j = 1)"), "the loop down ends at j = 1");
    assertTrue(source.contains("// Loops.java:29 (k = 4)") && !source.contains("(k = 3)"), "the loop by 2");
    assertTrue(source.contains(Double.toString(1.0 / 3)), "1.0 / (i + 1) folded in iteration 2");
    check("Loops", new int[] {4, 6});
  }

  /** for-each over ModuleList fields (nested @Model blocks with residuals, Linear layers), get(i) in a counted loop. */
  @Test
  void loopsOverModuleLists() throws Exception {
    Compilation c = Compile.models("Stack", "Block");
    assertThat(c).succeeded();
    String source = Compile.generatedSource(c, "models.CompiledStack");
    if (Boolean.getBoolean("dump")) {
      System.out.println(source);
    }
    for (int i = 0; i < 3; i++) {
      assertTrue(source.contains("// Stack.java:27 (blocks." + i + ")  h = h.add(b.forward(h).mul(0.5));"),
          "the loop's line, iteration " + i);
      assertTrue(source.contains("// Block.java:18 (blocks." + i + ")"), "the block's line, iteration " + i);
      assertTrue(source.contains("((Block) blocks.get(" + i + ")).fc.weight"), "block " + i + "'s weight read directly");
    }
    assertTrue(source.contains("// Stack.java:33 (gates.1)"), "the second for-each");
    assertTrue(source.contains("// Stack.java:30 (i = 1)"), "get(i) in a counted loop");
    assertTrue(source.contains("schema.put(\"blocks.2.norm.weight\""), "state-dict keys as PyTorch's ModuleList");
    check("Stack", new int[] {3, 4}, false, "Block");
  }

  /** narrow along the run-time size T (its backward pads by T - start - length), at two values of T. */
  @Test
  void narrowAlongARunTimeSize() throws Exception {
    check("Window", List.of(new int[] {2, 5, 4}, new int[] {3, 2, 4}), false);
  }

  /**
   * One compiled GPT whose context grows one token at a time and then shrinks (generation, then a new prompt): its
   * buffers, sized once for T = 8 (Note [Buffers within a capacity]), give the eager model's outputs and gradients
   * at every T.
   */
  @Test
  void gptContextThatGrows() throws Exception {
    Compilation c = Compile.models("Gpt", "GptBlock");
    assertThat(c).succeeded();
    String source = Compile.generatedSource(c, "models.CompiledGpt");
    assertTrue(source.contains(" = Buffers.reuseWithin(set[") && source.contains(", B * 96, B, T, 12)"),
        "buffers sized for the bound T <= 8");
    ClassLoader loader = Compile.loader(c);
    Module eager = (Module) loader.loadClass("models.Gpt").getConstructor().newInstance();
    Module compiled = (Module) loader.loadClass("models.CompiledGpt").getConstructor().newInstance();
    eager.to(DType.FLOAT64);
    compiled.to(DType.FLOAT64);
    compiled.loadStateDict(eager.stateDict());
    eager.eval();
    compiled.eval();
    for (int t : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 3, 8}) {
      Tensor idx = input(new int[] {2, t}, DType.FLOAT64, true);
      try (Autograd.Scope ignored = Autograd.noGrad()) {
        assertClose(eager.forward(idx), compiled.forward(idx), DType.FLOAT64, "noGrad output at T = " + t);
      }
      eager.zeroGrad();
      compiled.zeroGrad();
      Tensor ye = eager.forward(idx);
      Tensor yc = compiled.forward(idx);
      assertClose(ye, yc, DType.FLOAT64, "output at T = " + t);
      ye.sum().backward();
      yc.sum().backward();
      for (String k : eager.namedParameters().keySet()) {
        assertClose(eager.namedParameters().get(k).grad(), compiled.namedParameters().get(k).grad(), DType.FLOAT64,
            "grad of " + k + " at T = " + t);
      }
    }
  }

  /**
   * An output that is a view of a copying reshape: without a graph that lends the output, the next call must
   * not write into the storage of the output the caller kept.
   */
  @Test
  void outputViewOfACopyingReshapeSurvivesTheNextCall() throws Exception {
    Class<?> compiledType = check("ViewOut", List.of(new int[] {2, 3, 4}, new int[] {5, 3, 4}), false);
    Module compiled = (Module) compiledType.getConstructor().newInstance();
    compiled.to(DType.FLOAT64);
    for (boolean training : new boolean[] {false, true}) {
      compiled.train(training);
      Tensor x = input(new int[] {2, 3, 4}, DType.FLOAT64, false);
      try (Autograd.Scope ignored = Autograd.noGrad()) {
        Tensor first = compiled.forward(x);
        double[] kept = first.toDoubleArray();
        compiled.forward(x.mul(-3.0));
        assertArrayEquals(kept, first.toDoubleArray(), 0.0, "the first output after a second call, train=" + training);
      }
    }
  }

  /** Several forward parameters: a sequence, a BOOL padding mask (maskedFill with -inf), a second floating input. */
  @Test
  void severalInputs() throws Exception {
    checkSequenceMaskBias("Masked");
  }

  /** Nested models of two tensors in a ModuleList, called as b.forward(h, pad). */
  @Test
  void nestedModelsOfSeveralInputs() throws Exception {
    checkSequenceMaskBias("MaskedEncoder", "MaskedBlock");
  }

  /** Eager = compiled for a model of forward(Tensor x [B, T, 8], BOOL pad [B, T], Tensor bias [B, T, 3]). */
  private static void checkSequenceMaskBias(String name, String... others) throws Exception {
    String[] sources = new String[others.length + 1];
    sources[0] = name;
    System.arraycopy(others, 0, sources, 1, others.length);
    Compilation c = Compile.models(sources);
    assertThat(c).succeeded();
    if (Boolean.getBoolean("dump")) {
      System.out.println(Compile.generatedSource(c, "models.Compiled" + name));
    }
    ClassLoader loader = Compile.loader(c);
    Class<?> eagerType = loader.loadClass("models." + name);
    Class<?> compiledType = loader.loadClass("models.Compiled" + name);
    java.lang.reflect.Method forward = compiledType.getMethod("forward", Tensor.class, Tensor.class, Tensor.class);
    assertEquals(compiledType, forward.getDeclaringClass(), "forward is compiled");
    java.lang.reflect.Method eagerForward = eagerType.getMethod("forward", Tensor.class, Tensor.class, Tensor.class);
    for (int t : new int[] {5, 2}) {
      for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
        for (boolean training : new boolean[] {true, false}) {
          Module eager = (Module) eagerType.getConstructor().newInstance();
          Module compiled = (Module) compiledType.getConstructor().newInstance();
          eager.to(dtype);
          compiled.to(dtype);
          compiled.loadStateDict(eager.stateDict());
          eager.train(training);
          compiled.train(training);
          String where = name + " T=" + t + " " + dtype + (training ? " train" : " eval");
          Tensor x = input(new int[] {3, t, 8}, dtype, false).requiresGrad(true);
          Tensor bias = Tensor.randn(3, t, 3).to(dtype).requiresGrad(true);
          boolean[] padded = new boolean[3 * t];
          for (int i = 0; i < padded.length; i++) {
            padded[i] = i % t != 0 && (i * 7) % 3 == 0;   // key 0 of each sample is kept, so no row is all -inf
          }
          Tensor pad = Tensor.of(padded, 3, t);
          Tensor xc = x.copyData().requiresGrad(true);
          Tensor biasC = bias.copyData().requiresGrad(true);
          Tensor ye = (Tensor) eagerForward.invoke(eager, x, pad, bias);
          Tensor yc = (Tensor) forward.invoke(compiled, xc, pad, biasC);
          assertClose(ye, yc, dtype, where + ": output");
          Tensor w = Tensor.randn(ye.shape()).to(dtype);
          ye.mul(w).sum().backward();
          yc.mul(w).sum().backward();
          for (String k : eager.namedParameters().keySet()) {
            assertClose(eager.namedParameters().get(k).grad(), compiled.namedParameters().get(k).grad(), dtype,
                where + ": grad of " + k);
          }
          assertClose(x.grad(), xc.grad(), dtype, where + ": grad of x");
          assertClose(bias.grad(), biasC.grad(), dtype, where + ": grad of bias");
        }
      }
    }
    Module compiled = (Module) compiledType.getConstructor().newInstance();
    compiled.to(DType.FLOAT64);
    Tensor pad = Tensor.of(new boolean[] {false, true, false, false, false, true}, 2, 3);
    GradCheck.check(xs -> {
      try {
        return (Tensor) forward.invoke(compiled, xs[0], pad, xs[1]);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }, input(new int[] {2, 3, 8}, DType.FLOAT64, false), Tensor.randn(2, 3, 3).to(DType.FLOAT64));
    IllegalArgumentException mismatch = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> {
      try {
        forward.invoke(compiled, Tensor.randn(2, 3, 8).to(DType.FLOAT64), Tensor.of(new boolean[8], 2, 4),
            Tensor.randn(2, 3, 3).to(DType.FLOAT64));
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    });
    assertEquals("Compiled" + name + " expects pad of shape [B, T], but got [2, 4]", mismatch.getMessage());
  }

  /** nanoGPT: token + position embeddings, a ModuleList of causal self-attention blocks, tied head; two values of T. */
  @Test
  void gpt() throws Exception {
    Class<?> compiled = check("Gpt", List.of(new int[] {2, 8}, new int[] {3, 5}, new int[] {1, 1}), true, "GptBlock");
    // every parameter's gradient against finite differences, at the block size and at a shorter T
    ModelCheck.verify((Module) compiled.getConstructor().newInstance(), input(new int[] {2, 8}, DType.FLOAT64, true),
        input(new int[] {1, 3}, DType.FLOAT64, true));
    Module gpt = (Module) compiled.getConstructor().newInstance();
    IllegalArgumentException tooLong = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> gpt.forward(input(new int[] {1, 9}, DType.FLOAT32, true)));
    assertEquals("CompiledGpt takes T up to 8 (@Model(inputDims)), so input of shape [B, T] with T <= 8, but got [1, 9]",
        tooLong.getMessage());
  }

  // ------------------------------------------------------------------ harness

  /**
   * Eager = compiled for a model whose forward takes several floating tensors, each case one shape per input:
   * the output, every parameter's gradient and every input's, in FLOAT64 and FLOAT32, training and evaluation;
   * then GradCheck through the compiled model with respect to all inputs.
   */
  static void checkInputs(String name, List<int[][]> cases, String... others) throws Exception {
    String[] sources = new String[others.length + 1];
    sources[0] = name;
    System.arraycopy(others, 0, sources, 1, others.length);
    Compilation c = Compile.models(sources);
    assertThat(c).succeeded();
    if (Boolean.getBoolean("dump")) {
      System.out.println(Compile.generatedSource(c, "models.Compiled" + name));
    }
    ClassLoader loader = Compile.loader(c);
    Class<?> eagerType = loader.loadClass("models." + name);
    Class<?> compiledType = loader.loadClass("models.Compiled" + name);
    Class<?>[] params = new Class<?>[cases.get(0).length];
    java.util.Arrays.fill(params, Tensor.class);
    java.lang.reflect.Method forward = compiledType.getMethod("forward", params);
    assertEquals(compiledType, forward.getDeclaringClass(), "forward is compiled");
    java.lang.reflect.Method eagerForward = eagerType.getMethod("forward", params);
    for (int[][] shapes : cases) {
      for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
        for (boolean training : new boolean[] {true, false}) {
          Module eager = (Module) eagerType.getConstructor().newInstance();
          Module compiled = (Module) compiledType.getConstructor().newInstance();
          eager.to(dtype);
          compiled.to(dtype);
          compiled.loadStateDict(eager.stateDict());
          eager.train(training);
          compiled.train(training);
          String where = name + " " + java.util.Arrays.deepToString(shapes) + " " + dtype + (training ? " train" : " eval");
          Tensor[] xe = new Tensor[shapes.length];
          Tensor[] xc = new Tensor[shapes.length];
          for (int i = 0; i < shapes.length; i++) {
            Generator.seedAll(42 + i);
            xe[i] = Tensor.randn(shapes[i]).to(dtype).requiresGrad(true);
            xc[i] = xe[i].copyData().requiresGrad(true);
          }
          Tensor ye = (Tensor) eagerForward.invoke(eager, (Object[]) xe);
          Tensor yc = (Tensor) forward.invoke(compiled, (Object[]) xc);
          assertClose(ye, yc, dtype, where + ": output");
          Tensor w = Tensor.randn(ye.shape()).to(dtype);
          ye.mul(w).sum().backward();
          yc.mul(w).sum().backward();
          Map<String, Tensor> pe = eager.namedParameters();
          Map<String, Tensor> pc = compiled.namedParameters();
          assertEquals(List.copyOf(pe.keySet()), List.copyOf(pc.keySet()), where);
          for (String k : pe.keySet()) {
            assertNotNull(pe.get(k).grad(), where + ": every parameter is used, " + k + " too");
            assertClose(pe.get(k).grad(), pc.get(k).grad(), dtype, where + ": grad of " + k);
          }
          for (int i = 0; i < shapes.length; i++) {
            assertNotNull(xe[i].grad(), where + ": input " + i + " gets a gradient");
            assertClose(xe[i].grad(), xc[i].grad(), dtype, where + ": grad of input " + i);
          }
        }
      }
    }
    Module compiled = (Module) compiledType.getConstructor().newInstance();
    compiled.to(DType.FLOAT64);
    compiled.eval();
    int[][] shapes = cases.get(cases.size() - 1);
    Tensor[] xs = new Tensor[shapes.length];
    for (int i = 0; i < shapes.length; i++) {
      xs[i] = input(shapes[i], DType.FLOAT64, false);
    }
    GradCheck.check(in -> {
      try {
        return (Tensor) forward.invoke(compiled, (Object[]) in);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }, xs);
  }

  static void check(String name, int[] inputShape) throws Exception {
    check(name, inputShape, false);
  }

  static void check(String name, int[] inputShape, boolean indices, String... others) throws Exception {
    check(name, List.of(inputShape), indices, others);
  }

  /** As above, one compilation run on inputs of several shapes (a size that varies at run time). */
  static Class<?> check(String name, List<int[]> inputShapes, boolean indices, String... others) throws Exception {
    String[] sources = new String[others.length + 1];
    sources[0] = name;
    System.arraycopy(others, 0, sources, 1, others.length);
    Compilation c = Compile.models(sources);
    assertThat(c).succeeded();
    if (Boolean.getBoolean("dump")) {
      System.out.println(Compile.generatedSource(c, "models.Compiled" + name));
    }
    ClassLoader loader = Compile.loader(c);
    Class<?> eagerType = loader.loadClass("models." + name);
    Class<?> compiledType = loader.loadClass("models.Compiled" + name);
    // The compiled class must really compile forward (not fall back to the eager one).
    assertEquals(compiledType, compiledType.getMethod("forward", Tensor.class).getDeclaringClass(), name);
    for (int[] inputShape : inputShapes) {
      checkShape(name, eagerType, compiledType, inputShape, indices);
    }
    return compiledType;
  }

  private static void checkShape(String name, Class<?> eagerType, Class<?> compiledType, int[] inputShape, boolean indices)
      throws Exception {
    for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
      for (boolean training : new boolean[] {true, false}) {
        Module eager = (Module) eagerType.getConstructor().newInstance();
        Module compiled = (Module) compiledType.getConstructor().newInstance();
        eager.to(dtype);
        compiled.to(dtype);
        compiled.loadStateDict(eager.stateDict());
        eager.train(training);
        compiled.train(training);
        String where = name + " " + java.util.Arrays.toString(inputShape) + " " + dtype + (training ? " train" : " eval");
        Tensor x = input(inputShape, dtype, indices);
        Tensor xc = x.copyData();
        if (!indices) {
          x.requiresGrad(true);
          xc.requiresGrad(true);
        }
        Generator.seedAll(7);
        Tensor ye = eager.forward(x);
        Generator.seedAll(7);
        Tensor yc = compiled.forward(xc);
        assertEquals("Compiled" + name + (yc.gradFn().name().endsWith("TrainingBackward") ? "TrainingBackward"
            : yc.gradFn().name().endsWith("EvalBackward") ? "EvalBackward" : "Backward"), yc.gradFn().name(),
            where + ": the output's grad_fn is the generated node");
        assertClose(ye, yc, dtype, where + ": output");
        Tensor w = Tensor.randn(ye.shape()).to(dtype);
        ye.mul(w).sum().backward();
        yc.mul(w).sum().backward();
        Map<String, Tensor> pe = eager.namedParameters();
        Map<String, Tensor> pc = compiled.namedParameters();
        // the same children in the same order: state-dict keys (parameters and buffers) as ordered lists
        assertEquals(List.copyOf(eager.stateDict().keySet()), List.copyOf(compiled.stateDict().keySet()), where);
        assertEquals(List.copyOf(pe.keySet()), List.copyOf(pc.keySet()), where);
        for (String k : pe.keySet()) {
          if (pe.get(k).grad() == null) {   // a parameter the forward pass does not use
            assertNull(pc.get(k).grad(), where + ": unexpected gradient for unused " + k);
            continue;
          }
          assertNotNull(pc.get(k).grad(), where + ": no gradient for " + k);
          assertClose(pe.get(k).grad(), pc.get(k).grad(), dtype, where + ": grad of " + k);
        }
        if (!indices) {
          assertClose(x.grad(), xc.grad(), dtype, where + ": grad of the input");
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
          Generator.seedAll(7);
          Tensor ne = eager.forward(x);
          Generator.seedAll(7);
          Tensor nc = compiled.forward(xc);
          assertNull(nc.gradFn(), where + ": under noGrad the compiled model records nothing");
          assertClose(ne, nc, dtype, where + ": output under noGrad");
        }
        Map<String, Tensor> be = eager.namedBuffers();
        Map<String, Tensor> bc = compiled.namedBuffers();
        for (String k : be.keySet()) {
          assertClose(be.get(k), bc.get(k), dtype, where + ": buffer " + k);
        }
      }
    }
    if (!indices) {
      gradCheck(compiledType, inputShape);
    }
  }

  /** GradCheck (central differences in FLOAT64) through the compiled model, in evaluation mode. */
  static void gradCheck(Class<?> compiledType, int[] inputShape) throws Exception {
    Module compiled = (Module) compiledType.getConstructor().newInstance();
    compiled.to(DType.FLOAT64);
    compiled.eval();
    GradCheck.check(xs -> compiled.forward(xs[0]), input(inputShape, DType.FLOAT64, false));
  }

  static Tensor input(int[] shape, DType dtype, boolean indices) {
    Generator.seedAll(42);
    if (indices) {
      long[] v = new long[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
      Generator g = Generator.defaultGenerator();
      for (int i = 0; i < v.length; i++) {
        v[i] = g.nextLong(10);
      }
      return Tensor.of(v, shape);
    }
    return Tensor.randn(shape).to(dtype);
  }

  static void assertClose(Tensor expected, Tensor actual, DType dtype, String what) {
    assertNotNull(actual, what + ": missing");
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    double tol = dtype == DType.FLOAT64 ? 1e-9 : 1e-4;
    for (int i = 0; i < e.length; i++) {
      double scale = Math.max(1, Math.abs(e[i]));
      assertTrue(Math.abs(e[i] - a[i]) <= tol * scale,
          what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
    }
  }
}

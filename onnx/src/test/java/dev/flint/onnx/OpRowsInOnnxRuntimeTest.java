package dev.flint.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.compiled.ForwardGraph;
import dev.flint.compiled.LayerKernels;
import dev.flint.kernel.Kernels;
import dev.flint.nn.CompiledModel;
import dev.flint.nn.Module;
import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mappings of op rows that the test models do not reach through the Tensor API (comparisons,
 * where, sign, tril/triu, pad, expand, sumTo, max/min, argmax/argmin, gather, cast, clone, layer norm without
 * and with its affine part, the causal mask), each in a small graph written by hand whose eager forward runs the same rows through
 * {@code Kernels.forward}: ONNX Runtime must agree within 1e-5.
 */
class OpRowsInOnnxRuntimeTest {
  @TempDir Path dir;

  @Test
  void comparisonsAndWhere() throws Exception {
    Steps s = new Steps(3, 4, 4);
    s.op("gt", Op.GT, Attrs.NONE, "x", "p");
    s.op("a", Op.WHERE, Attrs.NONE, "gt", "x", "p");
    s.op("lt", Op.LT, Attrs.NONE, "x", "p");
    s.op("b", Op.WHERE, Attrs.NONE, "lt", "a", "x");
    s.op("ge", Op.GE, Attrs.NONE, "b", "x");
    s.op("c", Op.WHERE, Attrs.NONE, "ge", "p", "b");
    s.op("le", Op.LE, Attrs.NONE, "c", "p");
    s.op("d", Op.WHERE, Attrs.NONE, "le", "x", "c");
    s.op("eq", Op.EQ, Attrs.NONE, "x", "x");
    s.op("e", Op.WHERE, Attrs.NONE, "eq", "d", "p");
    s.op("ne", Op.NE, Attrs.NONE, "e", "x");
    s.op("out", Op.WHERE, Attrs.NONE, "ne", "e", "p");
    check(s);
  }

  @Test
  void signTrilTriuAndPad() throws Exception {
    Steps s = new Steps(3, 4, 4);
    s.op("sign", Op.SIGN, Attrs.NONE, "x");
    s.op("low", Op.TRIL, Attrs.of(Attrs.DIAGONAL, 0), "sign");
    s.op("up", Op.TRIU, Attrs.of(Attrs.DIAGONAL, 1), "x");
    s.op("sum", Op.ADD, Attrs.NONE, "low", "up");
    s.op("out", Op.PAD, Attrs.of(Attrs.DIM, 2, Attrs.BEFORE, 1, Attrs.AFTER, 2), "sum");
    check(s);
  }

  @Test
  void expandSumToMaxMin() throws Exception {
    Steps s = new Steps(3, 4, 4);
    s.op("part", Op.NARROW, Attrs.of(Attrs.DIM, 2, Attrs.START, 1, Attrs.LENGTH, 1), "x");
    s.op("wide", Op.EXPAND, Attrs.of(Attrs.SHAPE, new int[] {2, 3, 4, 4}), "part");
    s.op("back", Op.SUM_TO, Attrs.of(Attrs.SHAPE, new int[] {1, 4, 1}), "wide");
    s.op("max", Op.MAX, Attrs.of(Attrs.DIM, 1, Attrs.KEEP_DIM, true), "x");
    s.op("min", Op.MIN, Attrs.of(Attrs.DIM, 2, Attrs.KEEP_DIM, false), "x");
    s.op("m", Op.ADD, Attrs.NONE, "max", "back");
    s.op("sum", Op.SUM, Attrs.of(Attrs.DIMS, new int[] {1}, Attrs.KEEP_DIM, false), "m");
    s.op("out", Op.MUL, Attrs.NONE, "sum", "min");
    check(s);
  }

  @Test
  void argmaxGatherCastAndClone() throws Exception {
    Steps s = new Steps(3, 4, 5);
    s.op("where", Op.ARGMAX, Attrs.of(Attrs.DIM, 2, Attrs.KEEP_DIM, true), "x");
    s.op("least", Op.ARGMIN, Attrs.of(Attrs.DIM, 2, Attrs.KEEP_DIM, true), "x");
    s.op("top", Op.GATHER, Attrs.of(Attrs.DIM, 2), "x", "where");
    s.op("copy", Op.CLONE, Attrs.NONE, "top");
    s.op("index", Op.CAST, Attrs.of(Attrs.DTYPE, DType.FLOAT32.name()), "least");
    s.op("out", Op.ADD, Attrs.NONE, "copy", "index");
    check(s);
  }

  @Test
  void layerNormRows() throws Exception {
    Steps s = new Steps(3, 4, 5);
    Attrs eps = Attrs.of(Attrs.EPS, 1e-5);
    s.op("ln", Op.LAYER_NORM, eps, "x");
    s.op("p0", Op.NARROW, Attrs.of(Attrs.DIM, 0, Attrs.START, 0, Attrs.LENGTH, 1), "p");
    s.op("p1", Op.NARROW, Attrs.of(Attrs.DIM, 1, Attrs.START, 0, Attrs.LENGTH, 1), "p0");
    s.op("w", Op.RESHAPE, Attrs.of(Attrs.SHAPE, new int[] {5}), "p1");
    s.op("p2", Op.NARROW, Attrs.of(Attrs.DIM, 1, Attrs.START, 1, Attrs.LENGTH, 1), "p0");
    s.op("b", Op.RESHAPE, Attrs.of(Attrs.SHAPE, new int[] {5}), "p2");
    s.op("sum", Op.ADD, Attrs.NONE, "x", "ln");
    s.op("out", Op.LAYER_NORM_AFFINE, eps, "sum", "w", "b");
    check(s);
  }

  @Test
  void causalMask() throws Exception {
    Steps s = new Steps(2, 5, 5);
    s.kernel("mask", "LayerKernels.causalMask", x -> LayerKernels.causalMask(x), "x");
    s.op("keep", Op.EXP, Attrs.NONE, "mask");
    s.op("out", Op.MUL, Attrs.NONE, "x", "keep");
    check(s);
  }

  private void check(Steps steps) throws Exception {
    Path file = dir.resolve("ops.onnx");
    Onnx.export(steps, file);
    OnnxRuntimeCheck.assertSameOutputs(steps, file, "x", steps.x);
    OnnxChecker.assertValid(file);
  }

  /**
   * A chain of rows on input {@code x} and parameter {@code p} (both random, of one shape): its
   * forward runs the kernels, its graph names the same rows.
   */
  static final class Steps extends Module implements CompiledModel {
    final Tensor x;
    final Tensor p;
    private final List<Step> steps = new ArrayList<>();

    record Step(String out, String op, Attrs attrs, List<String> in, java.util.function.UnaryOperator<Tensor> kernel) {}

    Steps(int... shape) {
      x = Tensor.randn(shape);
      p = registerParameter("p", Tensor.randn(shape));
    }

    void op(String out, Op op, Attrs attrs, String... in) {
      steps.add(new Step(out, op.name(), attrs, List.of(in), null));
    }

    void kernel(String out, String name, java.util.function.UnaryOperator<Tensor> kernel, String in) {
      steps.add(new Step(out, name, Attrs.NONE, List.of(in), kernel));
    }

    private Map<String, Tensor> run(Tensor input) {
      Map<String, Tensor> env = new HashMap<>();
      env.put("x", input);
      env.put("p", p);
      for (Step s : steps) {
        Tensor[] in = s.in().stream().map(env::get).toArray(Tensor[]::new);
        env.put(s.out(), s.kernel() != null ? s.kernel().apply(in[0]) : Kernels.forward(Op.valueOf(s.op()), s.attrs(), in));
      }
      return env;
    }

    @Override
    public Tensor forward(Tensor input) {
      return run(input).get(steps.get(steps.size() - 1).out());
    }

    @Override
    public Module newEagerTwin() {
      return this;
    }

    @Override
    public Module newCompiledTwin() {
      return this;
    }

    @Override
    public ForwardGraph forwardGraph() {
      Map<String, Tensor> env = run(x);
      ForwardGraph.Builder g = ForwardGraph.builder("CompiledSteps").input("x", ForwardGraph.Elem.FLOAT, dims(x));
      if (steps.stream().anyMatch(s -> s.in().contains("p"))) {
        g.parameter("p", dims(p));
      }
      Set<String> seen = new LinkedHashSet<>();
      for (Step s : steps) {
        assertEquals(true, seen.add(s.out()), s.out());
        Tensor v = env.get(s.out());
        ForwardGraph.Elem elem = v.dtype() == DType.BOOL ? ForwardGraph.Elem.BOOL
            : v.dtype() == DType.INT64 ? ForwardGraph.Elem.INT64 : ForwardGraph.Elem.FLOAT;
        ForwardGraph.NodeBuilder n = g.node(s.op(), s.out(), elem, dims(v)).in(s.in().toArray(String[]::new));
        for (String key : s.attrs().keys()) {
          n.attr(key, s.attrs().get(key));
        }
      }
      return g.output(steps.get(steps.size() - 1).out());
    }

    private static String[] dims(Tensor t) {
      return Arrays.stream(t.shape()).mapToObj(Integer::toString).toArray(String[]::new);
    }
  }
}

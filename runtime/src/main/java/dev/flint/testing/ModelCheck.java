package dev.flint.testing;

import dev.flint.autograd.Autograd;
import dev.flint.nn.CompiledModel;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One-line proof, from a user's JUnit test, that a compiled model is right:
 *
 * <pre>{@code
 * @Test void compiledMlpIsRight() {
 *   ModelCheck.verify(new CompiledMlp(), Tensor.randn(4, 784));
 * }
 * }</pre>
 *
 * <p>For each input and in both training and evaluation mode, it builds a fresh compiled model and its
 * eager twin ({@link CompiledModel}, the user's class) in FLOAT64 with the given model's parameters and
 * buffers, runs both on the input, and compares the outputs, every parameter's gradient, the input's
 * gradient and the buffers afterwards (batch norm's running statistics). It then checks the compiled
 * gradients against central finite differences: for each parameter and the input, the derivative of
 * {@code L = sum(forward(x) * w)} (a fixed random {@code w}) along a random direction. Dropout draws the
 * same masks in every run (the default generator is re-seeded before each forward and restored at the end).
 * The given model is not changed. The first difference throws an {@link AssertionError} naming the mode,
 * the input, the output, parameter or gradient, the element, both values and the tolerance.
 */
public final class ModelCheck {
  /** Compiled and eager runs differ only by the order of floating-point sums. */
  private static final double TWIN_RTOL = 1e-9;
  private static final double EPS = 1e-6;
  private static final double FD_RTOL = 1e-5;
  private static final double FD_ATOL = 1e-6;
  private static final long SEED = 20_240_917L;

  private ModelCheck() {}

  /**
   * Checks {@code compiledModel} (a {@code Compiled<Name>}) on each input (each one forward call: pass
   * several to check several batch sizes). Floating-point inputs are converted to FLOAT64; integer
   * inputs (token indices) are passed as they are and get no gradient.
   *
   * @throws AssertionError naming the first output, parameter, gradient or buffer that differs
   * @throws IllegalArgumentException if the model is not a generated compiled model, or no input is given
   */
  public static void verify(Module compiledModel, Tensor... inputs) {
    if (!(compiledModel instanceof CompiledModel twins)) {
      throw new IllegalArgumentException("ModelCheck.verify expects a compiled model (new Compiled"
          + compiledModel.getClass().getSimpleName() + "() for an @Model class), got "
          + compiledModel.getClass().getName());
    }
    if (inputs.length == 0) {
      throw new IllegalArgumentException("ModelCheck.verify needs at least one input, e.g. Tensor.randn(4, 784)");
    }
    Map<String, Tensor> state = inFloat64(compiledModel.stateDict());
    long[] generatorState = Generator.defaultGenerator().getState();
    try {
      for (boolean training : new boolean[] {true, false}) {
        for (int i = 0; i < inputs.length; i++) {
          String where = compiledModel.getClass().getSimpleName() + " (" + (training ? "training" : "eval")
              + ", input " + i + " " + Arrays.toString(inputs[i].shape()) + ")";
          new Run(twins, state, training, inputs[i], where).check();
        }
      }
    } finally {
      Generator.defaultGenerator().setState(generatorState);
    }
  }

  /** FLOAT64 snapshots of the floating-point tensors; integer ones (counters) as copies. */
  private static Map<String, Tensor> inFloat64(Map<String, Tensor> state) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    state.forEach((k, v) -> out.put(k, v.dtype().isFloatingPoint() ? Tensor.of(v.toDoubleArray(), v.shape()) : v.copyData()));
    return out;
  }

  /** One mode and one input: the twins side by side, then finite differences. */
  private static final class Run {
    private final CompiledModel twins;
    private final Map<String, Tensor> state;
    private final boolean training;
    private final Tensor input;
    private final String where;
    private final boolean differentiable;

    Run(CompiledModel twins, Map<String, Tensor> state, boolean training, Tensor input, String where) {
      this.twins = twins;
      this.state = state;
      this.training = training;
      this.differentiable = input.dtype().isFloatingPoint();
      this.input = differentiable ? Tensor.of(input.toDoubleArray(), input.shape()) : input;
      this.where = where;
    }

    void check() {
      Module compiled = fresh(twins.newCompiledTwin(), state);
      Module eager = fresh(twins.newEagerTwin(), state);
      Tensor xc = leaf();
      Tensor xe = leaf();
      Tensor yc = forward(compiled, xc);
      Tensor ye = forward(eager, xe);
      if (!yc.dtype().isFloatingPoint()) {
        throw new AssertionError(where + ": the output is " + yc.dtype() + "; ModelCheck needs a floating-point output");
      }
      compare("output", ye, yc, "eager");
      compareBuffers(eager, compiled);
      Tensor w = Tensor.randn(new Generator(SEED), yc.shape()).to(DType.FLOAT64);
      yc.mul(w).sum().backward();
      ye.mul(w).sum().backward();
      Map<String, Tensor> pc = compiled.namedParameters();
      Map<String, Tensor> pe = eager.namedParameters();
      for (String k : pe.keySet()) {
        compare("gradient of parameter " + k, orZeros(pe.get(k).grad(), pe.get(k)), orZeros(pc.get(k).grad(), pc.get(k)),
            "eager");
      }
      if (differentiable) {
        compare("gradient of the input", orZeros(xe.grad(), xe), orZeros(xc.grad(), xc), "eager");
      }
      finiteDifferences(pc, xc, w);
    }

    /** Central differences of L = sum(forward(x) * w) along one random direction per parameter and the input. */
    private void finiteDifferences(Map<String, Tensor> params, Tensor x, Tensor w) {
      Generator directions = new Generator(SEED + 1);
      Module probe = fresh(twins.newCompiledTwin(), state);
      for (Map.Entry<String, Tensor> p : params.entrySet()) {
        Tensor u = Tensor.randn(directions, p.getValue().shape()).to(DType.FLOAT64);
        double analytic = dot(orZeros(p.getValue().grad(), p.getValue()), u);
        double plus = loss(probe, withStep(p.getKey(), u, EPS), input, w);
        double minus = loss(probe, withStep(p.getKey(), u, -EPS), input, w);
        compareDerivative("gradient of parameter " + p.getKey(), analytic, (plus - minus) / (2 * EPS));
      }
      if (differentiable) {
        Tensor u = Tensor.randn(directions, x.shape()).to(DType.FLOAT64);
        double analytic = dot(orZeros(x.grad(), x), u);
        double plus = loss(probe, state, input.add(u.mul(EPS)), w);
        double minus = loss(probe, state, input.sub(u.mul(EPS)), w);
        compareDerivative("gradient of the input", analytic, (plus - minus) / (2 * EPS));
      }
    }

    private double loss(Module probe, Map<String, Tensor> values, Tensor x, Tensor w) {
      probe.loadStateDict(values);
      try (Autograd.Scope ignored = Autograd.noGrad()) {
        return dot(forward(probe, x), w);
      }
    }

    /** The state with {@code key} moved by {@code step * u}. */
    private Map<String, Tensor> withStep(String key, Tensor u, double step) {
      Map<String, Tensor> out = new LinkedHashMap<>(state);
      out.put(key, state.get(key).add(u.mul(step)));
      return out;
    }

    private Module fresh(Module m, Map<String, Tensor> values) {
      m.to(DType.FLOAT64);
      m.loadStateDict(values);
      m.train(training);
      return m;
    }

    private Tensor leaf() {
      return differentiable ? input.copyData().requiresGrad(true) : input;
    }

    private Tensor forward(Module m, Tensor x) {
      Generator.seedAll(SEED);
      return m.forward(x);
    }

    private void compareBuffers(Module eager, Module compiled) {
      Map<String, Tensor> be = eager.namedBuffers();
      Map<String, Tensor> bc = compiled.namedBuffers();
      for (String k : be.keySet()) {
        compare("buffer " + k + " after the forward pass", be.get(k), bc.get(k), "eager");
      }
    }

    /** Element by element, relative to max(1, |expected|); the first element outside the tolerance throws. */
    private void compare(String what, Tensor expected, Tensor actual, String expectedName) {
      if (!Arrays.equals(expected.shape(), actual.shape())) {
        throw new AssertionError(where + ": " + what + ": compiled shape " + Arrays.toString(actual.shape())
            + ", " + expectedName + " shape " + Arrays.toString(expected.shape()));
      }
      double[] e = expected.toDoubleArray();
      double[] a = actual.toDoubleArray();
      for (int i = 0; i < e.length; i++) {
        double diff = Math.abs(e[i] - a[i]);
        if (!(diff <= TWIN_RTOL * Math.max(1, Math.abs(e[i])))) {
          throw new AssertionError(String.format("%s: %s differs at %s: compiled %.10g, %s %.10g (difference %.3g,"
              + " allowed %.0e relative)", where, what, index(i, expected.shape()), a[i], expectedName, e[i], diff,
              TWIN_RTOL));
        }
      }
    }

    private void compareDerivative(String what, double analytic, double numeric) {
      double diff = Math.abs(analytic - numeric);
      double allowed = FD_ATOL + FD_RTOL * Math.max(Math.abs(analytic), Math.abs(numeric));
      if (!(diff <= allowed)) {
        throw new AssertionError(String.format("%s: %s along a random direction differs from central finite"
            + " differences: compiled %.10g, finite differences %.10g (difference %.3g, allowed %.3g)", where, what,
            analytic, numeric, diff, allowed));
      }
    }
  }

  private static Tensor orZeros(Tensor grad, Tensor like) {
    return grad != null ? grad : Tensor.zeros(DType.FLOAT64, like.shape());
  }

  private static double dot(Tensor a, Tensor b) {
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  /** The multi-index of flat element {@code flat}: {@code [2, 5]}. */
  private static String index(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
      flat = shape[d] == 0 ? 0 : flat / shape[d];
    }
    return Arrays.toString(idx);
  }
}

package dev.flint.autograd;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Checks autograd gradients against central finite differences in FLOAT64, as JAX's
 * {@code check_grads}: floating-point inputs are copied to FLOAT64, the output is contracted with a
 * random cotangent {@code w} to the scalar {@code L = sum(f(x) * w)}, and the analytic
 * {@code <dL/dx, u>} is compared with {@code (L(x + eps u) - L(x - eps u)) / 2 eps} for a random
 * direction {@code u} per input ({@link #check}) or for every element ({@link #checkEach}).
 * Integer inputs (indices) are passed through unchanged. Failures throw {@link AssertionError} with
 * the input, the values and the tolerance.
 */
public final class GradCheck {
  private static final double EPS = 1e-6;
  private static final double ATOL = 1e-6;
  private static final double RTOL = 1e-5;

  private GradCheck() {}

  /** Checks {@code f}'s gradient along one random direction per floating-point input. */
  public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
    run(f, inputs, false, RTOL, ATOL);
  }

  /** As {@link #check(Function, Tensor...)} with a relative and an absolute tolerance of one's own. */
  public static void check(Function<Tensor[], Tensor> f, double rtol, double atol, Tensor... inputs) {
    run(f, inputs, false, rtol, atol);
  }

  /** Checks {@code f}'s gradient element by element (2 evaluations per element: keep inputs small). */
  public static void checkEach(Function<Tensor[], Tensor> f, Tensor... inputs) {
    run(f, inputs, true, RTOL, ATOL);
  }

  /** As {@link #checkEach(Function, Tensor...)} with tolerances of one's own. */
  public static void checkEach(Function<Tensor[], Tensor> f, double rtol, double atol, Tensor... inputs) {
    run(f, inputs, true, rtol, atol);
  }

  private static void run(Function<Tensor[], Tensor> f, Tensor[] inputs, boolean each, double rtol, double atol) {
    Generator gen = new Generator(1234);
    Tensor[] xs = new Tensor[inputs.length];
    double[][] base = new double[inputs.length][];
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].dtype().isFloatingPoint()) {
        base[i] = inputs[i].toDoubleArray();
        xs[i] = of(base[i].clone(), inputs[i].shape()).requiresGrad(true);
      } else {
        xs[i] = inputs[i];
      }
    }
    Tensor y = f.apply(xs);
    if (y == null || !y.dtype().isFloatingPoint()) {
      throw new AssertionError("GradCheck: the function must return a floating-point tensor, but returned "
          + (y == null ? "null" : y.dtype().shortName() + Arrays.toString(y.shape())));
    }
    double[] w = new double[y.numel()];
    for (int k = 0; k < w.length; k++) {
      w[k] = gen.nextGaussian();
    }
    if (!y.requiresGrad()) {
      throw new AssertionError("GradCheck: the output does not depend on any input through a differentiable op "
          + "(it does not require grad)");
    }
    y.backward(of(w.clone(), y.shape()).to(y.dtype()));
    for (int i = 0; i < inputs.length; i++) {
      if (base[i] == null) {
        continue;
      }
      Tensor gradT = xs[i].grad();
      double[] grad = gradT == null ? new double[base[i].length] : gradT.toDoubleArray();
      if (each) {
        for (int k = 0; k < base[i].length; k++) {
          double[] u = new double[base[i].length];
          u[k] = 1;
          compare(f, xs, base, i, u, grad[k], w, "element " + Arrays.toString(unravel(k, inputs[i].shape())), rtol, atol);
        }
      } else {
        double[] u = new double[base[i].length];
        double analytic = 0;
        for (int k = 0; k < u.length; k++) {
          u[k] = gen.nextGaussian();
          analytic += grad[k] * u[k];
        }
        compare(f, xs, base, i, u, analytic, w, "a random direction", rtol, atol);
      }
    }
  }

  private static void compare(Function<Tensor[], Tensor> f, Tensor[] xs, double[][] base, int i, double[] u,
      double analytic, double[] w, String where, double rtol, double atol) {
    double plus = loss(f, xs, base, i, u, EPS, w);
    double minus = loss(f, xs, base, i, u, -EPS, w);
    double numeric = (plus - minus) / (2 * EPS);
    double tol = atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric)) + 1e-9 * Math.max(Math.abs(plus), 1);
    if (!(Math.abs(analytic - numeric) <= tol)) {
      throw new AssertionError(String.format(
          "GradCheck: input %d (shape %s), along %s: autograd gives %.10g but finite differences give %.10g "
              + "(|difference| %.3g > tolerance %.3g)",
          i, Arrays.toString(xs[i].shape()), where, analytic, numeric, Math.abs(analytic - numeric), tol));
    }
  }

  @SuppressWarnings("try")   // the noGrad scope is used only for its effect
  private static double loss(Function<Tensor[], Tensor> f, Tensor[] xs, double[][] base, int i, double[] u,
      double eps, double[] w) {
    Tensor[] args = xs.clone();
    double[] moved = base[i].clone();
    for (int k = 0; k < moved.length; k++) {
      moved[k] += eps * u[k];
    }
    args[i] = of(moved, xs[i].shape());
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      double[] y = f.apply(args).toDoubleArray();
      double s = 0;
      for (int k = 0; k < y.length; k++) {
        s += y[k] * w[k];
      }
      return s;
    }
  }

  /** A FLOAT64 tensor of exactly this shape ({@code Tensor.of} makes a 0-d shape 1-D). */
  private static Tensor of(double[] data, int[] shape) {
    return Internals.wrap(Storage.of(data), shape);
  }

  private static int[] unravel(int k, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = shape[d] == 0 ? 0 : k % shape[d];
      k = shape[d] == 0 ? k : k / shape[d];
    }
    return idx;
  }

  /** The FLOAT64 dtype GradCheck evaluates in (for messages and tests). */
  public static DType dtype() {
    return DType.FLOAT64;
  }
}

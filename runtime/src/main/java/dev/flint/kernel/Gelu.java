package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorActivations;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The exact GELU {@code x·Φ(x) = x/2·(1 + erf(x/√2))} and its derivative {@code Φ(x) + x·φ(x)}, each one
 * pass over its operands (the composition took five kernels forward and seven backward, and was a fifth
 * of a small GPT's training step).
 *
 * <p>FLOAT64 computes {@code x/2·(1 + erf(x/√2))} with {@link Erf#erf(double)}, as the composition did.
 * FLOAT32 computes {@code Φ} from the upper tail {@code Q(a) = Φ(−a) = erfc(a/√2)/2}, {@code a = |x|}, with
 * the one-exponential {@code erfc} of {@link Erf#erfFloat} (Press et al., <i>Numerical Recipes</i> §6.2,
 * fractional error below 1.2e-7 for every {@code a ≥ 0}): {@code Φ(x) = Q(|x|)} for negative x (no
 * cancellation, so {@code gelu(−6)} keeps its digits) and {@code 1 − Q(x)} otherwise. The arithmetic is in
 * double and rounds once: a result is within 2.5 float ulps of the truth (tested against double erf and erfc).
 * The scalar methods here are the reference; {@code VectorActivations} computes the same operations in
 * the same order on the Vector API tier, and a test checks that the two agree bit for bit.
 */
final class Gelu {
  static final double SQRT_HALF = 0.7071067811865476;
  static final double INV_SQRT_2PI = 0.3989422804014327;

  private Gelu() {}

  /** {@code x/2·(1 + erf(x/√2))} in double: the FLOAT64 kernel's value, as the composition computed it. */
  static double gelu(double x) {
    return x * 0.5 * (Erf.erf(x * SQRT_HALF) + 1);
  }

  /** {@code Φ(x) + x·φ(x)} in double. */
  static double derivative(double x) {
    return 0.5 * (Erf.erf(x * SQRT_HALF) + 1) + x * (INV_SQRT_2PI * Math.exp(-0.5 * x * x));
  }

  /** {@code Q(|x|) = Φ(−|x|)}, the standard normal's upper tail beyond |x|, from erfc's Chebyshev fit. */
  static double upperTail(double x) {
    double t = 1 / (1 + 0.5 * (Math.abs(x) * SQRT_HALF));
    // −a² = −x²/2 is exact in double for a float x
    return 0.5 * t * FastMath.expToDouble(-0.5 * x * x + erfcPoly(t));
  }

  /** The exponent's polynomial in {@code t} of {@code erfc(a) = t·e^(−a² + P(t))}, {@code t = 1/(1 + a/2)}. */
  static double erfcPoly(double t) {
    return -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  }

  /** The FLOAT32 GELU of {@code x}, computed in double and rounded once. */
  static float geluFloat(float x) {
    double d = x;
    double q = upperTail(d);
    return (float) (d * (d >= 0 ? 1 - q : q));
  }

  /** {@code g · gelu'(x)} for FLOAT32 operands, computed in double and rounded once. */
  static float geluBackwardFloat(float g, float x) {
    double d = x;
    double q = upperTail(d);
    double phi = d >= 0 ? 1 - q : q;
    return (float) (g * (phi + d * (INV_SQRT_2PI * FastMath.expToDouble(-0.5 * d * d))));
  }

  /** GELU of every element; FLOAT64 stays FLOAT64, others give FLOAT32. */
  static Tensor gelu(Tensor x, Tensor out) {
    DType t = DTypes.toFloat(x.dtype());
    Tensor o = Elementwise.prepare(out, t, Internals.shapeRef(x), "gelu");
    Tensor xc = dense(x, t);
    int n = o.numel();
    int xo = xc.offset();
    int oo = o.offset();
    boolean split = Parallel.worthSplitting(40L * n);   // no lambda (no allocation) when it runs here
    if (t == DType.FLOAT32) {
      float[] xs = xc.storage().floats();
      float[] os = o.storage().floats();
      if (split) {
        Parallel.forRange(n, 40L * n, (from, to) -> geluRows(xs, xo + from, os, oo + from, to - from));
      } else {
        geluRows(xs, xo, os, oo, n);
      }
    } else {
      double[] xs = xc.storage().doubles();
      double[] os = o.storage().doubles();
      Parallel.forRange(n, 40L * n, (from, to) -> {
        for (int i = from; i < to; i++) {
          os[oo + i] = gelu(xs[xo + i]);
        }
      });
    }
    return o;
  }

  /** {@code g · gelu'(x)}, elementwise over {@code g} and {@code x} broadcast together: GELU's backward. */
  static Tensor geluBackward(Tensor g, Tensor x, Tensor out) {
    // into a buffer of the broadcast shape (compiled code): its shape, no new array or varargs per call
    int[] shape = out != null && Elementwise.broadcastsTo(Internals.shapeRef(g), Internals.shapeRef(x), Internals.shapeRef(out))
        ? Internals.shapeRef(out) : Shapes.broadcast("geluBackward", Internals.shapeRef(g), Internals.shapeRef(x));
    DType t = DTypes.toFloat(g.dtype() == x.dtype() ? g.dtype() : DTypes.promote(g, x));
    Tensor o = Elementwise.prepare(out, t, shape, "geluBackward");
    Tensor gc = dense(broadcast(g, shape), t);
    Tensor xc = dense(broadcast(x, shape), t);
    int n = o.numel();
    int go = gc.offset();
    int xo = xc.offset();
    int oo = o.offset();
    if (t == DType.FLOAT32) {
      float[] gs = gc.storage().floats();
      float[] xs = xc.storage().floats();
      float[] os = o.storage().floats();
      if (Parallel.worthSplitting(40L * n)) {
        Parallel.forRange(n, 40L * n, (from, to) -> backwardRows(gs, go + from, xs, xo + from, os, oo + from, to - from));
      } else {
        backwardRows(gs, go, xs, xo, os, oo, n);
      }
    } else {
      double[] gs = gc.storage().doubles();
      double[] xs = xc.storage().doubles();
      double[] os = o.storage().doubles();
      Parallel.forRange(n, 40L * n, (from, to) -> {
        for (int i = from; i < to; i++) {
          os[oo + i] = gs[go + i] * derivative(xs[xo + i]);
        }
      });
    }
    return o;
  }

  private static void geluRows(float[] x, int xi, float[] o, int oi, int n) {
    if (VectorTier.active()) {
      VectorActivations.gelu(x, xi, o, oi, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      o[oi + i] = geluFloat(x[xi + i]);
    }
  }

  private static void backwardRows(float[] g, int gi, float[] x, int xi, float[] o, int oi, int n) {
    if (VectorTier.active()) {
      VectorActivations.geluBackward(g, gi, x, xi, o, oi, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      o[oi + i] = geluBackwardFloat(g[gi + i], x[xi + i]);
    }
  }

  private static Tensor broadcast(Tensor t, int[] shape) {
    return Arrays.equals(Internals.shapeRef(t), shape) ? t : Kernels.expand(t, shape);
  }

  /** {@code t} in dtype {@code type}, contiguous (itself when it already is). */
  private static Tensor dense(Tensor t, DType type) {
    Tensor c = t.dtype() == type ? t : Kernels.cast(t, type);
    return c.isContiguous() ? c : Kernels.clone(c);
  }
}

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
 * FLOAT32 computes in float arithmetic ({@link #geluFloat}): {@code Φ} from the upper tail
 * {@code Q(a) = Φ(−a)}, {@code a = |x|}, as a rational function times one exponential {@code e^(−x²/2)},
 * which the backward shares with the density {@code φ(x)}: {@code Φ(x) = Q(|x|)} for negative x (no
 * cancellation, so {@code gelu(−10)} keeps its digits, where {@code 1 + erf} in float loses all of them
 * below −5.5) and {@code 1 − Q(x)} otherwise. Accuracy against a double-precision truth (GeluTest, every
 * 1.7e-4 on [−15.3, 15.3]): GELU within 5.5 float ulps, 0.46 ulps on average; the slope within 1.3e-7
 * absolutely (|gelu'| ≤ 1.13) and within 5 ulps away from its zero at −0.75. The double-arithmetic version
 * before it was within 2.5 ulps, and on the vector tier took 2.7 times as long forward and 4 times as long
 * backward (1.6 and 2.6 ms for 524,288 elements at 1 thread, against 0.6 and 0.65 ms).
 * The scalar methods here are the reference; {@code VectorActivations} computes the same float operations
 * in the same order on float lanes, and a test checks that the two agree bit for bit.
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

  // ------------------------------------------------------------------------------------------ FLOAT32
  // The FLOAT32 functions below are the scalar twins of VectorActivations' float lanes: the same float
  // operations in the same order (each a separate, correctly rounded mul, add or div, no fma), so the two
  // give the same bits. Change both together; GeluTest compares them.

  /** Beyond this |x| the exponential is taken as 0 (the true e^(−x²/2) is below 2^−184 there). */
  static final float TAIL_END = 16f;
  /** R(a)'s numerator coefficients, of a^0 .. a^4 (see {@link #geluFloat}). */
  static final float N0 = 0.5f, N1 = 0.43849584f, N2 = 0.1833841f, N3 = 0.04068348f, N4 = 0.0041237804f;
  /** R(a)'s denominator coefficients, of a^1 .. a^5 (a^0: 1). */
  static final float D1 = 1.6748767f, D2 = 1.2031217f, D3 = 0.46986392f, D4 = 0.10198475f, D5 = 0.010336666f;
  static final float INV_LN2_F = 1.442695f;
  /** ln 2 = LN2_HI_F + LN2_LO_F; LN2_HI_F has 9 significant bits, so k·LN2_HI_F is exact for |k| < 2^15. */
  static final float LN2_HI_F = 0.693359375f;
  static final float LN2_LO_F = -2.1219444e-4f;
  /** 1.5·2^23: adding it rounds a float below 2^22 in magnitude to an integer (half to even). */
  static final float ROUNDER_F = 12582912f;
  static final int ROUNDER_F_BITS = Float.floatToRawIntBits(ROUNDER_F);
  static final float INV_SQRT_2PI_F = 0.3989423f;

  /**
   * The FLOAT32 GELU {@code x·Φ(x)}, in float arithmetic. With {@code a = |x|}, the normal's upper tail
   * is {@code Q(a) = Φ(−a) = R(a)·e^(−a²/2)}, {@code R(a) = erfcx(a/√2)/2} (the Mills ratio over √(2π)), and
   * {@code Φ(x) = Q(a)} for negative x (no cancellation: {@code gelu(−10)} keeps its digits) or
   * {@code 1 − Q(a)}. R is a rational function N(a)/D(a) of degrees 4/5 with positive coefficients, fitted
   * (minimax in relative error, then rounded to float) to {@code erfcx} on [0, 14.6]: 2.2e-8 relative, a
   * third of a float ulp. {@code e^(−a²/2)} is {@code 2^k·e^f}: −a²/2 is carried exactly as a float sum
   * {@code hi + lo} (a split into 12-bit halves), {@code k = rint(hi/ln2)}, {@code f = hi − k·ln2 + lo} by
   * Cody and Waite's two-part ln 2, {@code e^f} by its degree-7 Taylor polynomial (|f| ≤ 0.35: 8e-9
   * relative), and {@code 2^k} in two halves built in the exponent bits, the second applied last, so a
   * result that underflows is rounded once. Within 5.5 ulps of the truth (see the class comment); R's
   * evaluation (nine float roundings) is most of that, the exponential under 1.7 float epsilons.
   */
  static float geluFloat(float x) {
    float a = Math.min(Math.abs(x), TAIL_END);
    float r = tailRatio(a);
    // −a²/2 = hi + lo exactly: a = ah + al, each of at most 12 significant bits, so every product is exact
    float ah = Float.intBitsToFloat(Float.floatToRawIntBits(a) & 0xFFFFF000);
    float al = a - ah;
    float hi = ah * ah * -0.5f;
    float lo = -(ah * al) - al * al * 0.5f;
    float big = hi * INV_LN2_F + ROUNDER_F;
    float k = big - ROUNDER_F;
    float f = hi - k * LN2_HI_F - k * LN2_LO_F + lo;
    float p = expPoly(f);
    int ki = Float.floatToRawIntBits(big) - ROUNDER_F_BITS;   // k as an int, in [−185, 0]
    int k1 = ki >> 1;
    float s1 = Float.intBitsToFloat((k1 + 127) << 23);
    float s2 = Float.intBitsToFloat((ki - k1 + 127) << 23);
    float e1 = Math.abs(x) > TAIL_END ? 0f : p * s1;   // e^(−a²/2) = e1·s2; 0 (not tiny) keeps −∞·0 a NaN
    float m = x < 0 ? x : 1f;
    float w = m * r * e1 * s2;   // x·Q(a) for negative x, Q(a) otherwise
    return x < 0 ? w : x * (1f - w);
  }

  /** {@code g · gelu'(x) = g·(Φ(x) + x·φ(x))} for FLOAT32 operands, in float arithmetic, as {@link #geluFloat}. */
  static float geluBackwardFloat(float g, float x) {
    float a = Math.min(Math.abs(x), TAIL_END);
    float r = tailRatio(a);
    float ah = Float.intBitsToFloat(Float.floatToRawIntBits(a) & 0xFFFFF000);
    float al = a - ah;
    float hi = ah * ah * -0.5f;
    float lo = -(ah * al) - al * al * 0.5f;
    float big = hi * INV_LN2_F + ROUNDER_F;
    float k = big - ROUNDER_F;
    float f = hi - k * LN2_HI_F - k * LN2_LO_F + lo;
    float p = expPoly(f);
    int ki = Float.floatToRawIntBits(big) - ROUNDER_F_BITS;
    int k1 = ki >> 1;
    float s1 = Float.intBitsToFloat((k1 + 127) << 23);
    float s2 = Float.intBitsToFloat((ki - k1 + 127) << 23);
    float e1 = Math.abs(x) > TAIL_END ? 0f : p * s1;
    // one exponential serves both: Q(a) = R(a)·e^(−x²/2) and x·φ(x) = x/√(2π)·e^(−x²/2)
    float q = r * e1 * s2;
    float density = x * INV_SQRT_2PI_F * e1 * s2;
    float cdf = x < 0 ? q : 1f - q;
    return g * (cdf + density);
  }

  /** {@code R(a) = N(a)/D(a) ≈ erfcx(a/√2)/2 = Q(a)·e^(a²/2)} for {@code 0 ≤ a ≤ 16}. */
  static float tailRatio(float a) {
    float n = N0 + a * (N1 + a * (N2 + a * (N3 + a * N4)));
    float d = 1f + a * (D1 + a * (D2 + a * (D3 + a * (D4 + a * D5))));
    return n / d;
  }

  /** {@code e^f} for {@code |f| ≤ 0.35}: the degree-7 Taylor polynomial, in float. */
  static float expPoly(float f) {
    return 1f + f * (1f + f * (0.5f + f * (1f / 6 + f * (1f / 24 + f * (1f / 120 + f * (1f / 720 + f * (1f / 5040)))))));
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

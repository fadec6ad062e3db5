package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;

/**
 * The error function {@code erf(x) = 2/√π ∫₀ˣ e^(−t²) dt}, to double precision, and its elementwise
 * kernel (used by the exact GELU). For {@code |x| < 3} the series {@code erf(x) = 2/√π · e^(−x²) ·
 * Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))} has only positive terms, so it loses no digits to cancellation;
 * beyond, {@code erfc}'s continued fraction converges fast, and past 6 {@code erf} is ±1 in double.
 */
public final class Erf {
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

  private Erf() {}

  /** {@code erf(x)}, with relative error near machine epsilon. */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    if (a < 3) {
      return seriesErf(x);
    }
    double r = a >= 6 ? 1 : 1 - erfcContinuedFraction(a);
    return x < 0 ? -r : r;
  }

  private static double seriesErf(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= 2 * x2 / (2 * n + 1);
      sum += term;
      if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
        break;
      }
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }

  /** {@code erfc(a)} for {@code a >= 3}: {@code e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …))))}. */
  private static double erfcContinuedFraction(double a) {
    double f = a;
    for (int k = 60; k >= 1; k--) {
      f = a + (k / 2.0) / f;
    }
    return ONE_OVER_SQRT_PI * Math.exp(-a * a) / f;
  }

  /** {@code erf} of every element, as a new contiguous tensor; FLOAT64 stays FLOAT64, others give FLOAT32. */
  public static Tensor erf(Tensor x) {
    double[] v = x.toDoubleArray();
    if (x.dtype() == DType.FLOAT64) {
      for (int i = 0; i < v.length; i++) {
        v[i] = erf(v[i]);
      }
      return Internals.wrap(Storage.of(v), Internals.shapeRef(x));
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) erf(v[i]);
    }
    return Internals.wrap(Storage.of(f), Internals.shapeRef(x));
  }
}

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
 *
 * <p>FLOAT32 tensors take {@link #erfFloat(double)}: a short polynomial for {@code |x| < 1}, and beyond
 * a one-exponential {@code erfc} good to single precision. The double series needs up to
 * about 60 divisions near {@code |x| = 3}, which made the exact GELU the largest cost of a small GPT's
 * training step.
 */
public final class Erf {
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

  /** (−1)ⁿ / (n!(2n+1)), n = 0..12: the Maclaurin coefficients of erf(x)·√π/2 in powers of x². */
  private static final double[] TAYLOR = new double[13];

  static {
    double factorial = 1;
    for (int n = 0; n < TAYLOR.length; n++) {
      factorial *= Math.max(1, n);
      TAYLOR[n] = (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
    }
  }

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

  /**
   * {@code erf(x)} to single precision (within 2.5e-7 relative of {@link #erf(double)}): a fixed
   * 13-term polynomial for {@code |x| < 1}, and {@code 1 − erfc(|x|)} beyond, with {@code erfc} from
   * the Chebyshev fit {@code erfcc} of Press et al., <i>Numerical Recipes</i> §6.2 (fractional error
   * below 1.2e-7, so at most 2e-8 absolute in {@code erf} for {@code |x| ≥ 1}).
   */
  public static double erfFloat(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    if (a < 1) {
      // Maclaurin series erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n!(2n+1)), 13 terms: the first omitted is below 1e-10 at |x| = 1.
      double x2 = x * x;
      double p = TAYLOR[TAYLOR.length - 1];
      for (int n = TAYLOR.length - 2; n >= 0; n--) {
        p = p * x2 + TAYLOR[n];
      }
      return TWO_OVER_SQRT_PI * x * p;
    }
    if (a >= 6) {
      return x < 0 ? -1 : 1;
    }
    double t = 1 / (1 + 0.5 * a);
    double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    double r = 1 - t * FastMath.expToDouble(-a * a + poly);   // 1e-8 relative, far inside erfcc's 1.2e-7
    return x < 0 ? -r : r;
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
    if (x.dtype() == DType.FLOAT32 && x.isContiguous()) {
      // Read the floats in place, split over the pool: no double copy of a large activation.
      float[] src = x.storage().floats();
      int off = x.offset();
      float[] f = new float[x.numel()];
      Parallel.forRange(f.length, 40L * f.length, (from, to) -> {
        for (int i = from; i < to; i++) {
          f[i] = (float) erfFloat(src[off + i]);
        }
      });
      return Internals.wrap(Storage.of(f), Internals.shapeRef(x));
    }
    double[] v = x.toDoubleArray();
    if (x.dtype() == DType.FLOAT64) {
      for (int i = 0; i < v.length; i++) {
        v[i] = erf(v[i]);
      }
      return Internals.wrap(Storage.of(v), Internals.shapeRef(x));
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) erfFloat(v[i]);
    }
    return Internals.wrap(Storage.of(f), Internals.shapeRef(x));
  }
}

package dev.flint.kernel;

/**
 * Faster elementary functions for FLOAT32 kernels. {@link #exp(float)} is within 1 ulp of the
 * correctly rounded result (tested) and about 3x faster than {@code Math.exp} on the machines we
 * measured, which matters for softmax, sigmoid and tanh. FLOAT64 kernels keep {@code Math}.
 *
 * <p>{@code kernel.vector.VectorActivations} repeats {@link #expToDouble}, {@link #sigmoid} and {@link #tanh}
 * operation for operation on the Vector API's lanes (whole rows of softmax and recurrent gates), and
 * {@code VectorActivationsTest} checks that the two agree bit for bit: change them together.
 */
public final class FastMath {
  private static final double LN2_HI = 0.6931471803691238;
  private static final double LN2_LO = 1.9082149292705877e-10;
  private static final double INV_LN2 = 1.4426950408889634;

  private FastMath() {}

  /**
   * {@code e^x} in float precision: {@code x = k ln2 + r} with {@code |r| <= ln2/2} (Cody-Waite), a
   * degree-7 Taylor polynomial for {@code e^r} in double (relative error below 1e-8), then {@code 2^k}.
   */
  public static float exp(float x) {
    return (float) expToDouble(x);
  }

  /** {@code e^x} for a float argument, as a double with about 1e-8 relative error. */
  static double expToDouble(float xf) {
    return expToDouble((double) xf);
  }

  /**
   * {@code e^x} for a double argument, with the same polynomial and so about 1e-8 relative error: for
   * float-precision results whose exponent is computed in double ({@link Erf#erfFloat}).
   */
  static double expToDouble(double x) {
    if (!(x < 88.8)) {
      return x != x ? x : Double.POSITIVE_INFINITY;
    }
    if (x < -104) {
      return 0;
    }
    double k = Math.rint(x * INV_LN2);
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040)))))));
    return p * Double.longBitsToDouble(((long) k + 1023) << 52);
  }

  /**
   * The logistic function {@code 1 / (1 + e^-x)} in float precision, without overflow. Below |x| = 1 as
   * {@code (1 + tanh(x/2))/2} with tanh's series: no exp and no division where most gates' inputs lie.
   */
  public static float sigmoid(float x) {
    if (Math.abs(x) < 1) {
      return (float) (0.5 + 0.5 * tanhSeries(0.5 * x));
    }
    if (x >= 0) {
      return (float) (1 / (1 + expToDouble(-x)));
    }
    double e = expToDouble(x);
    return (float) (e / (1 + e));
  }

  /**
   * {@code tanh(x)} in float precision. Below |x| = 0.5, where {@code (1 - e^-2a)/(1 + e^-2a)} would cancel,
   * tanh's Maclaurin series to x^17 in double (each term about a tenth of the one before, so the rest stays
   * under 1e-8 relative; recurrent gates live there, and {@code Math.tanh} cost them a third of a step).
   */
  public static float tanh(float x) {
    float a = Math.abs(x);
    if (x != x) {
      return x;
    }
    if (a < 0.5f) {
      return (float) tanhSeries(x);
    }
    double t = expToDouble(-2 * a);
    double y = (1 - t) / (1 + t);
    return (float) (x < 0 ? -y : y);
  }

  /** tanh's Maclaurin series to x^17 for |d| <= 0.5: under 1e-8 relative error; keeps the sign of zero. */
  private static double tanhSeries(double d) {
    double q = d * d;
    return d * (1 + q * (-1.0 / 3 + q * (2.0 / 15 + q * (-17.0 / 315 + q * (62.0 / 2835 + q * (-1382.0 / 155925
        + q * (21844.0 / 6081075 + q * (-929569.0 / 638512875 + q * (6404582.0 / 10854718875.0)))))))));
  }
}

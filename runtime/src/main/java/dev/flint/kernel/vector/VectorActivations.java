package dev.flint.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 activations over whole rows on the Vector API: the exact GELU and its backward, softmax's
 * exponentials, and the recurrent gates' sigmoid and tanh. Each is the same sequence of double-precision
 * operations as its scalar reference in {@code dev.flint.kernel} ({@code Gelu}, {@code Softmax},
 * {@code FastMath}'s exp, sigmoid and tanh), on double lanes, rounded to float once, so the results equal
 * the scalar ones bit for bit (tests compare them; change both together). Branches become both sides
 * computed and blended.
 *
 * <p>Structure, for C2's sake. No method takes or returns a vector: each is a few flat loops over arrays
 * (a vector that crosses a call C2 does not inline is a heap object, and C2 declines to inline methods of
 * this size; a first version with an {@code exp(DoubleVector)} helper ran 20× slower). So the
 * exponential is a pass of its own ({@link #expInPlace}) over exponents the previous pass stored in
 * per-thread scratch. And no float vectors: floats are widened into scratch and narrowed back by plain
 * loops. Half-width float vectors (to convert lane for lane to full-width doubles) beside the GEMM's
 * full-width ones made C2 compile the GEMM's micro-kernel with boxed vectors after the warm-up (a
 * [64, 64]·[64, 256] product allocated 2 MB and ran 5× slower).
 *
 * <p>Each public method takes a whole row; the vector passes do its whole vectors and scalar code here
 * the tail, with the same operations. Load this class only when {@code jdk.incubator.vector} is in the
 * boot layer; {@link #warmUp()} runs every loop on small rows.
 */
public final class VectorActivations {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();
  /** The GEMM's float species, for softmax's max (the only float-lane loop here). */
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Elements per pass: the scratch stays in the L1 cache. */
  private static final int CHUNK = 256;

  // FastMath.expToDouble's constants
  private static final double LN2_HI = 0.6931471803691238;
  private static final double LN2_LO = 1.9082149292705877e-10;
  private static final double INV_LN2 = 1.4426950408889634;
  /** 1.5·2^52: adding it rounds a double below 2^51 in magnitude to an integer, half to even (Math.rint). */
  private static final double ROUNDER = 6755399441055744.0;
  private static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);

  // Gelu's constants
  private static final double SQRT_HALF = 0.7071067811865476;
  private static final double INV_SQRT_2PI = 0.3989422804014327;

  /** Per-thread scratch between passes. */
  private static final class Scratch {
    final double[] x = new double[CHUNK];
    final double[] g = new double[CHUNK];
    final double[] t = new double[CHUNK];
    final double[] e = new double[CHUNK];
    final double[] e2 = new double[CHUNK];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private VectorActivations() {}

  /** The double lanes of a vector step. */
  public static int lanes() {
    return L;
  }

  /** {@code FastMath.expToDouble(x)} for {@code x <= 0} or NaN, the scalar twin of {@link #expInPlace}'s lanes. */
  private static double exp(double x) {
    if (x < -104) {
      return 0;
    }
    double k = Math.rint(x * INV_LN2);
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040)))))));
    return p * Double.longBitsToDouble(((long) k + 1023) << 52);
  }

  /**
   * {@code a[i] = FastMath.expToDouble(a[i])} for {@code i < n}, for arguments {@code <= 0} or NaN:
   * Cody-Waite reduction {@code x = k·ln2 + r}, the degree-7 Taylor polynomial of {@code e^r}, then
   * {@code 2^k} built in the exponent bits; 0 below −104. The tail past the last whole vector runs scalar.
   */
  static void expInPlace(double[] a, int n) {
    int nv = n - n % L;
    for (int j = 0; j < nv; j += L) {
      DoubleVector x = DoubleVector.fromArray(D, a, j);
      DoubleVector xc = x.max(-104.0);
      DoubleVector big = xc.mul(INV_LN2).add(ROUNDER);
      DoubleVector k = big.sub(ROUNDER);
      DoubleVector r = xc.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
      DoubleVector p = r.mul(1.0 / 5040).add(1.0 / 720);
      p = r.mul(p).add(1.0 / 120);
      p = r.mul(p).add(1.0 / 24);
      p = r.mul(p).add(1.0 / 6);
      p = r.mul(p).add(0.5);
      p = r.mul(p).add(1);
      p = r.mul(p).add(1);
      LongVector bits = ((LongVector) big.reinterpretAsLongs()).add(1023 - ROUNDER_BITS)
          .lanewise(VectorOperators.LSHL, 52);
      p.mul((DoubleVector) bits.reinterpretAsDoubles()).blend(0.0, x.compare(VectorOperators.LT, -104.0))
          .intoArray(a, j);
    }
    for (int j = nv; j < n; j++) {
      a[j] = exp(a[j]);
    }
  }

  // ---------------------------------------------------------------- GELU

  /**
   * For {@code Gelu.upperTail} of {@code x[j]}: {@code t = 1/(1 + |x|/(2√2))} into {@code t}, the
   * exponent {@code −x²/2 + P(t)} into {@code e}, and (when {@code density} is not null) {@code −x²/2} into it.
   */
  private static void tailExponents(double[] x, int n, double[] t, double[] e, double[] density) {
    int nv = n - n % L;
    for (int j = 0; j < nv; j += L) {
      DoubleVector v = DoubleVector.fromArray(D, x, j);
      DoubleVector tv = DoubleVector.broadcast(D, 1).div(v.abs().mul(SQRT_HALF).mul(0.5).add(1));
      DoubleVector p = tv.mul(0.17087277).add(-0.82215223);
      p = tv.mul(p).add(1.48851587);
      p = tv.mul(p).add(-1.13520398);
      p = tv.mul(p).add(0.27886807);
      p = tv.mul(p).add(-0.18628806);
      p = tv.mul(p).add(0.09678418);
      p = tv.mul(p).add(0.37409196);
      p = tv.mul(p).add(1.00002368);
      p = tv.mul(p).add(-1.26551223);
      DoubleVector half = v.mul(-0.5).mul(v);
      tv.intoArray(t, j);
      half.add(p).intoArray(e, j);
      if (density != null) {
        half.intoArray(density, j);
      }
    }
    for (int j = nv; j < n; j++) {
      double v = x[j];
      double tj = 1 / (1 + 0.5 * (Math.abs(v) * SQRT_HALF));
      double p = -1.26551223 + tj * (1.00002368 + tj * (0.37409196 + tj * (0.09678418 + tj * (-0.18628806
          + tj * (0.27886807 + tj * (-1.13520398 + tj * (1.48851587 + tj * (-0.82215223 + tj * 0.17087277))))))));
      t[j] = tj;
      e[j] = -0.5 * v * v + p;
      if (density != null) {
        density[j] = -0.5 * v * v;
      }
    }
  }

  /** {@code o[oi + j] = Gelu.geluFloat(x[xi + j])} for j in [0, n). */
  public static void gelu(float[] x, int xi, float[] o, int oi, int n) {
    Scratch s = SCRATCH.get();
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int m = Math.min(CHUNK, n - j0);
      for (int j = 0; j < m; j++) {
        s.x[j] = x[xi + j0 + j];
      }
      tailExponents(s.x, m, s.t, s.e, null);
      expInPlace(s.e, m);
      int nv = m - m % L;
      for (int j = 0; j < nv; j += L) {
        DoubleVector v = DoubleVector.fromArray(D, s.x, j);
        DoubleVector q = DoubleVector.fromArray(D, s.t, j).mul(0.5).mul(DoubleVector.fromArray(D, s.e, j));
        v.mul(q.blend(DoubleVector.broadcast(D, 1).sub(q), v.compare(VectorOperators.GE, 0))).intoArray(s.e, j);
      }
      for (int j = nv; j < m; j++) {
        double v = s.x[j];
        double q = 0.5 * s.t[j] * s.e[j];
        s.e[j] = v * (v >= 0 ? 1 - q : q);
      }
      for (int j = 0; j < m; j++) {
        o[oi + j0 + j] = (float) s.e[j];
      }
    }
  }

  /** {@code o[oi + j] = Gelu.geluBackwardFloat(g[gi + j], x[xi + j])} for j in [0, n). */
  public static void geluBackward(float[] g, int gi, float[] x, int xi, float[] o, int oi, int n) {
    Scratch s = SCRATCH.get();
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int m = Math.min(CHUNK, n - j0);
      for (int j = 0; j < m; j++) {
        s.x[j] = x[xi + j0 + j];
        s.g[j] = g[gi + j0 + j];
      }
      tailExponents(s.x, m, s.t, s.e, s.e2);
      expInPlace(s.e, m);
      expInPlace(s.e2, m);
      int nv = m - m % L;
      for (int j = 0; j < nv; j += L) {
        DoubleVector v = DoubleVector.fromArray(D, s.x, j);
        DoubleVector q = DoubleVector.fromArray(D, s.t, j).mul(0.5).mul(DoubleVector.fromArray(D, s.e, j));
        DoubleVector phi = q.blend(DoubleVector.broadcast(D, 1).sub(q), v.compare(VectorOperators.GE, 0));
        DoubleVector slope = phi.add(v.mul(DoubleVector.fromArray(D, s.e2, j).mul(INV_SQRT_2PI)));
        DoubleVector.fromArray(D, s.g, j).mul(slope).intoArray(s.e, j);
      }
      for (int j = nv; j < m; j++) {
        double v = s.x[j];
        double q = 0.5 * s.t[j] * s.e[j];
        double phi = v >= 0 ? 1 - q : q;
        s.e[j] = s.g[j] * (phi + v * (INV_SQRT_2PI * s.e2[j]));
      }
      for (int j = 0; j < m; j++) {
        o[oi + j0 + j] = (float) s.e[j];
      }
    }
  }

  // ---------------------------------------------------------------- softmax rows

  /** The largest of {@code x[xi .. xi + n)} as {@code Softmax}'s loop finds it: NaN if any is NaN. */
  public static float max(float[] x, int xi, int n) {
    int nv = n - n % S.length();
    float m = Float.NEGATIVE_INFINITY;
    if (nv > 0) {
      FloatVector acc = FloatVector.fromArray(S, x, xi);
      for (int j = S.length(); j < nv; j += S.length()) {
        acc = acc.max(FloatVector.fromArray(S, x, xi + j));
      }
      m = acc.reduceLanes(VectorOperators.MAX);
    }
    for (int j = nv; j < n; j++) {
      float v = x[xi + j];
      m = v > m || v != v ? v : m;
    }
    return m;
  }

  /**
   * {@code o[oi + j] = (float) FastMath.expToDouble(x[xi + j] − max)} for j in [0, n) ({@code o} null:
   * nothing stored); returns the sum of those floats, added in order (as {@code Softmax}'s loop). Without
   * {@code o} (log-softmax) it sums the exponentials unrounded, in double, as the scalar log loop does.
   */
  public static double expShifted(float[] x, int xi, float max, float[] o, int oi, int n) {
    Scratch s = SCRATCH.get();
    double sum = 0;
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int m = Math.min(CHUNK, n - j0);
      for (int j = 0; j < m; j++) {
        s.e[j] = x[xi + j0 + j] - max;   // the float difference, as the scalar loop
      }
      expInPlace(s.e, m);
      for (int j = 0; j < m; j++) {
        float e = (float) s.e[j];
        if (o != null) {
          o[oi + j0 + j] = e;
          sum += e;
        } else {
          sum += s.e[j];
        }
      }
    }
    return sum;
  }

  // ---------------------------------------------------------------- sigmoid and tanh

  /**
   * {@code out[oi + j] = FastMath.sigmoid(z)} (or {@code FastMath.tanh(z)}) of the float
   * {@code z = x[xi + j] + y[yi + j] + bias[bi + j]} ({@code y}, {@code bias} may be null; Java's float
   * additions) for j in [0, n): the recurrent gates.
   */
  public static void activate(float[] x, int xi, float[] y, int yi, float[] bias, int bi, float[] out, int oi, int n,
      boolean tanh) {
    Scratch s = SCRATCH.get();
    float scale = tanh ? -2 : -1;   // FastMath's exponents: e^(−2|z|) for tanh, e^(−|z|) for sigmoid
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int m = Math.min(CHUNK, n - j0);
      for (int j = 0; j < m; j++) {
        float z = y == null ? x[xi + j0 + j] : x[xi + j0 + j] + y[yi + j0 + j];
        if (bias != null) {
          z += bias[bi + j0 + j];
        }
        s.x[j] = z;
        s.e[j] = scale * Math.abs(z);
      }
      expInPlace(s.e, m);
      if (tanh) {
        tanhs(s.x, s.e, m);
      } else {
        sigmoids(s.x, s.e, m);
      }
      for (int j = 0; j < m; j++) {
        out[oi + j0 + j] = (float) s.e[j];
      }
    }
  }

  /** {@code e[j] = FastMath.sigmoid(z[j])} given {@code e[j] = e^(−|z[j]|)}. */
  private static void sigmoids(double[] z, double[] e, int n) {
    int nv = n - n % L;
    for (int j = 0; j < nv; j += L) {
      DoubleVector x = DoubleVector.fromArray(D, z, j);
      DoubleVector ev = DoubleVector.fromArray(D, e, j);
      DoubleVector d = x.mul(0.5);   // the series of tanh(x/2), as FastMath.tanhSeries
      DoubleVector q = d.mul(d);
      DoubleVector p = q.mul(6404582.0 / 10854718875.0).add(-929569.0 / 638512875);
      p = q.mul(p).add(21844.0 / 6081075);
      p = q.mul(p).add(-1382.0 / 155925);
      p = q.mul(p).add(62.0 / 2835);
      p = q.mul(p).add(-17.0 / 315);
      p = q.mul(p).add(2.0 / 15);
      p = q.mul(p).add(-1.0 / 3);
      p = q.mul(p).add(1);
      DoubleVector series = d.mul(p).mul(0.5).add(0.5);
      DoubleVector denominator = ev.add(1);
      DoubleVector tails = DoubleVector.broadcast(D, 1).div(denominator)
          .blend(ev.div(denominator), x.compare(VectorOperators.LT, 0));
      tails.blend(series, x.abs().compare(VectorOperators.LT, 1)).intoArray(e, j);
    }
    for (int j = nv; j < n; j++) {
      double x = z[j];
      e[j] = Math.abs(x) < 1 ? 0.5 + 0.5 * tanhSeries(0.5 * x) : x >= 0 ? 1 / (1 + e[j]) : e[j] / (1 + e[j]);
    }
  }

  /** {@code e[j] = FastMath.tanh(z[j])} given {@code e[j] = e^(−2|z[j]|)}. */
  private static void tanhs(double[] z, double[] e, int n) {
    int nv = n - n % L;
    for (int j = 0; j < nv; j += L) {
      DoubleVector x = DoubleVector.fromArray(D, z, j);
      DoubleVector t = DoubleVector.fromArray(D, e, j);
      DoubleVector q = x.mul(x);
      DoubleVector p = q.mul(6404582.0 / 10854718875.0).add(-929569.0 / 638512875);
      p = q.mul(p).add(21844.0 / 6081075);
      p = q.mul(p).add(-1382.0 / 155925);
      p = q.mul(p).add(62.0 / 2835);
      p = q.mul(p).add(-17.0 / 315);
      p = q.mul(p).add(2.0 / 15);
      p = q.mul(p).add(-1.0 / 3);
      p = q.mul(p).add(1);
      DoubleVector series = x.mul(p);
      DoubleVector y = DoubleVector.broadcast(D, 1).sub(t).div(t.add(1));
      DoubleVector tails = y.blend(y.neg(), x.compare(VectorOperators.LT, 0));
      tails.blend(series, x.abs().compare(VectorOperators.LT, 0.5)).intoArray(e, j);
    }
    for (int j = nv; j < n; j++) {
      double x = z[j];
      double y = (1 - e[j]) / (1 + e[j]);
      e[j] = x != x ? x : Math.abs(x) < 0.5 ? tanhSeries(x) : x < 0 ? -y : y;
    }
  }

  /** {@code FastMath.tanhSeries}, for the scalar tails. */
  private static double tanhSeries(double d) {
    double q = d * d;
    return d * (1 + q * (-1.0 / 3 + q * (2.0 / 15 + q * (-17.0 / 315 + q * (62.0 / 2835 + q * (-1382.0 / 155925
        + q * (21844.0 / 6081075 + q * (-929569.0 / 638512875 + q * (6404582.0 / 10854718875.0)))))))));
  }

  // ---------------------------------------------------------------- warm-up

  /** Small rows for {@link #warmUp()}: two vectors and a tail at any width up to 8 double lanes. */
  private static final int WARM = 2 * 16 + 3;
  private static final float[] WARM_X = new float[4 * WARM];
  private static final float[] WARM_Y = new float[4 * WARM];

  /** One round of every loop on small rows, for the tier's warm-up (run single-threaded). */
  public static void warmUp() {
    for (int i = 0; i < WARM_X.length; i++) {
      WARM_X[i] = ((i * 37) % 101 - 50) * 0.07f;
    }
    gelu(WARM_X, 0, WARM_Y, 0, WARM);
    geluBackward(WARM_X, 1, WARM_X, 0, WARM_Y, 0, WARM);
    float m = max(WARM_X, 0, WARM);
    expShifted(WARM_X, 0, m, WARM_Y, 0, WARM);
    expShifted(WARM_X, 0, m, null, 0, WARM);
    activate(WARM_X, 0, null, 0, null, 0, WARM_Y, 0, WARM, true);
    activate(WARM_X, 0, WARM_X, 1, null, 0, WARM_Y, 0, WARM, false);
    activate(WARM_X, 0, WARM_X, 1, WARM_X, 2, WARM_Y, 0, WARM, false);
  }
}

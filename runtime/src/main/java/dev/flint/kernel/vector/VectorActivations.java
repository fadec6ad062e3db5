package dev.flint.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 activations over whole rows on the Vector API: the exact GELU and its backward, softmax's
 * exponentials, and the recurrent gates' sigmoid and tanh. Each equals its scalar reference in
 * {@code dev.flint.kernel} bit for bit (tests compare them; change both together). Branches become both
 * sides computed and blended.
 *
 * <p>GELU runs on float lanes, {@link FloatVector#SPECIES_PREFERRED} (the GEMM's species, 16 lanes with
 * AVX-512), in float arithmetic: {@code Gelu.geluFloat} and {@code Gelu.geluBackwardFloat} are its scalar
 * twins, the same float operations in the same order (separate mul and add, each rounded, as Java's scalar
 * float arithmetic; no fma). Softmax's exponentials and the gates are the same sequence of double-precision
 * operations as {@code Softmax} and {@code FastMath}'s exp, sigmoid and tanh, on double lanes, rounded to
 * float once.
 *
 * <p>Structure, for C2's sake. No method takes or returns a vector: each is a few flat loops over arrays
 * (a vector that crosses a call C2 does not inline is a heap object, and C2 declines to inline methods of
 * this size; a first version with an {@code exp(DoubleVector)} helper ran 20× slower). So GELU's loop body
 * writes its exponential out in full, and the double-lane exponential is a pass of its own
 * ({@link #expInPlace}) over exponents the previous pass stored in per-thread scratch. Only full-width
 * species: half-width float vectors (to convert lane for lane to full-width doubles) beside the GEMM's
 * full-width ones made C2 compile the GEMM's micro-kernel with boxed vectors after the warm-up (a
 * [64, 64]·[64, 256] product allocated 2 MB and ran 5× slower); the double lanes take floats widened into
 * scratch by plain loops.
 *
 * <p>Each public method takes a whole row; the vector passes do its whole vectors, and the tail runs
 * either as scalar code here with the same operations or (GELU) through the same lanes from a padded
 * copy. Load this class only when {@code jdk.incubator.vector} is in the boot layer; {@link #warmUp()}
 * runs every loop on small rows.
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

  /** Per-thread scratch between passes. */
  private static final class Scratch {
    final double[] x = new double[CHUNK];
    final double[] e = new double[CHUNK];
    final float[] tailX = new float[S.length()];
    final float[] tailG = new float[S.length()];
    final float[] tailO = new float[S.length()];
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

  // Gelu's FLOAT32 constants (see Gelu.geluFloat, whose operations the lanes repeat in the same order)
  private static final float TAIL_END = 16f;
  private static final float N0 = 0.5f, N1 = 0.43849584f, N2 = 0.1833841f, N3 = 0.04068348f, N4 = 0.0041237804f;
  private static final float D1 = 1.6748767f, D2 = 1.2031217f, D3 = 0.46986392f, D4 = 0.10198475f, D5 = 0.010336666f;
  private static final float INV_LN2_F = 1.442695f;
  private static final float LN2_HI_F = 0.693359375f;
  private static final float LN2_LO_F = -2.1219444e-4f;
  private static final float ROUNDER_F = 12582912f;
  private static final int ROUNDER_F_BITS = Float.floatToRawIntBits(ROUNDER_F);
  private static final float INV_SQRT_2PI_F = 0.3989423f;

  /**
   * {@code o[oi + j] = Gelu.geluFloat(x[xi + j])} for j in [0, n): float lanes, one pass, no scratch. The
   * elements past the last whole vector go through the same lanes from a padded per-thread copy.
   */
  public static void gelu(float[] x, int xi, float[] o, int oi, int n) {
    int nv = n - n % S.length();
    geluLanes(x, xi, o, oi, nv);
    if (nv < n) {
      Scratch s = SCRATCH.get();
      System.arraycopy(x, xi + nv, s.tailX, 0, n - nv);
      geluLanes(s.tailX, 0, s.tailO, 0, S.length());
      System.arraycopy(s.tailO, 0, o, oi + nv, n - nv);
    }
  }

  /** {@code gelu} over {@code n} elements, a multiple of the lanes. */
  private static void geluLanes(float[] x, int xi, float[] o, int oi, int n) {
    for (int j = 0; j < n; j += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, xi + j);
      FloatVector av = v.abs();
      FloatVector a = av.min(TAIL_END);
      FloatVector nm = a.mul(N4).add(N3);
      nm = a.mul(nm).add(N2);
      nm = a.mul(nm).add(N1);
      nm = a.mul(nm).add(N0);
      FloatVector dn = a.mul(D5).add(D4);
      dn = a.mul(dn).add(D3);
      dn = a.mul(dn).add(D2);
      dn = a.mul(dn).add(D1);
      dn = a.mul(dn).add(1f);
      FloatVector r = nm.div(dn);
      FloatVector ah = ((IntVector) a.reinterpretAsInts()).and(0xFFFFF000).reinterpretAsFloats();
      FloatVector al = a.sub(ah);
      FloatVector hi = ah.mul(ah).mul(-0.5f);
      FloatVector lo = ah.mul(al).neg().sub(al.mul(al).mul(0.5f));
      FloatVector big = hi.mul(INV_LN2_F).add(ROUNDER_F);
      FloatVector k = big.sub(ROUNDER_F);
      FloatVector f = hi.sub(k.mul(LN2_HI_F)).sub(k.mul(LN2_LO_F)).add(lo);
      FloatVector p = f.mul(1f / 5040).add(1f / 720);
      p = f.mul(p).add(1f / 120);
      p = f.mul(p).add(1f / 24);
      p = f.mul(p).add(1f / 6);
      p = f.mul(p).add(0.5f);
      p = f.mul(p).add(1f);
      p = f.mul(p).add(1f);
      IntVector ki = ((IntVector) big.reinterpretAsInts()).sub(ROUNDER_F_BITS);
      IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
      FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector s2 = ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector e1 = p.mul(s1).blend(0f, av.compare(VectorOperators.GT, TAIL_END));
      VectorMask<Float> negative = v.compare(VectorOperators.LT, 0f);
      FloatVector one = FloatVector.broadcast(S, 1f);
      FloatVector w = one.blend(v, negative).mul(r).mul(e1).mul(s2);
      v.mul(one.sub(w)).blend(w, negative).intoArray(o, oi + j);
    }
  }

  /** {@code o[oi + j] = Gelu.geluBackwardFloat(g[gi + j], x[xi + j])} for j in [0, n), as {@link #gelu}. */
  public static void geluBackward(float[] g, int gi, float[] x, int xi, float[] o, int oi, int n) {
    int nv = n - n % S.length();
    geluBackwardLanes(g, gi, x, xi, o, oi, nv);
    if (nv < n) {
      Scratch s = SCRATCH.get();
      System.arraycopy(g, gi + nv, s.tailG, 0, n - nv);
      System.arraycopy(x, xi + nv, s.tailX, 0, n - nv);
      geluBackwardLanes(s.tailG, 0, s.tailX, 0, s.tailO, 0, S.length());
      System.arraycopy(s.tailO, 0, o, oi + nv, n - nv);
    }
  }

  /** {@code geluBackward} over {@code n} elements, a multiple of the lanes: one exponential for both terms. */
  private static void geluBackwardLanes(float[] g, int gi, float[] x, int xi, float[] o, int oi, int n) {
    for (int j = 0; j < n; j += S.length()) {
      FloatVector v = FloatVector.fromArray(S, x, xi + j);
      FloatVector av = v.abs();
      FloatVector a = av.min(TAIL_END);
      FloatVector nm = a.mul(N4).add(N3);
      nm = a.mul(nm).add(N2);
      nm = a.mul(nm).add(N1);
      nm = a.mul(nm).add(N0);
      FloatVector dn = a.mul(D5).add(D4);
      dn = a.mul(dn).add(D3);
      dn = a.mul(dn).add(D2);
      dn = a.mul(dn).add(D1);
      dn = a.mul(dn).add(1f);
      FloatVector r = nm.div(dn);
      FloatVector ah = ((IntVector) a.reinterpretAsInts()).and(0xFFFFF000).reinterpretAsFloats();
      FloatVector al = a.sub(ah);
      FloatVector hi = ah.mul(ah).mul(-0.5f);
      FloatVector lo = ah.mul(al).neg().sub(al.mul(al).mul(0.5f));
      FloatVector big = hi.mul(INV_LN2_F).add(ROUNDER_F);
      FloatVector k = big.sub(ROUNDER_F);
      FloatVector f = hi.sub(k.mul(LN2_HI_F)).sub(k.mul(LN2_LO_F)).add(lo);
      FloatVector p = f.mul(1f / 5040).add(1f / 720);
      p = f.mul(p).add(1f / 120);
      p = f.mul(p).add(1f / 24);
      p = f.mul(p).add(1f / 6);
      p = f.mul(p).add(0.5f);
      p = f.mul(p).add(1f);
      p = f.mul(p).add(1f);
      IntVector ki = ((IntVector) big.reinterpretAsInts()).sub(ROUNDER_F_BITS);
      IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
      FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector s2 = ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector e1 = p.mul(s1).blend(0f, av.compare(VectorOperators.GT, TAIL_END));
      FloatVector q = r.mul(e1).mul(s2);
      FloatVector density = v.mul(INV_SQRT_2PI_F).mul(e1).mul(s2);
      FloatVector cdf = FloatVector.broadcast(S, 1f).sub(q).blend(q, v.compare(VectorOperators.LT, 0f));
      FloatVector.fromArray(S, g, gi + j).mul(cdf.add(density)).intoArray(o, oi + j);
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

package dev.flint.kernel.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FLOAT32 fused attention of one (batch, head) slice on the Vector API ({@code kernel.AttentionRows}
 * calls it per slice; its plain loops are the reference): blocks of {@link #R} query rows at a time, the
 * keys (and in backward the values) transposed once per slice into scratch, so that a block's scores are
 * broadcast multiply-adds along the keys, and its products with v (or with dOut, k and q in backward)
 * are multiply-adds along the head dim, all accumulated in registers. A causal block stops at its last
 * row's diagonal: the masked upper triangle is never computed. Scores and weights live in {@code R} rows of
 * {@code S} floats; nothing of size {@code T·S} is stored. The exponentials are float lanes ({@link #expRow}):
 * the double-lane {@code VectorActivations.expShifted} with its conversions was a third of the forward.
 *
 * <p>Structure, for C2's sake (see {@link VectorActivations}): flat loops over arrays, no vector crosses a call.
 */
public final class VectorAttention {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  /** Query rows per block: each key or value row loaded is used by this many rows. */
  static final int R = 4;

  // expf's constants (Cody-Waite split of ln 2 as in Cephes' expf)
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** 1.5·2^23: adding it rounds a float below 2^22 in magnitude to an integer, whose bits it then holds. */
  private static final float ROUNDER = 12582912f;
  private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
  /** Below this exponent e^x is taken as 0 (2^-126 is the smallest normal float). */
  private static final float EXP_MIN = -87f;

  /** Per-thread scratch, grown on demand. */
  private static final class Scratch {
    float[] kt = new float[0];
    float[] vt = new float[0];
    float[] p = new float[0];
    float[] ds = new float[0];
    final float[] inv = new float[R];
    /** {@code l·ld} for each lane l: the gather map down {@code L} rows of stride {@code ld}. */
    final int[] rows = new int[L];
    int rowsLd = -1;

    int[] rows(int ld) {
      if (rowsLd != ld) {
        for (int l = 0; l < L; l++) {
          rows[l] = l * ld;
        }
        rowsLd = ld;
      }
      return rows;
    }

    void grow(int e, int sp) {
      if (kt.length < e * sp) {
        kt = new float[e * sp];
        vt = new float[e * sp];
      }
      if (p.length < R * sp) {
        p = new float[R * sp];
        ds = new float[R * sp];
      }
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private VectorAttention() {}

  /**
   * {@code dst[c·sp + j] = x[xo + j·ld + c]} for j < s, zero for j in [s, sp): whole vectors of keys by
   * gathers down the rows (four times faster than the scalar loop, which was a fifth of the kernel).
   */
  private static void transpose(float[] x, int xo, int ld, int s, int e, float[] dst, int sp, Scratch sc) {
    int[] index = sc.rows(ld);
    int whole = s - s % L;
    for (int j = 0; j < whole; j += L) {
      int xj = xo + j * ld;
      for (int c = 0; c < e; c++) {
        FloatVector.fromArray(F, x, xj + c, index, 0).intoArray(dst, c * sp + j);
      }
    }
    for (int j = whole; j < s; j++) {
      int xj = xo + j * ld;
      for (int c = 0; c < e; c++) {
        dst[c * sp + j] = x[xj + c];
      }
    }
    for (int c = 0; c < e; c++) {
      Arrays.fill(dst, c * sp + s, c * sp + sp, 0);
    }
  }

  /** The largest of {@code p[at, at + n)}, n a multiple of L. */
  private static float maxRow(float[] p, int at, int n) {
    FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    for (int j = 0; j < n; j += L) {
      m = m.max(FloatVector.fromArray(F, p, at + j));
    }
    return m.reduceLanes(VectorOperators.MAX);
  }

  /**
   * {@code p[at + j] = e^(p[at + j] − shift)} for j < n (n a multiple of L; arguments below −87, and −∞, give
   * 0), returning their sum: Cody-Waite reduction {@code x = k·ln2 + r}, the degree-6 Taylor polynomial of
   * {@code e^r} ({@code |r| <= ln2/2}: relative error below 4e-8, under a float ulp), {@code 2^k} in the exponent bits.
   */
  private static float expRow(float[] p, int at, int n, float shift) {
    FloatVector sum = FloatVector.zero(F);
    for (int j = 0; j < n; j += L) {
      FloatVector x = FloatVector.fromArray(F, p, at + j).sub(shift);
      FloatVector xc = x.max(EXP_MIN);
      FloatVector big = xc.mul(LOG2E).add(ROUNDER);
      FloatVector k = big.sub(ROUNDER);
      FloatVector r = xc.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
      FloatVector e = r.mul(1f / 720).add(1f / 120);
      e = r.mul(e).add(1f / 24);
      e = r.mul(e).add(1f / 6);
      e = r.mul(e).add(0.5f);
      e = r.mul(e).add(1f);
      e = r.mul(e).add(1f);
      IntVector bits = ((IntVector) big.reinterpretAsInts()).add(127 - ROUNDER_BITS).lanewise(VectorOperators.LSHL, 23);
      FloatVector y = e.mul((FloatVector) bits.reinterpretAsFloats()).blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
      y.intoArray(p, at + j);
      sum = sum.add(y);
    }
    return sum.reduceLanes(VectorOperators.ADD);
  }

  /**
   * Forward of one slice: q, k, v rows at {@code qo, ko, vo} with row strides {@code ldq, ldk, ldv}; the packed
   * result rows {@code [t, e + 1]} (output, then the row log-sum-exp) at {@code oo}, contiguous.
   */
  public static void forward(float[] q, int qo, int ldq, float[] k, int ko, int ldk, float[] v, int vo, int ldv,
      float[] o, int oo, int t, int s, int e, float scale, boolean causal) {
    int sp = (s + L - 1) / L * L;
    Scratch sc = SCRATCH.get();
    sc.grow(e, sp);
    float[] kt = sc.kt;
    float[] p = sc.p;
    transpose(k, ko, ldk, s, e, kt, sp, sc);
    int ev = e - e % L;
    float[] inv = sc.inv;
    for (int i0 = 0; i0 < t; i0 += R) {
      int maxEnd = causal ? Math.min(s, i0 + R) : s;
      int jv = (maxEnd + L - 1) / L * L;
      int q0 = qo + i0 * ldq;
      int q1 = qo + Math.min(i0 + 1, t - 1) * ldq;
      int q2 = qo + Math.min(i0 + 2, t - 1) * ldq;
      int q3 = qo + Math.min(i0 + 3, t - 1) * ldq;
      for (int j = 0; j < jv; j += L) {   // scores of the block's rows: Σ_c q_rc · kᵀ[c, j..]
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int c = 0; c < e; c++) {
          FloatVector kv = FloatVector.fromArray(F, kt, c * sp + j);
          a0 = kv.fma(FloatVector.broadcast(F, q[q0 + c]), a0);
          a1 = kv.fma(FloatVector.broadcast(F, q[q1 + c]), a1);
          a2 = kv.fma(FloatVector.broadcast(F, q[q2 + c]), a2);
          a3 = kv.fma(FloatVector.broadcast(F, q[q3 + c]), a3);
        }
        a0.mul(scale).intoArray(p, j);
        a1.mul(scale).intoArray(p, sp + j);
        a2.mul(scale).intoArray(p, 2 * sp + j);
        a3.mul(scale).intoArray(p, 3 * sp + j);
      }
      for (int r = 0; r < R; r++) {   // each row's softmax, in place; weights past its end are 0
        int i = i0 + r;
        int row = r * sp;
        int end = i >= t ? 0 : causal ? Math.min(s, i + 1) : s;
        if (end == 0) {   // a padding row of the block, or no key at all
          Arrays.fill(p, row, row + jv, 0);
          inv[r] = 0;
          if (i < t) {
            o[oo + i * (e + 1) + e] = Float.POSITIVE_INFINITY;
          }
          continue;
        }
        Arrays.fill(p, row + end, row + jv, Float.NEGATIVE_INFINITY);
        float max = maxRow(p, row, jv);
        float sum = expRow(p, row, jv, max);
        inv[r] = 1 / sum;
        o[oo + i * (e + 1) + e] = max + (float) Math.log(sum);
      }
      for (int c = 0; c < ev; c += L) {   // out_r = Σ_j p_rj v_j / sum_r
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int j = 0; j < maxEnd; j++) {
          FloatVector vv = FloatVector.fromArray(F, v, vo + j * ldv + c);
          a0 = vv.fma(FloatVector.broadcast(F, p[j]), a0);
          a1 = vv.fma(FloatVector.broadcast(F, p[sp + j]), a1);
          a2 = vv.fma(FloatVector.broadcast(F, p[2 * sp + j]), a2);
          a3 = vv.fma(FloatVector.broadcast(F, p[3 * sp + j]), a3);
        }
        a0.mul(inv[0]).intoArray(o, oo + i0 * (e + 1) + c);
        if (i0 + 1 < t) {
          a1.mul(inv[1]).intoArray(o, oo + (i0 + 1) * (e + 1) + c);
        }
        if (i0 + 2 < t) {
          a2.mul(inv[2]).intoArray(o, oo + (i0 + 2) * (e + 1) + c);
        }
        if (i0 + 3 < t) {
          a3.mul(inv[3]).intoArray(o, oo + (i0 + 3) * (e + 1) + c);
        }
      }
      for (int r = 0; r < R && i0 + r < t; r++) {   // the head dims past the last whole vector
        for (int c = ev; c < e; c++) {
          float acc = 0;
          for (int j = 0; j < maxEnd; j++) {
            acc += p[r * sp + j] * v[vo + j * ldv + c];
          }
          o[oo + (i0 + r) * (e + 1) + c] = acc * inv[r];
        }
      }
    }
  }

  /**
   * Backward of one slice: g and y packed rows ({@code [t, e + 1]}) at {@code go, yo} with row strides
   * {@code ldg, ldy}; dq, dk and dv accumulated into the zeroed contiguous rows {@code [t + 2s, e]} at {@code oo}.
   */
  public static void backward(float[] g, int go, int ldg, float[] q, int qo, int ldq, float[] k, int ko, int ldk,
      float[] v, int vo, int ldv, float[] y, int yo, int ldy, float[] o, int oo, int t, int s, int e, float scale,
      boolean causal) {
    int sp = (s + L - 1) / L * L;
    Scratch sc = SCRATCH.get();
    sc.grow(e, sp);
    float[] kt = sc.kt;
    float[] vt = sc.vt;
    float[] p = sc.p;
    float[] ds = sc.ds;
    transpose(k, ko, ldk, s, e, kt, sp, sc);
    transpose(v, vo, ldv, s, e, vt, sp, sc);
    int dk = oo + t * e;
    int dv = oo + (t + s) * e;
    int ev = e - e % L;
    for (int i0 = 0; i0 < t; i0 += R) {
      int maxEnd = causal ? Math.min(s, i0 + R) : s;
      int jv = (maxEnd + L - 1) / L * L;
      int q0 = qo + i0 * ldq;
      int q1 = qo + Math.min(i0 + 1, t - 1) * ldq;
      int q2 = qo + Math.min(i0 + 2, t - 1) * ldq;
      int q3 = qo + Math.min(i0 + 3, t - 1) * ldq;
      int g0 = go + i0 * ldg;
      int g1 = go + Math.min(i0 + 1, t - 1) * ldg;
      int g2 = go + Math.min(i0 + 2, t - 1) * ldg;
      int g3 = go + Math.min(i0 + 3, t - 1) * ldg;
      for (int j = 0; j < jv; j += L) {   // the block's scores q·kᵀ and dOut·vᵀ
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        for (int c = 0; c < e; c++) {
          FloatVector kv = FloatVector.fromArray(F, kt, c * sp + j);
          FloatVector vv = FloatVector.fromArray(F, vt, c * sp + j);
          a0 = kv.fma(FloatVector.broadcast(F, q[q0 + c]), a0);
          a1 = kv.fma(FloatVector.broadcast(F, q[q1 + c]), a1);
          a2 = kv.fma(FloatVector.broadcast(F, q[q2 + c]), a2);
          a3 = kv.fma(FloatVector.broadcast(F, q[q3 + c]), a3);
          b0 = vv.fma(FloatVector.broadcast(F, g[g0 + c]), b0);
          b1 = vv.fma(FloatVector.broadcast(F, g[g1 + c]), b1);
          b2 = vv.fma(FloatVector.broadcast(F, g[g2 + c]), b2);
          b3 = vv.fma(FloatVector.broadcast(F, g[g3 + c]), b3);
        }
        a0.mul(scale).intoArray(p, j);
        a1.mul(scale).intoArray(p, sp + j);
        a2.mul(scale).intoArray(p, 2 * sp + j);
        a3.mul(scale).intoArray(p, 3 * sp + j);
        b0.intoArray(ds, j);
        b1.intoArray(ds, sp + j);
        b2.intoArray(ds, 2 * sp + j);
        b3.intoArray(ds, 3 * sp + j);
      }
      for (int r = 0; r < R; r++) {   // weights p = exp(score − lse), and ds = scale·p·(dp − D)
        int i = i0 + r;
        int row = r * sp;
        float lse = i < t ? y[yo + i * ldy + e] : Float.POSITIVE_INFINITY;
        int end = lse == Float.POSITIVE_INFINITY ? 0 : causal ? Math.min(s, i + 1) : s;
        if (end == 0) {
          Arrays.fill(p, row, row + jv, 0);
          Arrays.fill(ds, row, row + jv, 0);
          continue;
        }
        int gi = go + i * ldg;
        int yi = yo + i * ldy;
        float d = -g[gi + e];   // D_i = dOut_i·out_i − dlse_i
        for (int c = 0; c < e; c++) {
          d += g[gi + c] * y[yi + c];
        }
        Arrays.fill(p, row + end, row + jv, Float.NEGATIVE_INFINITY);
        expRow(p, row, jv, lse);
        for (int j = 0; j < jv; j += L) {   // p is 0 past the end, so ds is too
          FloatVector pv = FloatVector.fromArray(F, p, row + j);
          pv.mul(FloatVector.fromArray(F, ds, row + j).sub(d)).mul(scale).intoArray(ds, row + j);
        }
      }
      for (int c = 0; c < ev; c += L) {   // dq_r = Σ_j ds_rj k_j, each row's once
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int j = 0; j < maxEnd; j++) {
          FloatVector kv = FloatVector.fromArray(F, k, ko + j * ldk + c);
          a0 = kv.fma(FloatVector.broadcast(F, ds[j]), a0);
          a1 = kv.fma(FloatVector.broadcast(F, ds[sp + j]), a1);
          a2 = kv.fma(FloatVector.broadcast(F, ds[2 * sp + j]), a2);
          a3 = kv.fma(FloatVector.broadcast(F, ds[3 * sp + j]), a3);
        }
        a0.intoArray(o, oo + i0 * e + c);
        if (i0 + 1 < t) {
          a1.intoArray(o, oo + (i0 + 1) * e + c);
        }
        if (i0 + 2 < t) {
          a2.intoArray(o, oo + (i0 + 2) * e + c);
        }
        if (i0 + 3 < t) {
          a3.intoArray(o, oo + (i0 + 3) * e + c);
        }
      }
      for (int c = 0; c < ev; c += L) {   // dv_j += Σ_r p_rj dOut_r and dk_j += Σ_r ds_rj q_r
        FloatVector gv0 = FloatVector.fromArray(F, g, g0 + c);
        FloatVector gv1 = FloatVector.fromArray(F, g, g1 + c);
        FloatVector gv2 = FloatVector.fromArray(F, g, g2 + c);
        FloatVector gv3 = FloatVector.fromArray(F, g, g3 + c);
        FloatVector qv0 = FloatVector.fromArray(F, q, q0 + c);
        FloatVector qv1 = FloatVector.fromArray(F, q, q1 + c);
        FloatVector qv2 = FloatVector.fromArray(F, q, q2 + c);
        FloatVector qv3 = FloatVector.fromArray(F, q, q3 + c);
        for (int j = 0; j < maxEnd; j++) {
          int at = j * e + c;
          FloatVector a = FloatVector.fromArray(F, o, dv + at);
          a = gv0.fma(FloatVector.broadcast(F, p[j]), a);
          a = gv1.fma(FloatVector.broadcast(F, p[sp + j]), a);
          a = gv2.fma(FloatVector.broadcast(F, p[2 * sp + j]), a);
          a = gv3.fma(FloatVector.broadcast(F, p[3 * sp + j]), a);
          a.intoArray(o, dv + at);
          FloatVector b = FloatVector.fromArray(F, o, dk + at);
          b = qv0.fma(FloatVector.broadcast(F, ds[j]), b);
          b = qv1.fma(FloatVector.broadcast(F, ds[sp + j]), b);
          b = qv2.fma(FloatVector.broadcast(F, ds[2 * sp + j]), b);
          b = qv3.fma(FloatVector.broadcast(F, ds[3 * sp + j]), b);
          b.intoArray(o, dk + at);
        }
      }
      for (int c = ev; c < e; c++) {   // the head dims past the last whole vector
        for (int r = 0; r < R && i0 + r < t; r++) {
          int i = i0 + r;
          float acc = 0;
          for (int j = 0; j < maxEnd; j++) {
            acc += ds[r * sp + j] * k[ko + j * ldk + c];
            o[dv + j * e + c] += p[r * sp + j] * g[go + i * ldg + c];
            o[dk + j * e + c] += ds[r * sp + j] * q[qo + i * ldq + c];
          }
          o[oo + i * e + c] = acc;
        }
      }
    }
  }

  /**
   * Runs both kernels, causal and not, on one block of one vector's width (the smallest slice that takes
   * every vector loop) until C2 compiles them; the scalar tails need no warming.
   */
  public static void warmUp(int rounds) {
    int t = R;
    int e = L;
    float[] x = new float[t * e];
    for (int i = 0; i < x.length; i++) {
      x[i] = ((i * 37) % 101 - 50) * 0.02f;
    }
    float[] y = new float[t * (e + 1)];
    float[] d = new float[(3 * t) * e];
    for (int r = 0; r < rounds; r++) {
      boolean causal = (r & 1) == 0;
      forward(x, 0, e, x, 0, e, x, 0, e, y, 0, t, t, e, 0.25f, causal);
      Arrays.fill(d, 0);
      backward(y, 0, e + 1, x, 0, e, x, 0, e, x, 0, e, y, 0, e + 1, d, 0, t, t, e, 0.25f, causal);
    }
  }
}

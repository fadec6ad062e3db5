package dev.flint.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision elementwise rows and column sums on the incubating Vector API: what JDK 17's
 * auto-vectorizer leaves scalar (rows whose operands start at different offsets, a bias broadcast
 * over rows, {@code signum}'s branches, sums down the rows of a matrix).
 *
 * <p>Load this class only when {@code jdk.incubator.vector} is in the boot layer, and warm it up
 * with {@link VectorMatMul#warmUp()} (which runs these loops too): JDK 17 boxes every vector in
 * interpreted and C1 code.
 */
public final class VectorElementwise {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** {@code a + b}. */
  public static final int ADD = 0;
  /** {@code a - b}. */
  public static final int SUB = 1;
  /** {@code a * b}. */
  public static final int MUL = 2;
  /** {@code a / b}. */
  public static final int DIV = 3;
  /** {@code a * signum(b)}: ReLU's backward from its output b (±0 and NaN kept, as Math.signum). */
  public static final int MUL_SIGN = 4;

  /** {@code max(x, 0)}, NaN kept (Math.max). */
  public static final int RELU = 0;
  /** {@code signum(x)}: 1, -1, or x itself for ±0 and NaN (Math.signum). */
  public static final int SIGN = 1;
  /** {@code -x}. */
  public static final int NEG = 2;
  /** {@code |x|}. */
  public static final int ABS = 3;
  /** {@code x + p}. */
  public static final int ADD_SCALAR = 4;
  /** {@code x * p}. */
  public static final int MUL_SCALAR = 5;

  private VectorElementwise() {}

  /** Whether {@link #binary} knows {@code op}. */
  public static boolean isBinary(int op) {
    return op >= ADD && op <= MUL_SIGN;
  }

  /**
   * {@code o[oi + r*ldo + j] = a[ai + r*lda + j] op b[bi + r*ldb + j]} for {@code rows} rows of
   * {@code n}; a stride of 0 repeats one row (a bias), and {@code n} contiguous elements per row.
   */
  public static void binary(int op, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] o, int oi, int ldo,
      int rows, int n) {
    int nv = n - n % L;
    for (int r = 0; r < rows; r++, ai += lda, bi += ldb, oi += ldo) {
      int j = 0;
      switch (op) {
        case ADD:
          for (; j < nv; j += L) {
            FloatVector.fromArray(S, a, ai + j).add(FloatVector.fromArray(S, b, bi + j)).intoArray(o, oi + j);
          }
          for (; j < n; j++) {
            o[oi + j] = a[ai + j] + b[bi + j];
          }
          break;
        case SUB:
          for (; j < nv; j += L) {
            FloatVector.fromArray(S, a, ai + j).sub(FloatVector.fromArray(S, b, bi + j)).intoArray(o, oi + j);
          }
          for (; j < n; j++) {
            o[oi + j] = a[ai + j] - b[bi + j];
          }
          break;
        case MUL:
          for (; j < nv; j += L) {
            FloatVector.fromArray(S, a, ai + j).mul(FloatVector.fromArray(S, b, bi + j)).intoArray(o, oi + j);
          }
          for (; j < n; j++) {
            o[oi + j] = a[ai + j] * b[bi + j];
          }
          break;
        case DIV:
          for (; j < nv; j += L) {
            FloatVector.fromArray(S, a, ai + j).div(FloatVector.fromArray(S, b, bi + j)).intoArray(o, oi + j);
          }
          for (; j < n; j++) {
            o[oi + j] = a[ai + j] / b[bi + j];
          }
          break;
        case MUL_SIGN:
          for (; j < nv; j += L) {
            FloatVector v = FloatVector.fromArray(S, b, bi + j);
            VectorMask<Float> pos = v.compare(VectorOperators.GT, 0f);
            VectorMask<Float> neg = v.compare(VectorOperators.LT, 0f);
            FloatVector.fromArray(S, a, ai + j).mul(v.blend(1f, pos).blend(-1f, neg)).intoArray(o, oi + j);
          }
          for (; j < n; j++) {
            o[oi + j] = a[ai + j] * Math.signum(b[bi + j]);
          }
          break;
        default:
          throw new IllegalArgumentException("not a binary op: " + op);
      }
    }
  }

  /** {@code o[oi + j] = op(x[xi + j]; p)} for j in [0, n). */
  public static void unary(int op, float[] x, int xi, float[] o, int oi, int n, float p) {
    int nv = n - n % L;
    int j = 0;
    switch (op) {
      case RELU:
        for (; j < nv; j += L) {
          FloatVector.fromArray(S, x, xi + j).max(0f).intoArray(o, oi + j);
        }
        for (; j < n; j++) {
          o[oi + j] = Math.max(x[xi + j], 0f);
        }
        return;
      case SIGN:
        for (; j < nv; j += L) {
          FloatVector v = FloatVector.fromArray(S, x, xi + j);
          VectorMask<Float> pos = v.compare(VectorOperators.GT, 0f);
          VectorMask<Float> neg = v.compare(VectorOperators.LT, 0f);
          v.blend(1f, pos).blend(-1f, neg).intoArray(o, oi + j);
        }
        for (; j < n; j++) {
          o[oi + j] = Math.signum(x[xi + j]);
        }
        return;
      case NEG:
        for (; j < nv; j += L) {
          FloatVector.fromArray(S, x, xi + j).neg().intoArray(o, oi + j);
        }
        for (; j < n; j++) {
          o[oi + j] = -x[xi + j];
        }
        return;
      case ABS:
        for (; j < nv; j += L) {
          FloatVector.fromArray(S, x, xi + j).abs().intoArray(o, oi + j);
        }
        for (; j < n; j++) {
          o[oi + j] = Math.abs(x[xi + j]);
        }
        return;
      case ADD_SCALAR:
        for (; j < nv; j += L) {
          FloatVector.fromArray(S, x, xi + j).add(p).intoArray(o, oi + j);
        }
        for (; j < n; j++) {
          o[oi + j] = x[xi + j] + p;
        }
        return;
      case MUL_SCALAR:
        for (; j < nv; j += L) {
          FloatVector.fromArray(S, x, xi + j).mul(p).intoArray(o, oi + j);
        }
        for (; j < n; j++) {
          o[oi + j] = x[xi + j] * p;
        }
        return;
      default:
        throw new IllegalArgumentException("not a unary op: " + op);
    }
  }

  /**
   * {@code o[oi + j] (+)= Σ_r x[xi + r*ldx + j]} for j in [0, n): the sums down {@code rows} rows (a
   * bias gradient), added in row order in single precision; {@code add} keeps what o held.
   */
  public static void columnSums(float[] x, int xi, int ldx, int rows, float[] o, int oi, int n, boolean add) {
    int j = 0;
    for (; j + 4 * L <= n; j += 4 * L) {
      FloatVector c0 = add ? FloatVector.fromArray(S, o, oi + j) : FloatVector.zero(S);
      FloatVector c1 = add ? FloatVector.fromArray(S, o, oi + j + L) : FloatVector.zero(S);
      FloatVector c2 = add ? FloatVector.fromArray(S, o, oi + j + 2 * L) : FloatVector.zero(S);
      FloatVector c3 = add ? FloatVector.fromArray(S, o, oi + j + 3 * L) : FloatVector.zero(S);
      for (int r = 0, at = xi + j; r < rows; r++, at += ldx) {
        c0 = c0.add(FloatVector.fromArray(S, x, at));
        c1 = c1.add(FloatVector.fromArray(S, x, at + L));
        c2 = c2.add(FloatVector.fromArray(S, x, at + 2 * L));
        c3 = c3.add(FloatVector.fromArray(S, x, at + 3 * L));
      }
      c0.intoArray(o, oi + j);
      c1.intoArray(o, oi + j + L);
      c2.intoArray(o, oi + j + 2 * L);
      c3.intoArray(o, oi + j + 3 * L);
    }
    for (; j + L <= n; j += L) {
      FloatVector c0 = add ? FloatVector.fromArray(S, o, oi + j) : FloatVector.zero(S);
      for (int r = 0, at = xi + j; r < rows; r++, at += ldx) {
        c0 = c0.add(FloatVector.fromArray(S, x, at));
      }
      c0.intoArray(o, oi + j);
    }
    for (; j < n; j++) {
      float acc = add ? o[oi + j] : 0f;
      for (int r = 0, at = xi + j; r < rows; r++, at += ldx) {
        acc += x[at];
      }
      o[oi + j] = acc;
    }
  }
}

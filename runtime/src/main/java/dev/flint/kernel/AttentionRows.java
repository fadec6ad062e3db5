package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorAttention;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The fused attention rows ({@code Op.ATTENTION} and its backward): {@code out_i = Σ_j softmax_j(scale·q_i·k_j) v_j}
 * over every (batch, head) slice, with the causal form ({@code j <= i}) never touching the keys past the
 * diagonal. A query row keeps only its scores ({@code S} values, in per-thread scratch) while it is worked on;
 * the result packs each output row with the log-sum-exp of its scores, and the backward recomputes the
 * weights from it ({@code p_ij = exp(scale·q_i·k_j − lse_i)}), FlashAttention's way (Note [Fused attention]
 * in {@link Attention}): nothing of size {@code T·S} is ever stored.
 *
 * <p>Operands may be strided views (the heads of a projection split by a permute, as in a GPT): each slice's
 * rows are read in place where their last dim is contiguous. FLOAT64 runs the loops here in double; FLOAT32
 * runs {@code VectorAttention} on the Vector API tier, or this class's float copy of the loops without it.
 * The backward's gradient of the log-sum-exp column is honoured ({@code ∂lse_i/∂s_ij = p_ij}), so the row
 * is exact for any gradient of its packed result.
 */
final class AttentionRows {
  private AttentionRows() {}

  // Scratch per thread, grown on demand (a warm compiled step allocates nothing here).
  private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[1][0]);
  private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[1][0]);

  private static double[] doubles(int n) {
    double[][] holder = DOUBLES.get();
    if (holder[0].length < n) {
      holder[0] = new double[n];
    }
    return holder[0];
  }

  private static float[] floats(int n) {
    float[][] holder = FLOATS.get();
    if (holder[0].length < n) {
      holder[0] = new float[n];
    }
    return holder[0];
  }

  /** A tensor whose last dim is contiguous: itself, else a contiguous copy. */
  private static Tensor rowsContiguous(Tensor x) {
    int[] st = Internals.stridesRef(x);
    return st[st.length - 1] == 1 || x.numel() == 0 ? x : x.contiguous();
  }

  /** The storage offset of slice {@code b} (batch dims flattened, row-major) of {@code x}. */
  private static int sliceOffset(Tensor x, int b) {
    int[] shape = Internals.shapeRef(x);
    int[] st = Internals.stridesRef(x);
    int off = x.offset();
    for (int d = shape.length - 3; d >= 0; d--) {
      off += (b % shape[d]) * st[d];
      b /= shape[d];
    }
    return off;
  }

  private static int rowStride(Tensor x) {
    int[] st = Internals.stridesRef(x);
    return st[st.length - 2];
  }

  private static Tensor prepare(Tensor out, DType dtype, int[] shape, String op) {
    return Elementwise.prepare(out, dtype, shape, op);
  }

  /** q, k, v (and g, y in the backward; null in the forward) of one floating dtype; no varargs array per call. */
  private static void checkDtypes(String op, Tensor q, Tensor k, Tensor v, Tensor g, Tensor y) {
    DType t = q.dtype();
    boolean ok = t.isFloatingPoint() && k.dtype() == t && v.dtype() == t
        && (g == null || g.dtype() == t && y.dtype() == t);
    if (!ok) {
      reportDtypes(op, g == null ? new Tensor[] {q, k, v} : new Tensor[] {g, q, k, v, y});
    }
  }

  private static void reportDtypes(String op, Tensor... xs) {
    DType t = xs[0].dtype();
    for (Tensor x : xs) {
      if (x.dtype() != t || !t.isFloatingPoint()) {
        StringBuilder sb = new StringBuilder();
        for (Tensor y : xs) {
          sb.append(sb.length() == 0 ? "" : ", ").append(y.dtype());
        }
        throw new IllegalArgumentException(op + ": expected operands of one floating dtype, but got " + sb);
      }
    }
  }

  /** Whether q, k, v fit the shape rule ({@code AttentionShapes}): the check without building its argument list. */
  private static boolean operandsFit(int[] q, int[] k, int[] v) {
    int r = q.length;
    boolean ok = r >= 2 && k.length == r && v.length == r;
    for (int d = 0; ok && d < r - 2; d++) {
      ok = k[d] == q[d] && v[d] == q[d];
    }
    return ok && k[r - 1] == q[r - 1] && v[r - 1] == q[r - 1] && v[r - 2] == k[r - 2];
  }

  /** Whether {@code x} is {@code [..., T, E + 1]} for q {@code [..., T, E]}: ATTENTION's packed result. */
  private static boolean isPacked(int[] x, int[] q) {
    int r = q.length;
    if (x.length != r || x[r - 1] != q[r - 1] + 1) {
      return false;
    }
    for (int d = 0; d < r - 1; d++) {
      if (x[d] != q[d]) {
        return false;
      }
    }
    return true;
  }

  /** Refuses an {@code out} that is not q's leading dims followed by {@code [rows, cols]}. */
  private static void checkOut(String op, Tensor out, int[] q, int rows, int cols) {
    int[] os = Internals.shapeRef(out);
    int r = q.length;
    boolean ok = os.length == r && os[r - 2] == rows && os[r - 1] == cols;
    for (int d = 0; ok && d < r - 2; d++) {
      ok = os[d] == q[d];
    }
    if (!ok) {
      int[] expected = q.clone();
      expected[r - 2] = rows;
      expected[r - 1] = cols;
      throw new IllegalArgumentException(op + ": expected out of shape " + Arrays.toString(expected) + ", but got "
          + Arrays.toString(os));
    }
  }

  /** {@code Op.ATTENTION}: q {@code [..., T, E]}, k and v {@code [..., S, E]} give {@code [..., T, E + 1]}. */
  static Tensor forward(Tensor q, Tensor k, Tensor v, double scale, boolean causal, Tensor out) {
    checkDtypes("attention", q, k, v, null, null);
    int[] qs = Internals.shapeRef(q);
    int rank = qs.length;
    int[] shape;
    if (out != null && operandsFit(qs, Internals.shapeRef(k), Internals.shapeRef(v))) {
      // the planned buffer's shape, once checked, so that a warm compiled step builds no shape list
      checkOut("attention", out, qs, qs[rank - 2], qs[rank - 1] + 1);
      shape = Internals.shapeRef(out);
    } else {   // the shape rule, which also says what is wrong with mismatched operands
      shape = dev.flint.ops.Op.ATTENTION.inferShape(java.util.List.of(qs, Internals.shapeRef(k), Internals.shapeRef(v)),
          dev.flint.ops.Attrs.NONE);
    }
    Tensor o = prepare(out, q.dtype(), shape, "attention");
    Tensor qc = rowsContiguous(q);
    Tensor kc = rowsContiguous(k);
    Tensor vc = rowsContiguous(v);
    int t = qs[rank - 2];
    int e = qs[rank - 1];
    int s = Internals.shapeRef(k)[rank - 2];
    int n = t == 0 ? 0 : o.numel() / (t * (e + 1));
    long work = 2L * n * t * s * e / (causal ? 2 : 1);
    if (n == 0) {
      return o;
    }
    if (Parallel.runsInline(n, work)) {   // no capturing lambda on this thread's hot path
      forwardSlices(qc, kc, vc, o, 0, n, t, s, e, scale, causal);
    } else {
      Parallel.forRange(n, work, (from, to) -> forwardSlices(qc, kc, vc, o, from, to, t, s, e, scale, causal));
    }
    return o;
  }

  /** Slices {@code [from, to)} of {@link #forward}. */
  private static void forwardSlices(Tensor qc, Tensor kc, Tensor vc, Tensor o, int from, int to, int t, int s, int e,
      double scale, boolean causal) {
    if (qc.dtype() == DType.FLOAT32) {
      float[] qd = qc.storage().floats();
      float[] kd = kc.storage().floats();
      float[] vd = vc.storage().floats();
      float[] od = o.storage().floats();
      boolean vector = VectorTier.active();
      for (int b = from; b < to; b++) {
        int qo = sliceOffset(qc, b);
        int ko = sliceOffset(kc, b);
        int vo = sliceOffset(vc, b);
        int oo = o.offset() + b * t * (e + 1);
        if (vector) {
          VectorAttention.forward(qd, qo, rowStride(qc), kd, ko, rowStride(kc), vd, vo, rowStride(vc), od, oo, t, s, e,
              (float) scale, causal);
        } else {
          forwardSliceF32(qd, qo, rowStride(qc), kd, ko, rowStride(kc), vd, vo, rowStride(vc), od, oo, t, s, e,
              (float) scale, causal, floats(s));
        }
      }
      return;
    }
    double[] qd = qc.storage().doubles();
    double[] kd = kc.storage().doubles();
    double[] vd = vc.storage().doubles();
    double[] od = o.storage().doubles();
    for (int b = from; b < to; b++) {
      forwardSliceF64(qd, sliceOffset(qc, b), rowStride(qc), kd, sliceOffset(kc, b), rowStride(kc), vd,
          sliceOffset(vc, b), rowStride(vc), od, o.offset() + b * t * (e + 1), t, s, e, scale, causal, doubles(s));
    }
  }

  /**
   * {@code Op.ATTENTION_BACKWARD}: from the gradient of the packed result {@code g}, the operands and the
   * packed result {@code y}, {@code [..., T + 2S, E]} with dq, dk and dv stacked along the rows.
   */
  static Tensor backward(Tensor g, Tensor q, Tensor k, Tensor v, Tensor y, double scale, boolean causal, Tensor out) {
    checkDtypes("attentionBackward", q, k, v, g, y);
    int[] qs = Internals.shapeRef(q);
    int rank = qs.length;
    int[] ks = Internals.shapeRef(k);
    int[] shape;
    if (out != null && operandsFit(qs, ks, Internals.shapeRef(v)) && isPacked(Internals.shapeRef(g), qs)
        && isPacked(Internals.shapeRef(y), qs)) {
      checkOut("attentionBackward", out, qs, qs[rank - 2] + 2 * ks[rank - 2], qs[rank - 1]);
      shape = Internals.shapeRef(out);
    } else {
      shape = dev.flint.ops.Op.ATTENTION_BACKWARD.inferShape(java.util.List.of(Internals.shapeRef(g), qs, ks,
          Internals.shapeRef(v), Internals.shapeRef(y)), dev.flint.ops.Attrs.NONE);
    }
    Tensor o = prepare(out, q.dtype(), shape, "attentionBackward");
    Tensor gc = rowsContiguous(g);
    Tensor qc = rowsContiguous(q);
    Tensor kc = rowsContiguous(k);
    Tensor vc = rowsContiguous(v);
    Tensor yc = rowsContiguous(y);
    int t = qs[rank - 2];
    int e = qs[rank - 1];
    int s = Internals.shapeRef(k)[rank - 2];
    int rows = t + 2 * s;
    int n = rows == 0 || e == 0 ? 0 : o.numel() / (rows * e);
    long work = 5L * n * t * s * e / (causal ? 2 : 1);
    if (n == 0) {
      return o;
    }
    if (Parallel.runsInline(n, work)) {
      backwardSlices(gc, qc, kc, vc, yc, o, 0, n, t, s, e, scale, causal);
    } else {
      Parallel.forRange(n, work, (from, to) -> backwardSlices(gc, qc, kc, vc, yc, o, from, to, t, s, e, scale, causal));
    }
    return o;
  }

  /** Slices {@code [from, to)} of {@link #backward}: each owns its rows of the result, zeroed here. */
  private static void backwardSlices(Tensor gc, Tensor qc, Tensor kc, Tensor vc, Tensor yc, Tensor o, int from, int to,
      int t, int s, int e, double scale, boolean causal) {
    int rows = t + 2 * s;
    if (qc.dtype() == DType.FLOAT32) {
      float[] gd = gc.storage().floats();
      float[] qd = qc.storage().floats();
      float[] kd = kc.storage().floats();
      float[] vd = vc.storage().floats();
      float[] yd = yc.storage().floats();
      float[] od = o.storage().floats();
      boolean vector = VectorTier.active();
      for (int b = from; b < to; b++) {
        int oo = o.offset() + b * rows * e;
        Arrays.fill(od, oo, oo + rows * e, 0);
        if (vector) {
          VectorAttention.backward(gd, sliceOffset(gc, b), rowStride(gc), qd, sliceOffset(qc, b), rowStride(qc), kd,
              sliceOffset(kc, b), rowStride(kc), vd, sliceOffset(vc, b), rowStride(vc), yd, sliceOffset(yc, b),
              rowStride(yc), od, oo, t, s, e, (float) scale, causal);
        } else {
          backwardSliceF32(gd, sliceOffset(gc, b), rowStride(gc), qd, sliceOffset(qc, b), rowStride(qc), kd,
              sliceOffset(kc, b), rowStride(kc), vd, sliceOffset(vc, b), rowStride(vc), yd, sliceOffset(yc, b),
              rowStride(yc), od, oo, t, s, e, (float) scale, causal);
        }
      }
      return;
    }
    double[] gd = gc.storage().doubles();
    double[] qd = qc.storage().doubles();
    double[] kd = kc.storage().doubles();
    double[] vd = vc.storage().doubles();
    double[] yd = yc.storage().doubles();
    double[] od = o.storage().doubles();
    for (int b = from; b < to; b++) {
      int oo = o.offset() + b * rows * e;
      Arrays.fill(od, oo, oo + rows * e, 0);
      backwardSliceF64(gd, sliceOffset(gc, b), rowStride(gc), qd, sliceOffset(qc, b), rowStride(qc), kd,
          sliceOffset(kc, b), rowStride(kc), vd, sliceOffset(vc, b), rowStride(vc), yd, sliceOffset(yc, b),
          rowStride(yc), od, oo, t, s, e, scale, causal);
    }
  }

  // twin-float: attentionSlices (FLOAT32 copy of twin-source attentionSlices, written by FloatTwinsTest: edit the source)
  /**
   * One slice's forward: rows of q, k and v at offsets {@code qo, ko, vo} with row strides {@code ldq, ldk, ldv};
   * the packed result rows {@code [t, e + 1]} at {@code oo} (contiguous). {@code row}: at least {@code s} scratch.
   */
  static void forwardSliceF32(float[] q, int qo, int ldq, float[] k, int ko, int ldk, float[] v, int vo, int ldv,
      float[] o, int oo, int t, int s, int e, float scale, boolean causal, float[] row) {
    for (int i = 0; i < t; i++) {
      int end = causal ? Math.min(s, i + 1) : s;
      int qi = qo + i * ldq;
      int oi = oo + i * (e + 1);
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < end; j++) {
        int kj = ko + j * ldk;
        float dot = 0;
        for (int c = 0; c < e; c++) {
          dot += q[qi + c] * k[kj + c];
        }
        row[j] = scale * dot;
        max = Math.max(max, row[j]);
      }
      Arrays.fill(o, oi, oi + e, 0);
      if (end == 0) {
        o[oi + e] = Float.POSITIVE_INFINITY;   // no key: a zero output, and no gradient flows
        continue;
      }
      float sum = 0;
      for (int j = 0; j < end; j++) {
        float p = (float) Math.exp(row[j] - max);
        sum += p;
        int vj = vo + j * ldv;
        for (int c = 0; c < e; c++) {
          o[oi + c] += p * v[vj + c];
        }
      }
      for (int c = 0; c < e; c++) {
        o[oi + c] /= sum;
      }
      o[oi + e] = max + (float) Math.log(sum);
    }
  }

  /**
   * One slice's backward: g and y packed rows ({@code [t, e + 1]}) at {@code go, yo} with row strides
   * {@code ldg, ldy}; dq, dk, dv accumulated into the zeroed contiguous rows {@code [t + 2s, e]} at {@code oo}.
   */
  static void backwardSliceF32(float[] g, int go, int ldg, float[] q, int qo, int ldq, float[] k, int ko, int ldk,
      float[] v, int vo, int ldv, float[] y, int yo, int ldy, float[] o, int oo, int t, int s, int e, float scale,
      boolean causal) {
    int dk = oo + t * e;
    int dv = oo + (t + s) * e;
    for (int i = 0; i < t; i++) {
      int end = causal ? Math.min(s, i + 1) : s;
      int qi = qo + i * ldq;
      int gi = go + i * ldg;
      int yi = yo + i * ldy;
      float lse = y[yi + e];
      if (end == 0 || lse == Float.POSITIVE_INFINITY) {
        continue;
      }
      float d = -g[gi + e];   // D_i = dOut_i·out_i − dlse_i
      for (int c = 0; c < e; c++) {
        d += g[gi + c] * y[yi + c];
      }
      for (int j = 0; j < end; j++) {
        int kj = ko + j * ldk;
        int vj = vo + j * ldv;
        float dot = 0;
        float dp = 0;
        for (int c = 0; c < e; c++) {
          dot += q[qi + c] * k[kj + c];
          dp += g[gi + c] * v[vj + c];
        }
        float p = (float) Math.exp(scale * dot - lse);
        float ds = scale * p * (dp - d);
        for (int c = 0; c < e; c++) {
          o[dv + j * e + c] += p * g[gi + c];
          o[oo + i * e + c] += ds * k[kj + c];
          o[dk + j * e + c] += ds * q[qi + c];
        }
      }
    }
  }
  // twin-end: attentionSlices

  // twin-source: attentionSlices
  /**
   * One slice's forward: rows of q, k and v at offsets {@code qo, ko, vo} with row strides {@code ldq, ldk, ldv};
   * the packed result rows {@code [t, e + 1]} at {@code oo} (contiguous). {@code row}: at least {@code s} scratch.
   */
  static void forwardSliceF64(double[] q, int qo, int ldq, double[] k, int ko, int ldk, double[] v, int vo, int ldv,
      double[] o, int oo, int t, int s, int e, double scale, boolean causal, double[] row) {
    for (int i = 0; i < t; i++) {
      int end = causal ? Math.min(s, i + 1) : s;
      int qi = qo + i * ldq;
      int oi = oo + i * (e + 1);
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < end; j++) {
        int kj = ko + j * ldk;
        double dot = 0;
        for (int c = 0; c < e; c++) {
          dot += q[qi + c] * k[kj + c];
        }
        row[j] = scale * dot;
        max = Math.max(max, row[j]);
      }
      Arrays.fill(o, oi, oi + e, 0);
      if (end == 0) {
        o[oi + e] = Double.POSITIVE_INFINITY;   // no key: a zero output, and no gradient flows
        continue;
      }
      double sum = 0;
      for (int j = 0; j < end; j++) {
        double p = (double) Math.exp(row[j] - max);
        sum += p;
        int vj = vo + j * ldv;
        for (int c = 0; c < e; c++) {
          o[oi + c] += p * v[vj + c];
        }
      }
      for (int c = 0; c < e; c++) {
        o[oi + c] /= sum;
      }
      o[oi + e] = max + (double) Math.log(sum);
    }
  }

  /**
   * One slice's backward: g and y packed rows ({@code [t, e + 1]}) at {@code go, yo} with row strides
   * {@code ldg, ldy}; dq, dk, dv accumulated into the zeroed contiguous rows {@code [t + 2s, e]} at {@code oo}.
   */
  static void backwardSliceF64(double[] g, int go, int ldg, double[] q, int qo, int ldq, double[] k, int ko, int ldk,
      double[] v, int vo, int ldv, double[] y, int yo, int ldy, double[] o, int oo, int t, int s, int e, double scale,
      boolean causal) {
    int dk = oo + t * e;
    int dv = oo + (t + s) * e;
    for (int i = 0; i < t; i++) {
      int end = causal ? Math.min(s, i + 1) : s;
      int qi = qo + i * ldq;
      int gi = go + i * ldg;
      int yi = yo + i * ldy;
      double lse = y[yi + e];
      if (end == 0 || lse == Double.POSITIVE_INFINITY) {
        continue;
      }
      double d = -g[gi + e];   // D_i = dOut_i·out_i − dlse_i
      for (int c = 0; c < e; c++) {
        d += g[gi + c] * y[yi + c];
      }
      for (int j = 0; j < end; j++) {
        int kj = ko + j * ldk;
        int vj = vo + j * ldv;
        double dot = 0;
        double dp = 0;
        for (int c = 0; c < e; c++) {
          dot += q[qi + c] * k[kj + c];
          dp += g[gi + c] * v[vj + c];
        }
        double p = (double) Math.exp(scale * dot - lse);
        double ds = scale * p * (dp - d);
        for (int c = 0; c < e; c++) {
          o[dv + j * e + c] += p * g[gi + c];
          o[oo + i * e + c] += ds * k[kj + c];
          o[dk + j * e + c] += ds * q[qi + c];
        }
      }
    }
  }
  // twin-end: attentionSlices
}

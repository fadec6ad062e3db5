package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.VectorActivations;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * {@link Recurrence}'s step loops for FLOAT32 operands, in float as PyTorch computes them: the operands'
 * own arrays are read in place (no cast to double and back), the per-step products with {@code W_hh} run
 * on the FLOAT32 GEMM (the Vector API tier when present), the gates use {@link FastMath}'s float
 * sigmoid and tanh, and the step state lives in per-thread scratch (a warm compiled step allocates
 * nothing that grows with the batch). Results go into the planned buffer when one is given. Same slots
 * and formulas as {@link Recurrence}; its double loops stay for FLOAT64. On the Vector API tier the
 * gates of whole rows run in {@code VectorActivations} (the same operations on lanes, equal bit for bit
 * to the scalar loops here, which finish each row's tail and run without the tier).
 */
final class RecurrenceF32 {
  private RecurrenceF32() {}

  /** A contiguous {@code [rows, cols]} FLOAT32 view of {@code a} from {@code offset}, made once per call. */
  private static Tensor mat(float[] a, int offset, int rows, int cols) {
    return Internals.view(Storage.of(a), offset, new int[] {rows, cols}, new int[] {cols, 1});
  }

  /** {@code t} as a contiguous FLOAT32 tensor: itself when it already is one (read at its offset). */
  private static Tensor dense(Tensor t) {
    Tensor c = t.dtype() == DType.FLOAT32 ? t : Kernels.cast(t, DType.FLOAT32);
    return c.isContiguous() ? c : c.contiguous();
  }

  // Scratch arrays per thread, one per role, grown on demand; contents are garbage on entry.
  private static final int H = 0;
  private static final int C = 1;
  private static final int REC = 2;
  private static final int DH = 3;
  private static final int DC = 4;
  private static final int BACK = 5;
  private static final int BIAS = 6;
  private static final int GATES = 7;
  private static final int PRE = 8;
  private static final int ACT = 9;
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[10][]);

  private static float[] scratch(int role, int n) {
    float[][] all = SCRATCH.get();
    if (all[role] == null || all[role].length < n) {
      all[role] = new float[Math.max(n, 16)];
    }
    return all[role];
  }

  private static float[] zeros(int role, int n) {
    float[] a = scratch(role, n);
    Arrays.fill(a, 0, n, 0f);
    return a;
  }

  /** The contiguous FLOAT32 values of {@code t} copied into scratch {@code role} (the kernels update states in place). */
  private static float[] copy(Tensor t, int role) {
    Tensor c = dense(t);
    float[] out = scratch(role, c.numel());
    System.arraycopy(c.storage().floats(), c.offset(), out, 0, c.numel());
    return out;
  }

  /** Where a result of {@code shape} is written: {@code out} when it is a contiguous FLOAT32 buffer, else a new tensor. */
  private static Tensor target(Tensor out, int... shape) {
    return out != null && out.dtype() == DType.FLOAT32 && out.isContiguous() ? out : Tensor.empty(DType.FLOAT32, shape);
  }

  /** {@code t}, copied into {@code out} when a buffer of another kind was asked for. */
  private static Tensor deliver(Tensor t, Tensor out) {
    if (out == null || out == t) {
      return t;
    }
    Kernels.copy(Kernels.cast(t, out.dtype()), out);
    return out;
  }

  /**
   * {@code out[oi + j] = sigmoid(x[xi + j] + y[yi + j] + bias[bi + j])} (or tanh; {@code y} and {@code bias}
   * may be null) for j in [0, n), float sums; on the Vector API tier when {@code vector}.
   */
  private static void activate(float[] x, int xi, float[] y, int yi, float[] bias, int bi, float[] out, int oi, int n,
      boolean tanh, boolean vector) {
    if (vector) {
      VectorActivations.activate(x, xi, y, yi, bias, bi, out, oi, n, tanh);
      return;
    }
    for (int j = 0; j < n; j++) {
      float z = y == null ? x[xi + j] : x[xi + j] + y[yi + j];
      if (bias != null) {
        z += bias[bi + j];
      }
      out[oi + j] = tanh ? FastMath.tanh(z) : FastMath.sigmoid(z);
    }
  }

  static Tensor lstmScan(Tensor gx, Tensor whh, Tensor h0, Tensor c0, Tensor result) {
    int batch = gx.size(0);
    int steps = gx.size(1);
    int hidden = whh.size(1);
    Tensor gxc = dense(gx);
    float[] x = gxc.storage().floats();
    int x0 = gxc.offset();
    Tensor w = dense(whh);
    float[] hPrev = copy(h0, H);
    float[] cPrev = copy(c0, C);
    Tensor dst = target(result, batch, steps, Recurrence.LSTM_SLOTS, hidden);
    float[] y = dst.storage().floats();
    int y0 = dst.offset();
    int g4 = 4 * hidden;
    float[] rec = scratch(REC, batch * g4);
    Tensor hView = mat(hPrev, 0, batch, hidden);
    Tensor recView = mat(rec, 0, batch, g4);
    float[] gate = scratch(GATES, g4);
    float[] pre = scratch(PRE, hidden);
    float[] act = scratch(ACT, hidden);
    boolean vector = VectorTier.active();
    for (int t = 0; t < steps; t++) {
      Kernels.matmulNT(hView, w, recView);
      for (int b = 0; b < batch; b++) {
        int a = x0 + (b * steps + t) * g4;
        int r = b * g4;
        int o = y0 + (b * steps + t) * Recurrence.LSTM_SLOTS * hidden;
        int s = b * hidden;
        for (int k = 0; k < 4; k++) {   // i, f, g, o
          activate(x, a + k * hidden, rec, r + k * hidden, null, 0, gate, k * hidden, hidden, k == 2, vector);
        }
        for (int j = 0; j < hidden; j++) {
          pre[j] = gate[hidden + j] * cPrev[s + j] + gate[j] * gate[2 * hidden + j];
        }
        activate(pre, 0, null, 0, null, 0, act, 0, hidden, true, vector);   // tanh(c)
        for (int j = 0; j < hidden; j++) {
          float i = gate[j];
          float f = gate[hidden + j];
          float g = gate[2 * hidden + j];
          float out = gate[3 * hidden + j];
          float cp = cPrev[s + j];
          float c = f * cp + i * g;
          float h = out * act[j];
          y[o + j] = hPrev[s + j];
          y[o + hidden + j] = cp;
          y[o + 2 * hidden + j] = h;
          y[o + 3 * hidden + j] = c;
          y[o + 4 * hidden + j] = i;
          y[o + 5 * hidden + j] = f;
          y[o + 6 * hidden + j] = g;
          y[o + 7 * hidden + j] = out;
          hPrev[s + j] = h;
          cPrev[s + j] = c;
        }
      }
    }
    return deliver(dst, result);
  }

  static Tensor lstmScanBackward(Tensor grad, Tensor y, Tensor whh, Tensor result) {
    int batch = y.size(0);
    int steps = y.size(1);
    int hidden = y.size(3);
    Tensor gyc = dense(grad);
    float[] gy = gyc.storage().floats();
    int gy0 = gyc.offset();
    Tensor vc = dense(y);
    float[] v = vc.storage().floats();
    int v0 = vc.offset();
    Tensor w = dense(whh);
    int g4 = 4 * hidden;
    Tensor dst = target(result, batch, steps, Recurrence.LSTM_GRAD_SLOTS, hidden);
    float[] d = dst.storage().floats();
    int d0 = dst.offset();
    float[] dh = zeros(DH, batch * hidden);   // reaching h_t from step t + 1
    float[] dc = zeros(DC, batch * hidden);
    float[] da = scratch(REC, batch * g4);
    float[] back = scratch(BACK, batch * hidden);
    Tensor daView = mat(da, 0, batch, g4);
    Tensor backView = mat(back, 0, batch, hidden);
    float[] act = scratch(ACT, hidden);
    boolean vector = VectorTier.active();
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int slot = (b * steps + t) * Recurrence.LSTM_SLOTS * hidden;
        int o = v0 + slot;
        int go = gy0 + slot;
        int q = b * g4;
        int s = b * hidden;
        activate(v, o + 3 * hidden, null, 0, null, 0, act, 0, hidden, true, vector);   // tanh(c_t)
        for (int j = 0; j < hidden; j++) {
          float cp = v[o + hidden + j];
          float i = v[o + 4 * hidden + j];
          float f = v[o + 5 * hidden + j];
          float g = v[o + 6 * hidden + j];
          float out = v[o + 7 * hidden + j];
          float tc = act[j];
          float hTotal = gy[go + 2 * hidden + j] + dh[s + j];
          float cTotal = gy[go + 3 * hidden + j] + dc[s + j] + hTotal * out * (1 - tc * tc);
          da[q + j] = (cTotal * g + gy[go + 4 * hidden + j]) * i * (1 - i);
          da[q + hidden + j] = (cTotal * cp + gy[go + 5 * hidden + j]) * f * (1 - f);
          da[q + 2 * hidden + j] = (cTotal * i + gy[go + 6 * hidden + j]) * (1 - g * g);
          da[q + 3 * hidden + j] = (hTotal * tc + gy[go + 7 * hidden + j]) * out * (1 - out);
          dc[s + j] = cTotal * f + gy[go + hidden + j];
        }
      }
      Kernels.matmul(daView, w, backView);
      for (int b = 0; b < batch; b++) {
        int go = gy0 + (b * steps + t) * Recurrence.LSTM_SLOTS * hidden;
        int e = d0 + (b * steps + t) * Recurrence.LSTM_GRAD_SLOTS * hidden;
        System.arraycopy(da, b * g4, d, e, g4);
        for (int j = 0; j < hidden; j++) {
          int s = b * hidden + j;
          dh[s] = back[s] + gy[go + j];
          d[e + g4 + j] = dh[s];
          d[e + g4 + hidden + j] = dc[s];
        }
      }
    }
    return deliver(dst, result);
  }

  static Tensor gruScan(Tensor gx, Tensor whh, Tensor bhh, Tensor h0, Tensor result) {
    int batch = gx.size(0);
    int steps = gx.size(1);
    int hidden = whh.size(1);
    Tensor gxc = dense(gx);
    float[] x = gxc.storage().floats();
    int x0 = gxc.offset();
    Tensor w = dense(whh);
    float[] bias = copy(bhh, BIAS);
    float[] hPrev = copy(h0, H);
    Tensor dst = target(result, batch, steps, Recurrence.GRU_SLOTS, hidden);
    float[] y = dst.storage().floats();
    int y0 = dst.offset();
    int g3 = 3 * hidden;
    float[] rec = scratch(REC, batch * g3);
    Tensor hView = mat(hPrev, 0, batch, hidden);
    Tensor recView = mat(rec, 0, batch, g3);
    float[] gate = scratch(GATES, 2 * hidden);
    float[] pre = scratch(PRE, hidden);
    float[] act = scratch(ACT, hidden);
    boolean vector = VectorTier.active();
    for (int t = 0; t < steps; t++) {
      Kernels.matmulNT(hView, w, recView);
      for (int b = 0; b < batch; b++) {
        int a = x0 + (b * steps + t) * g3;
        int r0 = b * g3;
        int o = y0 + (b * steps + t) * Recurrence.GRU_SLOTS * hidden;
        int s = b * hidden;
        activate(x, a, rec, r0, bias, 0, gate, 0, 2 * hidden, false, vector);   // r, z
        for (int j = 0; j < hidden; j++) {
          pre[j] = x[a + 2 * hidden + j] + gate[j] * (rec[r0 + 2 * hidden + j] + bias[2 * hidden + j]);
        }
        activate(pre, 0, null, 0, null, 0, act, 0, hidden, true, vector);   // n
        for (int j = 0; j < hidden; j++) {
          float r = gate[j];
          float z = gate[hidden + j];
          float hn = rec[r0 + 2 * hidden + j] + bias[2 * hidden + j];
          float n = act[j];
          float hp = hPrev[s + j];
          float h = (1 - z) * n + z * hp;
          y[o + j] = hp;
          y[o + hidden + j] = h;
          y[o + 2 * hidden + j] = r;
          y[o + 3 * hidden + j] = z;
          y[o + 4 * hidden + j] = n;
          y[o + 5 * hidden + j] = hn;
          hPrev[s + j] = h;
        }
      }
    }
    return deliver(dst, result);
  }

  static Tensor gruScanBackward(Tensor grad, Tensor y, Tensor whh, Tensor result) {
    int batch = y.size(0);
    int steps = y.size(1);
    int hidden = y.size(3);
    Tensor gyc = dense(grad);
    float[] gy = gyc.storage().floats();
    int gy0 = gyc.offset();
    Tensor vc = dense(y);
    float[] v = vc.storage().floats();
    int v0 = vc.offset();
    Tensor w = dense(whh);
    int g3 = 3 * hidden;
    Tensor dst = target(result, batch, steps, Recurrence.GRU_GRAD_SLOTS, hidden);
    float[] d = dst.storage().floats();
    int d0 = dst.offset();
    float[] dh = zeros(DH, batch * hidden);
    float[] direct = scratch(DC, batch * hidden);
    float[] dRec = scratch(REC, batch * g3);
    float[] back = scratch(BACK, batch * hidden);
    Tensor dRecView = mat(dRec, 0, batch, g3);
    Tensor backView = mat(back, 0, batch, hidden);
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int slot = (b * steps + t) * Recurrence.GRU_SLOTS * hidden;
        int o = v0 + slot;
        int go = gy0 + slot;
        int e = d0 + (b * steps + t) * Recurrence.GRU_GRAD_SLOTS * hidden;
        int q = b * g3;
        int s = b * hidden;
        for (int j = 0; j < hidden; j++) {
          float hp = v[o + j];
          float r = v[o + 2 * hidden + j];
          float z = v[o + 3 * hidden + j];
          float n = v[o + 4 * hidden + j];
          float hn = v[o + 5 * hidden + j];
          float hTotal = gy[go + hidden + j] + dh[s + j];
          float dn = (hTotal * (1 - z) + gy[go + 4 * hidden + j]) * (1 - n * n);
          float dz = (hTotal * (hp - n) + gy[go + 3 * hidden + j]) * z * (1 - z);
          float dr = (dn * hn + gy[go + 2 * hidden + j]) * r * (1 - r);
          float dhn = dn * r + gy[go + 5 * hidden + j];
          d[e + j] = dr;
          d[e + hidden + j] = dz;
          d[e + 2 * hidden + j] = dn;
          d[e + 3 * hidden + j] = dhn;
          dRec[q + j] = dr;
          dRec[q + hidden + j] = dz;
          dRec[q + 2 * hidden + j] = dhn;
          direct[s + j] = hTotal * z + gy[go + j];
        }
      }
      Kernels.matmul(dRecView, w, backView);
      for (int b = 0; b < batch; b++) {
        int e = d0 + (b * steps + t) * Recurrence.GRU_GRAD_SLOTS * hidden;
        for (int j = 0; j < hidden; j++) {
          int s = b * hidden + j;
          dh[s] = back[s] + direct[s];
          d[e + 4 * hidden + j] = dh[s];
        }
      }
    }
    return deliver(dst, result);
  }
}

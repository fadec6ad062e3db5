package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;

/**
 * The step loops of LSTM and GRU layers and their backward through time (the op rows {@code LSTM_SCAN},
 * {@code GRU_SCAN} and their {@code _BACKWARD}s). The input projections of all steps
 * ({@code gx = x·W_ihᵀ + b}) are one matrix product made before; per step there is one product with
 * {@code W_hh} and the gate arithmetic, fused. FLOAT32 scans run wholly in float ({@link RecurrenceF32}:
 * operands read in place, no conversions); the loops here serve FLOAT64 and mixed dtypes, in double precision. PyTorch's gate
 * orders: LSTM {@code i, f, g, o}; GRU {@code r, z, n} with {@code n = tanh(gx_n + r·(W_hn·h + b_hn))}.
 *
 * <p>A scan's result packs, per batch row and step, every value its backward reads, in slots of
 * {@code H}: LSTM {@code [B, T, 8, H]} = (h_{t−1}, c_{t−1}, h_t, c_t, i, f, g, o); GRU {@code [B, T, 6, H]} =
 * (h_{t−1}, h_t, r, z, n, W_hn·h_{t−1} + b_hn). Layers read h_t (and c_t) from it; the previous states
 * let the weight gradient be one product over all steps. Every slot is an output: the backward takes a
 * gradient for each and is exact for any of them.
 */
public final class Recurrence {
  /** Slots of an LSTM scan's result. */
  public static final int LSTM_SLOTS = 8;
  /** Slots of an LSTM scan's backward: the four gates' pre-activation gradients, then those reaching h_{t−1} and c_{t−1}. */
  public static final int LSTM_GRAD_SLOTS = 6;
  /** Slots of a GRU scan's result. */
  public static final int GRU_SLOTS = 6;
  /** Slots of a GRU scan's backward: r, z, n pre-activation gradients, that of W_hn·h + b_hn, that reaching h_{t−1}. */
  public static final int GRU_GRAD_SLOTS = 5;

  private Recurrence() {}

  /** Both FLOAT32: the scan runs in float throughout ({@link RecurrenceF32}). */
  private static boolean float32(Tensor a, Tensor b) {
    return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32;
  }

  /** Scratch {@code role} with its first {@code n} values zero. */
  private static double[] zeros(int role, int n) {
    double[] a = scratch(role, n);
    java.util.Arrays.fill(a, 0, n, 0);
    return a;
  }

  private static Tensor mat(double[] a, int rows, int cols) {
    return Internals.view(Storage.of(a), 0, new int[] {rows, cols}, new int[] {cols, 1});
  }

  /** {@code out[n, m] = a[n, k] · w[m, k]ᵀ}. */
  private static void productNT(double[] a, int n, int k, double[] w, int m, double[] out) {
    Kernels.matmulNT(mat(a, n, k), mat(w, m, k), mat(out, n, m));
  }

  /** {@code out[n, k] = a[n, m] · w[m, k]}. */
  private static void product(double[] a, int n, int m, double[] w, int k, double[] out) {
    Kernels.matmul(mat(a, n, m), mat(w, m, k), mat(out, n, k));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  // Scratch arrays per thread (Note: a warm compiled step allocates nothing that grows with the batch),
  // one per role, grown on demand; contents are garbage on entry, and no kernel here calls another of them.
  private static final int X = 0;
  private static final int W = 1;
  private static final int H = 2;
  private static final int C = 3;
  private static final int REC = 4;
  private static final int Y = 5;
  private static final int G = 6;
  private static final int D = 7;
  private static final int BACK = 8;
  private static final int BIAS = 9;
  private static final int DIRECT = 10;
  private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[11][]);

  private static double[] scratch(int role, int n) {
    double[][] all = SCRATCH.get();
    if (all[role] == null || all[role].length < n) {
      all[role] = new double[Math.max(n, 16)];
    }
    return all[role];
  }

  /** The values of {@code t} row-major as doubles: its own storage when that is exactly them, else scratch {@code role}. */
  private static double[] doubles(Tensor t, int role) {
    int n = t.numel();
    if (t.dtype() == DType.FLOAT64 && t.isContiguous() && t.offset() == 0 && t.storage().size() == n) {
      return t.storage().doubles();
    }
    double[] out = scratch(role, n);
    Tensor c = t.contiguous();
    int off = c.offset();
    if (c.dtype() == DType.FLOAT32) {
      float[] f = c.storage().floats();
      for (int i = 0; i < n; i++) {
        out[i] = f[off + i];
      }
    } else if (c.dtype() == DType.FLOAT64) {
      System.arraycopy(c.storage().doubles(), off, out, 0, n);
    } else {
      System.arraycopy(Kernels.cast(c, DType.FLOAT64).storage().doubles(), 0, out, 0, n);
    }
    return out;
  }

  /** A copy of {@code t}'s values in scratch {@code role} (the kernels update states in place). */
  private static double[] copy(Tensor t, int role) {
    double[] v = doubles(t, role);
    if (t.dtype() == DType.FLOAT64 && v == t.storage().doubles()) {
      double[] out = scratch(role, v.length);
      System.arraycopy(v, 0, out, 0, v.length);
      return out;
    }
    return v;
  }

  /** {@code out} (contiguous, FLOAT32 or FLOAT64, or null for a new one of {@code dtype}) holding {@code v}. */
  private static Tensor store(double[] v, int[] shape, DType dtype, Tensor out) {
    Tensor o = out != null ? out : Tensor.empty(dtype, shape);
    int n = o.numel();
    int off = o.offset();
    if (o.dtype() == DType.FLOAT64 && o.isContiguous()) {
      System.arraycopy(v, 0, o.storage().doubles(), off, n);
    } else if (o.dtype() == DType.FLOAT32 && o.isContiguous()) {
      float[] f = o.storage().floats();
      for (int i = 0; i < n; i++) {
        f[off + i] = (float) v[i];
      }
    } else {
      Kernels.copy(Kernels.cast(Tensor.of(java.util.Arrays.copyOf(v, n), shape), o.dtype()), o);
    }
    return o;
  }

  // ---------------------------------------------------------------- LSTM

  /**
   * One LSTM layer's steps: {@code gx [B, T, 4H]} (input projections with both biases), {@code whh [4H, H]},
   * {@code h0, c0 [B, H]} give {@code [B, T, 8, H]} (see the class comment), in gx's dtype.
   */
  public static Tensor lstmScan(Tensor gx, Tensor whh, Tensor h0, Tensor c0, Tensor result) {
    if (float32(gx, whh)) {
      return RecurrenceF32.lstmScan(gx, whh, h0, c0, result);
    }
    int batch = gx.size(0);
    int steps = gx.size(1);
    int hidden = whh.size(1);
    double[] x = doubles(gx, X);
    double[] w = doubles(whh, W);
    double[] hPrev = copy(h0, H);
    double[] cPrev = copy(c0, C);
    double[] y = scratch(Y, batch * steps * LSTM_SLOTS * hidden);
    int g4 = 4 * hidden;
    double[] rec = scratch(REC, batch * g4);
    for (int t = 0; t < steps; t++) {
      productNT(hPrev, batch, hidden, w, g4, rec);
      for (int b = 0; b < batch; b++) {
        int a = (b * steps + t) * g4;
        int r = b * g4;
        int o = (b * steps + t) * LSTM_SLOTS * hidden;
        for (int j = 0; j < hidden; j++) {
          double i = sigmoid(x[a + j] + rec[r + j]);
          double f = sigmoid(x[a + hidden + j] + rec[r + hidden + j]);
          double g = Math.tanh(x[a + 2 * hidden + j] + rec[r + 2 * hidden + j]);
          double out = sigmoid(x[a + 3 * hidden + j] + rec[r + 3 * hidden + j]);
          double cp = cPrev[b * hidden + j];
          double c = f * cp + i * g;
          double h = out * Math.tanh(c);
          y[o + j] = hPrev[b * hidden + j];
          y[o + hidden + j] = cp;
          y[o + 2 * hidden + j] = h;
          y[o + 3 * hidden + j] = c;
          y[o + 4 * hidden + j] = i;
          y[o + 5 * hidden + j] = f;
          y[o + 6 * hidden + j] = g;
          y[o + 7 * hidden + j] = out;
          hPrev[b * hidden + j] = h;
          cPrev[b * hidden + j] = c;
        }
      }
    }
    return store(y, new int[] {batch, steps, LSTM_SLOTS, hidden}, gx.dtype(), result);
  }

  /**
   * Backward through time of {@link #lstmScan}, given {@code grad} (of its result {@code y}, both
   * {@code [B, T, 8, H]}) and {@code whh}: {@code [B, T, 6, H]} holding per step the gradients of the four
   * gates' pre-activations (i, f, g, o; also those of gx), then the gradients reaching h_{t−1} and c_{t−1}
   * through the step (at t = 0: those of h0 and c0).
   */
  public static Tensor lstmScanBackward(Tensor grad, Tensor y, Tensor whh, Tensor result) {
    if (float32(grad, y)) {
      return RecurrenceF32.lstmScanBackward(grad, y, whh, result);
    }
    int batch = y.size(0);
    int steps = y.size(1);
    int hidden = y.size(3);
    double[] gy = doubles(grad, G);
    double[] v = doubles(y, Y);
    double[] w = doubles(whh, W);
    int g4 = 4 * hidden;
    double[] d = scratch(D, batch * steps * LSTM_GRAD_SLOTS * hidden);
    double[] dh = zeros(H, batch * hidden);   // reaching h_t from step t + 1
    double[] dc = zeros(C, batch * hidden);
    double[] da = scratch(REC, batch * g4);
    double[] back = scratch(BACK, batch * hidden);
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int o = (b * steps + t) * LSTM_SLOTS * hidden;
        int q = b * g4;
        int s = b * hidden;
        for (int j = 0; j < hidden; j++) {
          double cp = v[o + hidden + j];
          double c = v[o + 3 * hidden + j];
          double i = v[o + 4 * hidden + j];
          double f = v[o + 5 * hidden + j];
          double g = v[o + 6 * hidden + j];
          double out = v[o + 7 * hidden + j];
          double tc = Math.tanh(c);
          double hTotal = gy[o + 2 * hidden + j] + dh[s + j];
          double cTotal = gy[o + 3 * hidden + j] + dc[s + j] + hTotal * out * (1 - tc * tc);
          da[q + j] = (cTotal * g + gy[o + 4 * hidden + j]) * i * (1 - i);
          da[q + hidden + j] = (cTotal * cp + gy[o + 5 * hidden + j]) * f * (1 - f);
          da[q + 2 * hidden + j] = (cTotal * i + gy[o + 6 * hidden + j]) * (1 - g * g);
          da[q + 3 * hidden + j] = (hTotal * tc + gy[o + 7 * hidden + j]) * out * (1 - out);
          dc[s + j] = cTotal * f + gy[o + hidden + j];
        }
      }
      product(da, batch, g4, w, hidden, back);
      for (int b = 0; b < batch; b++) {
        int o = (b * steps + t) * LSTM_SLOTS * hidden;
        int e = (b * steps + t) * LSTM_GRAD_SLOTS * hidden;
        System.arraycopy(da, b * g4, d, e, g4);
        for (int j = 0; j < hidden; j++) {
          int s = b * hidden + j;
          dh[s] = back[s] + gy[o + j];
          d[e + g4 + j] = dh[s];
          d[e + g4 + hidden + j] = dc[s];
        }
      }
    }
    return store(d, new int[] {batch, steps, LSTM_GRAD_SLOTS, hidden}, grad.dtype(), result);
  }

  // ---------------------------------------------------------------- GRU

  /**
   * One GRU layer's steps: {@code gx [B, T, 3H]} (input projections with b_ih), {@code whh [3H, H]},
   * {@code bhh [3H]} and {@code h0 [B, H]} give {@code [B, T, 6, H]} (see the class comment), in gx's dtype.
   */
  public static Tensor gruScan(Tensor gx, Tensor whh, Tensor bhh, Tensor h0, Tensor result) {
    if (float32(gx, whh)) {
      return RecurrenceF32.gruScan(gx, whh, bhh, h0, result);
    }
    int batch = gx.size(0);
    int steps = gx.size(1);
    int hidden = whh.size(1);
    double[] x = doubles(gx, X);
    double[] w = doubles(whh, W);
    double[] bias = doubles(bhh, BIAS);
    double[] hPrev = copy(h0, H);
    double[] y = scratch(Y, batch * steps * GRU_SLOTS * hidden);
    int g3 = 3 * hidden;
    double[] rec = scratch(REC, batch * g3);
    for (int t = 0; t < steps; t++) {
      productNT(hPrev, batch, hidden, w, g3, rec);
      for (int b = 0; b < batch; b++) {
        int a = (b * steps + t) * g3;
        int r0 = b * g3;
        int o = (b * steps + t) * GRU_SLOTS * hidden;
        for (int j = 0; j < hidden; j++) {
          double r = sigmoid(x[a + j] + rec[r0 + j] + bias[j]);
          double z = sigmoid(x[a + hidden + j] + rec[r0 + hidden + j] + bias[hidden + j]);
          double hn = rec[r0 + 2 * hidden + j] + bias[2 * hidden + j];
          double n = Math.tanh(x[a + 2 * hidden + j] + r * hn);
          double hp = hPrev[b * hidden + j];
          double h = (1 - z) * n + z * hp;
          y[o + j] = hp;
          y[o + hidden + j] = h;
          y[o + 2 * hidden + j] = r;
          y[o + 3 * hidden + j] = z;
          y[o + 4 * hidden + j] = n;
          y[o + 5 * hidden + j] = hn;
          hPrev[b * hidden + j] = h;
        }
      }
    }
    return store(y, new int[] {batch, steps, GRU_SLOTS, hidden}, gx.dtype(), result);
  }

  /**
   * Backward through time of {@link #gruScan}, given {@code grad} (of its result {@code y}, both
   * {@code [B, T, 6, H]}) and {@code whh}: {@code [B, T, 5, H]} holding per step the gradients of the r, z
   * and n pre-activations (those of gx), that of {@code W_hn·h_{t−1} + b_hn}, and the gradient reaching
   * h_{t−1} through the step (at t = 0: that of h0). The gradient of {@code W_hh·h_{t−1} + b_hh} is
   * (r, z, hn) of it.
   */
  public static Tensor gruScanBackward(Tensor grad, Tensor y, Tensor whh, Tensor result) {
    if (float32(grad, y)) {
      return RecurrenceF32.gruScanBackward(grad, y, whh, result);
    }
    int batch = y.size(0);
    int steps = y.size(1);
    int hidden = y.size(3);
    double[] gy = doubles(grad, G);
    double[] v = doubles(y, Y);
    double[] w = doubles(whh, W);
    int g3 = 3 * hidden;
    double[] d = scratch(D, batch * steps * GRU_GRAD_SLOTS * hidden);
    double[] dh = zeros(H, batch * hidden);
    double[] direct = scratch(DIRECT, batch * hidden);
    double[] dRec = scratch(REC, batch * g3);
    double[] back = scratch(BACK, batch * hidden);
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int o = (b * steps + t) * GRU_SLOTS * hidden;
        int e = (b * steps + t) * GRU_GRAD_SLOTS * hidden;
        int q = b * g3;
        for (int j = 0; j < hidden; j++) {
          double hp = v[o + j];
          double r = v[o + 2 * hidden + j];
          double z = v[o + 3 * hidden + j];
          double n = v[o + 4 * hidden + j];
          double hn = v[o + 5 * hidden + j];
          double hTotal = gy[o + hidden + j] + dh[b * hidden + j];
          double dn = (hTotal * (1 - z) + gy[o + 4 * hidden + j]) * (1 - n * n);
          double dz = (hTotal * (hp - n) + gy[o + 3 * hidden + j]) * z * (1 - z);
          double dr = (dn * hn + gy[o + 2 * hidden + j]) * r * (1 - r);
          double dhn = dn * r + gy[o + 5 * hidden + j];
          d[e + j] = dr;
          d[e + hidden + j] = dz;
          d[e + 2 * hidden + j] = dn;
          d[e + 3 * hidden + j] = dhn;
          dRec[q + j] = dr;
          dRec[q + hidden + j] = dz;
          dRec[q + 2 * hidden + j] = dhn;
          direct[b * hidden + j] = hTotal * z + gy[o + j];
        }
      }
      product(dRec, batch, g3, w, hidden, back);
      for (int b = 0; b < batch; b++) {
        int e = (b * steps + t) * GRU_GRAD_SLOTS * hidden;
        for (int j = 0; j < hidden; j++) {
          int s = b * hidden + j;
          dh[s] = back[s] + direct[s];
          d[e + 4 * hidden + j] = dh[s];
        }
      }
    }
    return store(d, new int[] {batch, steps, GRU_GRAD_SLOTS, hidden}, grad.dtype(), result);
  }
}

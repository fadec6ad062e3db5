package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The step loops of LSTM and GRU layers and their backward through time, on contiguous row-major double
 * arrays. The input projections of all steps ({@code gx = x·W_ihᵀ + b}) are one matrix product made
 * by the caller; per step there is one product with {@code W_hh} and the gate arithmetic, fused.
 * PyTorch's gate orders: LSTM {@code i, f, g, o}; GRU {@code r, z, n} with
 * {@code n = tanh(gx_n + r·(W_hn·h + b_hn))}.
 */
public final class Recurrence {
  private Recurrence() {}

  private static Tensor mat(double[] a, int offset, int rows, int cols) {
    return Internals.view(Storage.of(a), offset, new int[] {rows, cols}, new int[] {cols, 1});
  }

  /** {@code out[n, m] = a[n, k] · w[m, k]ᵀ}. */
  private static void productNT(double[] a, int n, int k, double[] w, int m, double[] out) {
    Kernels.matmulNT(mat(a, 0, n, k), mat(w, 0, m, k), mat(out, 0, n, m));
  }

  /** {@code out[n, k] = a[n, m] · w[m, k]}. */
  private static void product(double[] a, int n, int m, double[] w, int k, double[] out) {
    Kernels.matmul(mat(a, 0, n, m), mat(w, 0, m, k), mat(out, 0, n, k));
  }

  /** {@code out[m, k] = a[rows, m]ᵀ · b[rows, k]}. */
  private static void productTN(double[] a, int rows, int m, double[] b, int k, double[] out) {
    Kernels.matmulTN(mat(a, 0, rows, m), mat(b, 0, rows, k), mat(out, 0, m, k));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  // ---------------------------------------------------------------- LSTM

  /**
   * One LSTM layer: {@code gx [B, T, 4H]} (input projections with both biases), {@code whh [4H, H]},
   * {@code h0, c0 [B, H]}; writes {@code hc [B, T, 2, H]} (h_t and c_t of every step) and {@code acts
   * [B, T, 4H]} (the gates i, f, g, o after their nonlinearities, kept for backward).
   */
  public static void lstmForward(int batch, int steps, int hidden, double[] gx, double[] whh, double[] h0,
      double[] c0, double[] hc, double[] acts) {
    int g4 = 4 * hidden;
    double[] hPrev = h0.clone();
    double[] cPrev = c0.clone();
    double[] rec = new double[batch * g4];
    for (int t = 0; t < steps; t++) {
      productNT(hPrev, batch, hidden, whh, g4, rec);
      for (int b = 0; b < batch; b++) {
        int a = (b * steps + t) * g4;
        int r = b * g4;
        int o = (b * steps + t) * 2 * hidden;
        for (int j = 0; j < hidden; j++) {
          double i = sigmoid(gx[a + j] + rec[r + j]);
          double f = sigmoid(gx[a + hidden + j] + rec[r + hidden + j]);
          double g = Math.tanh(gx[a + 2 * hidden + j] + rec[r + 2 * hidden + j]);
          double out = sigmoid(gx[a + 3 * hidden + j] + rec[r + 3 * hidden + j]);
          double c = f * cPrev[b * hidden + j] + i * g;
          double h = out * Math.tanh(c);
          acts[a + j] = i;
          acts[a + hidden + j] = f;
          acts[a + 2 * hidden + j] = g;
          acts[a + 3 * hidden + j] = out;
          hc[o + j] = h;
          hc[o + hidden + j] = c;
          hPrev[b * hidden + j] = h;
          cPrev[b * hidden + j] = c;
        }
      }
    }
  }

  /**
   * Backward through time of {@link #lstmForward}: {@code dhc [B, T, 2, H]} is the gradient of hc. Writes
   * {@code dgx [B, T, 4H]} (the pre-activation gate gradients: also the input projections' gradient),
   * {@code dwhh [4H, H]}, {@code dh0} and {@code dc0 [B, H]}.
   */
  public static void lstmBackward(int batch, int steps, int hidden, double[] whh, double[] h0, double[] c0,
      double[] hc, double[] acts, double[] dhc, double[] dgx, double[] dwhh, double[] dh0, double[] dc0) {
    int g4 = 4 * hidden;
    double[] dh = new double[batch * hidden];   // from step t + 1 through W_hh
    double[] dc = new double[batch * hidden];
    double[] da = new double[batch * g4];
    double[] hPrevAll = new double[batch * steps * hidden];   // h_{t-1} of every (b, t), for dW_hh
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int a = (b * steps + t) * g4;
        int o = (b * steps + t) * 2 * hidden;
        int prev = (b * steps + t - 1) * 2 * hidden;
        for (int j = 0; j < hidden; j++) {
          double i = acts[a + j];
          double f = acts[a + hidden + j];
          double g = acts[a + 2 * hidden + j];
          double out = acts[a + 3 * hidden + j];
          double c = hc[o + hidden + j];
          double cPrev = t > 0 ? hc[prev + hidden + j] : c0[b * hidden + j];
          double hTotal = dhc[o + j] + dh[b * hidden + j];
          double tc = Math.tanh(c);
          double cTotal = dhc[o + hidden + j] + dc[b * hidden + j] + hTotal * out * (1 - tc * tc);
          int d = b * g4;
          da[d + j] = cTotal * g * i * (1 - i);
          da[d + hidden + j] = cTotal * cPrev * f * (1 - f);
          da[d + 2 * hidden + j] = cTotal * i * (1 - g * g);
          da[d + 3 * hidden + j] = hTotal * tc * out * (1 - out);
          dc[b * hidden + j] = cTotal * f;
          hPrevAll[(b * steps + t) * hidden + j] = t > 0 ? hc[prev + j] : h0[b * hidden + j];
        }
        System.arraycopy(da, b * g4, dgx, (b * steps + t) * g4, g4);
      }
      product(da, batch, g4, whh, hidden, dh);
    }
    System.arraycopy(dh, 0, dh0, 0, dh.length);
    System.arraycopy(dc, 0, dc0, 0, dc.length);
    productTN(dgx, batch * steps, g4, hPrevAll, hidden, dwhh);
  }

  // ---------------------------------------------------------------- GRU

  /**
   * One GRU layer: {@code gx [B, T, 3H]} (input projections with b_ih), {@code whh [3H, H]}, {@code bhh [3H]},
   * {@code h0 [B, H]}; writes {@code out [B, T, H]} and {@code saved [B, T, 4H]} (r, z, n and
   * {@code W_hn·h + b_hn} of every step, for backward).
   */
  public static void gruForward(int batch, int steps, int hidden, double[] gx, double[] whh, double[] bhh,
      double[] h0, double[] out, double[] saved) {
    int g3 = 3 * hidden;
    double[] hPrev = h0.clone();
    double[] rec = new double[batch * g3];
    for (int t = 0; t < steps; t++) {
      productNT(hPrev, batch, hidden, whh, g3, rec);
      for (int b = 0; b < batch; b++) {
        int a = (b * steps + t) * g3;
        int r0 = b * g3;
        int s = (b * steps + t) * 4 * hidden;
        for (int j = 0; j < hidden; j++) {
          double r = sigmoid(gx[a + j] + rec[r0 + j] + bhh[j]);
          double z = sigmoid(gx[a + hidden + j] + rec[r0 + hidden + j] + bhh[hidden + j]);
          double hn = rec[r0 + 2 * hidden + j] + bhh[2 * hidden + j];
          double n = Math.tanh(gx[a + 2 * hidden + j] + r * hn);
          double h = (1 - z) * n + z * hPrev[b * hidden + j];
          saved[s + j] = r;
          saved[s + hidden + j] = z;
          saved[s + 2 * hidden + j] = n;
          saved[s + 3 * hidden + j] = hn;
          out[(b * steps + t) * hidden + j] = h;
          hPrev[b * hidden + j] = h;
        }
      }
    }
  }

  /**
   * Backward through time of {@link #gruForward}: {@code dOut [B, T, H]}; writes {@code dgx [B, T, 3H]},
   * {@code dwhh [3H, H]}, {@code dbhh [3H]} and {@code dh0 [B, H]}.
   */
  public static void gruBackward(int batch, int steps, int hidden, double[] whh, double[] h0, double[] out,
      double[] saved, double[] dOut, double[] dgx, double[] dwhh, double[] dbhh, double[] dh0) {
    int g3 = 3 * hidden;
    double[] dh = new double[batch * hidden];
    double[] direct = new double[batch * hidden];   // dh · z: the part of dh_{t-1} that skips W_hh
    double[] dRec = new double[batch * g3];          // gradient of W_hh·h_{t-1} + b_hh
    double[] dRecAll = new double[batch * steps * g3];
    double[] hPrevAll = new double[batch * steps * hidden];
    Arrays.fill(dbhh, 0);
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int a = (b * steps + t) * g3;
        int s = (b * steps + t) * 4 * hidden;
        int d = b * g3;
        for (int j = 0; j < hidden; j++) {
          double r = saved[s + j];
          double z = saved[s + hidden + j];
          double n = saved[s + 2 * hidden + j];
          double hn = saved[s + 3 * hidden + j];
          double hPrev = t > 0 ? out[(b * steps + t - 1) * hidden + j] : h0[b * hidden + j];
          double hTotal = dOut[(b * steps + t) * hidden + j] + dh[b * hidden + j];
          double dn = hTotal * (1 - z) * (1 - n * n);
          double dz = hTotal * (hPrev - n) * z * (1 - z);
          double dr = dn * hn * r * (1 - r);
          dgx[a + j] = dr;
          dgx[a + hidden + j] = dz;
          dgx[a + 2 * hidden + j] = dn;
          dRec[d + j] = dr;
          dRec[d + hidden + j] = dz;
          dRec[d + 2 * hidden + j] = dn * r;
          direct[b * hidden + j] = hTotal * z;
          hPrevAll[(b * steps + t) * hidden + j] = hPrev;
        }
        System.arraycopy(dRec, d, dRecAll, (b * steps + t) * g3, g3);
        for (int c = 0; c < g3; c++) {
          dbhh[c] += dRec[d + c];
        }
      }
      product(dRec, batch, g3, whh, hidden, dh);
      for (int i = 0; i < dh.length; i++) {
        dh[i] += direct[i];
      }
    }
    System.arraycopy(dh, 0, dh0, 0, dh.length);
    productTN(dRecAll, batch * steps, g3, hPrevAll, hidden, dwhh);
  }
}

package dev.flint.ops;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.EnumMap;
import java.util.Map;

/**
 * One sample per op row: inputs, attributes and the hand-computed output. Domain-aware: log and sqrt
 * get positive inputs, abs/relu/clamp stay away from their kinks, max/min have distinct values, so
 * finite differences are valid.
 */
final class OpSamples {
  private OpSamples() {}

  /** A sample call: inputs, attrs, expected output values (row-major) and shape. */
  record Sample(Tensor[] inputs, Attrs attrs, double[] expected, int[] shape) {}

  static final Map<Op, Sample> ALL = new EnumMap<>(Op.class);

  private static Tensor f(double[] data, int... shape) {
    return Tensor.of(data, shape.length == 0 ? new int[] {data.length} : shape);
  }

  private static Tensor idx(long... data) {
    return Tensor.of(data);
  }

  private static void put(Op op, Attrs attrs, double[] expected, int[] shape, Tensor... in) {
    ALL.put(op, new Sample(in, attrs, expected, shape));
  }

  private static double[] d(double... v) {
    return v;
  }

  private static int[] s(int... v) {
    return v;
  }

  private static final double LN2 = Math.log(2);
  private static final double LN3 = Math.log(3);

  static {
    Tensor a23 = f(d(1, 2, 3, 4, 5, 6), 2, 3);
    put(Op.ADD, Attrs.NONE, d(11, 22, 33, 14, 25, 36), s(2, 3), a23, f(d(10, 20, 30)));
    put(Op.SUB, Attrs.NONE, d(0, 1, 2, 2, 3, 4), s(2, 3), a23, f(d(1, 2), 2, 1));
    put(Op.MUL, Attrs.NONE, d(2, 4, 6, 12, 15, 18), s(2, 3), a23, f(d(2, 3), 2, 1));
    put(Op.DIV, Attrs.NONE, d(0.5, 0.5, 0.375, 2, 1.25, 0.75), s(2, 3), a23, f(d(2, 4, 8)));
    put(Op.NEG, Attrs.NONE, d(-1, 2), s(2), f(d(1, -2)));
    put(Op.ADD_SCALAR, Attrs.of(Attrs.VALUE, 2.5), d(3.5, 0.5), s(2), f(d(1, -2)));
    put(Op.MUL_SCALAR, Attrs.of(Attrs.VALUE, -3.0), d(-3, 6), s(2), f(d(1, -2)));
    put(Op.POW_SCALAR, Attrs.of(Attrs.VALUE, 3.0), d(-3.375, 8), s(2), f(d(-1.5, 2)));
    put(Op.EXP, Attrs.NONE, d(1, Math.E), s(2), f(d(0, 1)));
    put(Op.LOG, Attrs.NONE, d(0, 1), s(2), f(d(1, Math.E)));
    put(Op.SQRT, Attrs.NONE, d(2, 3), s(2), f(d(4, 9)));
    put(Op.ABS, Attrs.NONE, d(1.5, 2), s(2), f(d(-1.5, 2)));
    put(Op.SIGN, Attrs.NONE, d(-1, 0, 1), s(3), f(d(-1.5, 0, 2)));
    put(Op.RELU, Attrs.NONE, d(0, 2), s(2), f(d(-1.5, 2)));
    put(Op.SIGMOID, Attrs.NONE, d(0.5, 0.75), s(2), f(d(0, LN3)));
    put(Op.TANH, Attrs.NONE, d(0, 0.6), s(2), f(d(0, LN2)));
    Tensor c123 = f(d(1, 2, 3));
    Tensor two = f(d(2));
    put(Op.GT, Attrs.NONE, d(0, 0, 1), s(3), c123, two);
    put(Op.LT, Attrs.NONE, d(1, 0, 0), s(3), c123, two);
    put(Op.GE, Attrs.NONE, d(0, 1, 1), s(3), c123, two);
    put(Op.LE, Attrs.NONE, d(1, 1, 0), s(3), c123, two);
    put(Op.EQ, Attrs.NONE, d(0, 1, 0), s(3), c123, two);
    put(Op.NE, Attrs.NONE, d(1, 0, 1), s(3), c123, two);
    put(Op.WHERE, Attrs.NONE, d(1, 10, 3, 1, 20, 3), s(2, 3),
        Tensor.of(new boolean[] {true, false, true}), c123, f(d(10, 20), 2, 1));
    put(Op.CLAMP, Attrs.of(Attrs.MIN, -1.0, Attrs.MAX, 1.0), d(-1, 0.5, 1), s(3), f(d(-2, 0.5, 3)));
    put(Op.MATMUL, Attrs.NONE, d(21, 24, 27, 47, 54, 61), s(2, 3), f(d(1, 2, 3, 4), 2, 2), f(d(5, 6, 7, 8, 9, 10), 2, 3));
    put(Op.SUM, Attrs.of(Attrs.DIMS, new int[] {1}, Attrs.KEEP_DIM, false), d(6, 15), s(2), a23);
    put(Op.SUM_TO, Attrs.of(Attrs.SHAPE, new int[] {1, 3}), d(5, 7, 9), s(1, 3), a23);
    put(Op.EXPAND, Attrs.of(Attrs.SHAPE, new int[] {2, 3}), d(1, 1, 1, 2, 2, 2), s(2, 3), f(d(1, 2), 2, 1));
    put(Op.RESHAPE, Attrs.of(Attrs.SHAPE, new int[] {3, 2}), d(1, 2, 3, 4, 5, 6), s(3, 2), a23);
    put(Op.PERMUTE, Attrs.of(Attrs.PERM, new int[] {1, 0}), d(1, 4, 2, 5, 3, 6), s(3, 2), a23);
    Tensor m33 = f(d(1, 2, 3, 4, 5, 6, 7, 8, 9), 3, 3);
    put(Op.TRIL, Attrs.of(Attrs.DIAGONAL, 0), d(1, 0, 0, 4, 5, 0, 7, 8, 9), s(3, 3), m33);
    put(Op.TRIU, Attrs.of(Attrs.DIAGONAL, 1), d(0, 2, 3, 0, 0, 6, 0, 0, 0), s(3, 3), m33);
    put(Op.NARROW, Attrs.of(Attrs.DIM, 1, Attrs.START, 1, Attrs.LENGTH, 2), d(2, 3, 5, 6), s(2, 2), a23);
    put(Op.PAD, Attrs.of(Attrs.DIM, 1, Attrs.BEFORE, 1, Attrs.AFTER, 2), d(0, 1, 2, 0, 0, 0, 3, 4, 0, 0), s(2, 5),
        f(d(1, 2, 3, 4), 2, 2));
    put(Op.CAT, Attrs.of(Attrs.DIM, 1), d(1, 3, 4, 2, 5, 6), s(2, 3), f(d(1, 2), 2, 1), f(d(3, 4, 5, 6), 2, 2));
    Tensor m = f(d(1, 5, 3, 4, 2, 6), 2, 3);
    Attrs dim1 = Attrs.of(Attrs.DIM, 1, Attrs.KEEP_DIM, false);
    put(Op.MAX, dim1, d(5, 6), s(2), m);
    put(Op.MIN, dim1, d(1, 2), s(2), m);
    put(Op.ARGMAX, dim1, d(1, 2), s(2), m);
    put(Op.ARGMIN, dim1, d(0, 1), s(2), m);
    Tensor logits = f(d(0, LN3, LN2, 0), 2, 2);
    put(Op.SOFTMAX, Attrs.of(Attrs.DIM, 1), d(0.25, 0.75, 2.0 / 3, 1.0 / 3), s(2, 2), logits);
    // y·(g − Σ g·y) per row: Σ = 1.75 and 5/3
    put(Op.SOFTMAX_BACKWARD, Attrs.of(Attrs.DIM, 1), d(-0.1875, 0.1875, 8.0 / 9, -8.0 / 9), s(2, 2),
        f(d(1, 2, 3, -1), 2, 2), f(d(0.25, 0.75, 2.0 / 3, 1.0 / 3), 2, 2));
    put(Op.LOG_SOFTMAX, Attrs.of(Attrs.DIM, 1), d(Math.log(0.25), Math.log(0.75), Math.log(2.0 / 3), Math.log(1.0 / 3)),
        s(2, 2), logits);
    put(Op.CAST, Attrs.of(Attrs.DTYPE, DType.FLOAT64.name()), d(1.5, 2), s(2), f(d(1.5, 2)));
    put(Op.CLONE, Attrs.NONE, d(1, 2), s(2), f(d(1, 2)));
    Tensor rows = f(d(1, 2, 3, 4, 5, 6), 3, 2);
    put(Op.INDEX_SELECT, Attrs.of(Attrs.DIM, 0), d(5, 6, 1, 2, 5, 6), s(3, 2), rows, idx(2, 0, 2));
    put(Op.INDEX_ADD, Attrs.of(Attrs.DIM, 0, Attrs.SHAPE, new int[] {3, 2}), d(3, 4, 0, 0, 6, 8), s(3, 2), rows, idx(2, 0, 2));
    Tensor index = Tensor.of(new long[] {2, 0, 1, 1}, 2, 2);
    put(Op.GATHER, Attrs.of(Attrs.DIM, 1), d(3, 1, 5, 5), s(2, 2), a23, index);
    put(Op.SCATTER_ADD, Attrs.of(Attrs.DIM, 1, Attrs.SHAPE, new int[] {2, 3}), d(2, 0, 1, 0, 7, 0), s(2, 3),
        f(d(1, 2, 3, 4), 2, 2), index);
    Tensor img = f(d(1, 2, 3, 4, 5, 6, 7, 8, 9), 1, 1, 3, 3);
    int[] one = {1, 1};
    int[] zero = {0, 0};
    // Stride 2, padding 1, a 2x2 kernel of ones: each output sums the real pixels of its window.
    put(Op.CONV2D, Attrs.of(Attrs.STRIDE, new int[] {2, 2}, Attrs.PADDING, one), d(1, 5, 11, 28), s(1, 1, 2, 2),
        img, f(d(1, 1, 1, 1), 1, 1, 2, 2));
    // dx[a, b] = Σ g[i, j]·w[a − i, b − j] with w = [[1, 0], [0, 2]].
    put(Op.CONV2D_INPUT_GRAD, Attrs.of(Attrs.SHAPE, new int[] {1, 1, 3, 3}, Attrs.STRIDE, one, Attrs.PADDING, zero),
        d(1, 2, 0, 3, 6, 4, 0, 6, 8), s(1, 1, 3, 3), f(d(1, 2, 3, 4), 1, 1, 2, 2), f(d(1, 0, 0, 2), 1, 1, 2, 2));
    // dw[p, q] = Σ g[i, j]·x[i + p, j + q] with g = [[1, 0], [0, 1]].
    put(Op.CONV2D_WEIGHT_GRAD, Attrs.of(Attrs.SHAPE, new int[] {1, 1, 2, 2}, Attrs.STRIDE, one, Attrs.PADDING, zero),
        d(6, 8, 12, 14), s(1, 1, 2, 2), f(d(1, 0, 0, 1), 1, 1, 2, 2), img);
    Tensor distinct = f(d(1, 5, 3, 4, 2, 9, 8, 6, 7), 1, 1, 3, 3);
    Attrs window2 = Attrs.of(Attrs.KERNEL, new int[] {2, 2}, Attrs.STRIDE, one, Attrs.PADDING, zero);
    put(Op.MAX_POOL2D, window2, d(5, 9, 8, 9), s(1, 1, 2, 2), distinct);
    put(Op.MAX_POOL2D_BACKWARD, window2, d(0, 1, 0, 0, 0, 6, 3, 0, 0), s(1, 1, 3, 3),
        f(d(1, 2, 3, 4), 1, 1, 2, 2), distinct);
    // Kernel 2, stride 2, padding (0, 1) on [1, 1, 2, 4]: padding counts in each mean of 4.
    int[] k2 = {2, 2};
    int[] pad01 = {0, 1};
    put(Op.AVG_POOL2D, Attrs.of(Attrs.KERNEL, k2, Attrs.STRIDE, k2, Attrs.PADDING, pad01), d(1.5, 4.5, 3),
        s(1, 1, 1, 3), f(d(1, 2, 3, 4, 5, 6, 7, 8), 1, 1, 2, 4));
    put(Op.AVG_POOL2D_BACKWARD, Attrs.of(Attrs.SHAPE, new int[] {1, 1, 2, 4}, Attrs.KERNEL, k2, Attrs.STRIDE, k2,
        Attrs.PADDING, pad01), d(1, 2, 2, 3, 1, 2, 2, 3), s(1, 1, 2, 4), f(d(4, 8, 12), 1, 1, 1, 3));
    // Entries 1 and 3 of [0, 1, 2, 3, 4] in each row.
    put(Op.SLICE, Attrs.of(Attrs.DIM, 1, Attrs.START, 1, Attrs.LENGTH, 2, Attrs.STEP, 2), d(1, 3, 6, 8), s(2, 2),
        f(d(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 2, 5));
    put(Op.SLICE_BACKWARD, Attrs.of(Attrs.DIM, 1, Attrs.START, 1, Attrs.STEP, 2, Attrs.SHAPE, new int[] {2, 5}),
        d(0, 1, 0, 3, 0, 0, 6, 0, 8, 0), s(2, 5), f(d(1, 3, 6, 8), 2, 2));
    put(Op.SIN, Attrs.NONE, d(0, 1, Math.sin(-2)), s(3), f(d(0, Math.PI / 2, -2)));
    put(Op.COS, Attrs.NONE, d(1, 0.5, Math.cos(-2)), s(3), f(d(0, Math.PI / 3, -2)));
    // The rounding samples stay away from the jumps, so finite differences see the zero gradient.
    put(Op.FLOOR, Attrs.NONE, d(-2, 0, 2), s(3), f(d(-1.5, 0.25, 2.75)));
    put(Op.CEIL, Attrs.NONE, d(-1, 1, 3), s(3), f(d(-1.5, 0.25, 2.75)));
    put(Op.ROUND, Attrs.NONE, d(-2, 0, 3), s(3), f(d(-1.75, 0.25, 2.75)));
    recurrences();
    attention();
    put(Op.ERF, Attrs.NONE, d(0, 0.5204998778130465, -0.9953222650189527), s(3), f(d(0, 0.5, -2)));
    // CPython's math.erf: x/2·(1 + erf(x/√2)), and g·(Φ(x) + x·e^(−x²/2)/√(2π))
    put(Op.GELU, Attrs.NONE, d(-0.00404969409489031, -0.15865525393145707, 0.34573123063700656, 1.9544997361036416),
        s(4), f(d(-3, -1, 0.5, 2)));
    put(Op.GELU_BACKWARD, Attrs.NONE, d(-0.12497320588152944, -1.7349902493123257, 0.5426159005390985), s(3),
        f(d(1.5, -2, 0.5)), f(d(-1, 0.5, 2)));
    layerNorm();
  }

  /**
   * Rows (1, 2, 3, 6): mean 3, biased variance 14/4, with eps 1/2 σ = 2, so x̂ = (−1, −0.5, 0, 1.5); and (−1, 1,
   * −1, 1): mean 0, σ = √1.5, x̂ = (−r, r, −r, r) with r = 1/√1.5. The gradient (1, 0, −1, 2) on the first row: mean(g) = 0.5, mean(g·x̂) = 0.5,
   * {@code (g − 0.5 − 0.5·x̂)/2}.
   */
  private static void layerNorm() {
    double r = 1 / Math.sqrt(1.5);
    put(Op.LAYER_NORM, Attrs.of(Attrs.EPS, 0.5), d(-1, -0.5, 0, 1.5, -r, r, -r, r), s(2, 4),
        f(d(1, 2, 3, 6, -1, 1, -1, 1), 2, 4));
    put(Op.LAYER_NORM_BACKWARD, Attrs.of(Attrs.EPS, 0.5), d(0.5, -0.125, -0.75, 0.375), s(1, 4),
        f(d(1, 0, -1, 2), 1, 4), f(d(1, 2, 3, 6), 1, 4));
    // then ·w + b with w = (2, −1, 3, 0.5), b = (0.5, 0, −1, 1)
    put(Op.LAYER_NORM_AFFINE, Attrs.of(Attrs.EPS, 0.5), d(-1.5, 0.5, -1, 1.75, 0.5 - 2 * r, -r, -1 - 3 * r, 1 + 0.5 * r),
        s(2, 4), f(d(1, 2, 3, 6, -1, 1, -1, 1), 2, 4), f(d(2, -1, 3, 0.5)), f(d(0.5, 0, -1, 1)));
    // g·w = (2, 0, −3, 1): mean 0, mean(g·w·x̂) = −0.125, so (g·w + 0.125·x̂)/2
    put(Op.LAYER_NORM_AFFINE_BACKWARD, Attrs.of(Attrs.EPS, 0.5), d(0.9375, -0.03125, -1.5, 0.59375), s(1, 4),
        f(d(1, 0, -1, 2), 1, 4), f(d(1, 2, 3, 6), 1, 4), f(d(2, -1, 3, 0.5)));
    // Σ over the two rows of g·x̂ with g = ((1, 0, −1, 2), (2, 1, 0, −1))
    put(Op.LAYER_NORM_WEIGHT_GRAD, Attrs.of(Attrs.EPS, 0.5), d(-1 - 2 * r, r, 0, 3 - r), s(4),
        f(d(1, 0, -1, 2, 2, 1, 0, -1), 2, 4), f(d(1, 2, 3, 6, -1, 1, -1, 1), 2, 4));
  }

  private static double sig(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /**
   * The recurrence rows on one sequence of two steps with one hidden unit, their expected values written
   * out as the scalar formulas of PyTorch's LSTM and GRU cells (gate orders i, f, g, o and r, z, n).
   */
  private static void recurrences() {
    double[] wl = {0.3, -0.4, 0.5, 0.2};      // W_hh of the LSTM [4, 1]
    double[] xl = {0.1, -0.2, 0.7, 0.4, -0.3, 0.6, -0.5, 0.2};   // gx [1, 2, 4]
    double hp = 0.5;
    double cp = -0.8;
    double[] y = new double[16];
    for (int t = 0; t < 2; t++) {
      double i = sig(xl[4 * t] + wl[0] * hp);
      double f = sig(xl[4 * t + 1] + wl[1] * hp);
      double g = Math.tanh(xl[4 * t + 2] + wl[2] * hp);
      double o = sig(xl[4 * t + 3] + wl[3] * hp);
      double c = f * cp + i * g;
      double h = o * Math.tanh(c);
      System.arraycopy(new double[] {hp, cp, h, c, i, f, g, o}, 0, y, 8 * t, 8);
      hp = h;
      cp = c;
    }
    put(Op.LSTM_SCAN, Attrs.NONE, y, s(1, 2, 8, 1), f(xl, 1, 2, 4), f(wl, 4, 1), f(d(0.5), 1, 1), f(d(-0.8), 1, 1));
    // One step's backward with a gradient on every slot: (hp, cp, h, c, i, f, g, o) = y of step 0.
    double[] gy = {0.1, -0.3, 0.7, 0.2, -0.4, 0.5, 0.3, -0.6};
    double tc = Math.tanh(y[3]);
    double hTotal = gy[2];
    double cTotal = gy[3] + hTotal * y[7] * (1 - tc * tc);
    double di = (cTotal * y[6] + gy[4]) * y[4] * (1 - y[4]);
    double df = (cTotal * y[1] + gy[5]) * y[5] * (1 - y[5]);
    double dg = (cTotal * y[4] + gy[6]) * (1 - y[6] * y[6]);
    double dout = (hTotal * tc + gy[7]) * y[7] * (1 - y[7]);
    double dhPrev = di * wl[0] + df * wl[1] + dg * wl[2] + dout * wl[3] + gy[0];
    double dcPrev = cTotal * y[5] + gy[1];
    put(Op.LSTM_SCAN_BACKWARD, Attrs.NONE, d(di, df, dg, dout, dhPrev, dcPrev), s(1, 1, 6, 1), f(gy, 1, 1, 8, 1),
        f(java.util.Arrays.copyOf(y, 8), 1, 1, 8, 1), f(wl, 4, 1));

    double[] wg = {0.4, -0.3, 0.6};           // W_hh of the GRU [3, 1]
    double[] bg = {0.1, 0.2, -0.3};           // b_hh [3]
    double[] xg = {0.2, -0.1, 0.5, -0.4, 0.3, 0.1};   // gx [1, 2, 3]
    hp = 0.5;
    double[] yg = new double[12];
    for (int t = 0; t < 2; t++) {
      double r = sig(xg[3 * t] + wg[0] * hp + bg[0]);
      double z = sig(xg[3 * t + 1] + wg[1] * hp + bg[1]);
      double hn = wg[2] * hp + bg[2];
      double n = Math.tanh(xg[3 * t + 2] + r * hn);
      double h = (1 - z) * n + z * hp;
      System.arraycopy(new double[] {hp, h, r, z, n, hn}, 0, yg, 6 * t, 6);
      hp = h;
    }
    put(Op.GRU_SCAN, Attrs.NONE, yg, s(1, 2, 6, 1), f(xg, 1, 2, 3), f(wg, 3, 1), f(bg), f(d(0.5), 1, 1));
    double[] gg = {0.2, 0.6, -0.5, 0.3, 0.4, -0.2};   // (hp, h, r, z, n, hn) of step 0
    double r = yg[2];
    double z = yg[3];
    double n = yg[4];
    double dn = (gg[1] * (1 - z) + gg[4]) * (1 - n * n);
    double dz = (gg[1] * (yg[0] - n) + gg[3]) * z * (1 - z);
    double dr = (dn * yg[5] + gg[2]) * r * (1 - r);
    double dhn = dn * r + gg[5];
    double dh = gg[1] * z + gg[0] + dr * wg[0] + dz * wg[1] + dhn * wg[2];
    put(Op.GRU_SCAN_BACKWARD, Attrs.NONE, d(dr, dz, dn, dhn, dh), s(1, 1, 5, 1), f(gg, 1, 1, 6, 1),
        f(java.util.Arrays.copyOf(yg, 6), 1, 1, 6, 1), f(wg, 3, 1));
  }

  /**
   * Two queries (1, 0) against keys (1, 0) with values (2, 4), E = 1, scale 1: query 0's scores are (1, 0), its
   * weights (e, 1)/(e + 1) and its log-sum-exp log(e + 1); query 1's scores are (0, 0). The backward takes a
   * gradient on query 0's output (1) and log-sum-exp (0.5): {@code ds_0j = p_0j·(v_j − out_0 + 0.5)}, and
   * since q_1 = 0 and k_1 = 0, {@code dq = (ds_00, 0)}, {@code dk = (ds_00, ds_01)}, {@code dv = (p_00, p_01)}.
   */
  private static void attention() {
    double e = Math.E;
    double p0 = e / (e + 1);
    double p1 = 1 / (e + 1);
    double out0 = 2 * p0 + 4 * p1;
    Attrs at = Attrs.of(Attrs.SCALE, 1.0, Attrs.CAUSAL, false);
    double[] y = {out0, Math.log(e + 1), 3, LN2};
    Tensor q = f(d(1, 0), 2, 1);
    Tensor v = f(d(2, 4), 2, 1);
    put(Op.ATTENTION, at, y, s(2, 2), q, f(d(1, 0), 2, 1), v);
    double ds00 = p0 * (2 - out0 + 0.5);
    double ds01 = p1 * (4 - out0 + 0.5);
    put(Op.ATTENTION_BACKWARD, at, d(ds00, 0, ds00, ds01, p0, p1), s(6, 1), f(d(1, 0.5, 0, 0), 2, 2), q,
        f(d(1, 0), 2, 1), v, f(y, 2, 2));
  }
}

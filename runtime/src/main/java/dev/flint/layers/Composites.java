package dev.flint.layers;

import dev.flint.ops.Algebra;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The layers' composite math, written once against {@link Algebra}: {@code dev.flint.nn.F} runs it on
 * tensors and the processor traces it into op-table rows (through {@link LayerSpec#forward}), so
 * compiled and eager models compute the same steps and agree to rounding. Shapes are passed in, as
 * an algebra has none.
 */
public final class Composites {
  private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

  private Composites() {}

  /** {@code x · wᵀ} for {@code x: [*, in]} (rank 2 or more) and {@code w: [out, in]}. */
  public static <T> T matmulTransposed(Algebra<T> a, T x, T w) {
    return a.matmul(x, a.permute(w, new int[] {1, 0}));
  }

  /** {@code y + b}, or y when {@code b} is null. */
  public static <T> T bias(Algebra<T> a, T y, T b) {
    return b == null ? y : a.add(y, b);
  }

  /** {@code x·wᵀ + b} for {@code x: [*, in]} (a vector is one row), {@code w: [out, in]}, {@code b: [out]} or null. */
  public static <T> T linear(Algebra<T> a, T x, int[] xShape, T w, int outFeatures, T b) {
    if (xShape.length == 1) {
      T row = a.reshape(x, new int[] {1, xShape[0]});
      return bias(a, a.reshape(matmulTransposed(a, row, w), new int[] {outFeatures}), b);
    }
    return bias(a, matmulTransposed(a, x, w), b);
  }

  /**
   * 2-D convolution of {@code x: [N, C, H, W]} or {@code [C, H, W]} with square filters
   * {@code w: [O, C, k, k]}, plus {@code b: [O]} or null; equal stride and zero padding both ways.
   */
  public static <T> T conv2d(Algebra<T> a, T x, int[] xShape, T w, int outChannels, int kernel, T b, int stride,
      int padding) {
    if (xShape.length == 3) {
      int[] batched = {1, xShape[0], xShape[1], xShape[2]};
      T y = conv2d(a, a.reshape(x, batched), batched, w, outChannels, kernel, b, stride, padding);
      int h = (xShape[1] + 2 * padding - kernel) / stride + 1;
      int wOut = (xShape[2] + 2 * padding - kernel) / stride + 1;
      return a.reshape(y, new int[] {outChannels, h, wOut});
    }
    T y = a.conv2d(x, w, pair(stride), pair(padding));
    return b == null ? y : a.add(y, a.reshape(b, new int[] {1, outChannels, 1, 1}));
  }

  /**
   * 1-D convolution of {@code x: [N, C, L]} or {@code [C, L]} with {@code w: [O, C, k]}, plus {@code b: [O]} or
   * null: the 2-D kernel on a height-1 view ({@code [N, C, 1, L]} with a {@code [O, C, 1, k]} filter, stride
   * and padding along the width only). L must be a known size.
   */
  public static <T> T conv1d(Algebra<T> a, T x, int[] xShape, T w, int outChannels, int kernel, T b, int stride,
      int padding) {
    boolean unbatched = xShape.length == 2;
    int n = unbatched ? 1 : xShape[0];
    int c = xShape[xShape.length - 2];
    int len = xShape[xShape.length - 1];
    T y = a.conv2d(a.reshape(x, new int[] {n, c, 1, len}), a.reshape(w, new int[] {outChannels, c, 1, kernel}),
        new int[] {1, stride}, new int[] {0, padding});
    int out = (len + 2 * padding - kernel) / stride + 1;
    y = a.reshape(y, unbatched ? new int[] {outChannels, out} : new int[] {n, outChannels, out});
    return b == null ? y : a.add(y, a.reshape(b, unbatched ? new int[] {outChannels, 1} : new int[] {1, outChannels, 1}));
  }

  /** The slot of h_t in an LSTM scan's result {@code [B, T, 8, H]} (then c_t), and of h_t in a GRU scan's {@code [B, T, 6, H]}. */
  public static final int LSTM_H = 2;
  public static final int LSTM_C = 3;
  public static final int GRU_H = 1;

  /**
   * A multi-layer LSTM ({@code lstm}) or GRU over {@code x: [B, T, in]} (batch first): per layer {@code k} one
   * product for the input projections of all steps ({@code params} holds {@code W_ih, W_hh, b_ih, b_hh} of
   * each layer in turn), then the fused step loop from the states {@code h0.get(k)} (and {@code c0.get(k)}),
   * each {@code [B, H]}. Returns each layer's scan result ({@code [B, T, 8, H]} or {@code [B, T, 6, H]}); the
   * last one's h slot is the output sequence.
   */
  public static <T> List<T> recurrent(Algebra<T> a, boolean lstm, T x, List<T> params, List<T> h0, List<T> c0,
      int[] xShape, int hidden) {
    List<T> scans = new ArrayList<>();
    T in = x;
    for (int k = 0; k < h0.size(); k++) {
      T wih = params.get(4 * k);
      T whh = params.get(4 * k + 1);
      T bih = params.get(4 * k + 2);
      T bhh = params.get(4 * k + 3);
      T y;
      if (lstm) {
        y = a.lstmScan(bias(a, matmulTransposed(a, in, wih), a.add(bih, bhh)), whh, h0.get(k), c0.get(k));
      } else {
        y = a.gruScan(bias(a, matmulTransposed(a, in, wih), bih), whh, bhh, h0.get(k));
      }
      scans.add(y);
      in = scanSlot(a, y, lstm ? LSTM_H : GRU_H, xShape[0], xShape[1], hidden);
    }
    return scans;
  }

  /**
   * A multi-layer LSTM ({@code lstm}) or GRU with its states, as {@code torch.nn.LSTM}/{@code GRU} return
   * them: {@link #recurrent} from the initial states {@code h0} (and {@code c0}), each {@code [numLayers, B, H]}
   * (layer k's {@code [B, H]} slice starts layer k), or from {@code zero} ({@code [B, H]}) for a state that is
   * null. Returns the output sequence {@code [B, T, H]} and the final states {@code [numLayers, B, H]}: h_n,
   * then c_n for an LSTM. Sizes go through {@code sz} (T may be symbolic).
   */
  public static <T> List<T> recurrentWithStates(Algebra<T> a, Sizes sz, boolean lstm, T x, List<T> params, T h0, T c0,
      Supplier<T> zero, int[] xShape, int hidden) {
    int layers = params.size() / 4;
    int batch = xShape[0];
    int steps = xShape[1];
    List<T> hs = new ArrayList<>();
    List<T> cs = new ArrayList<>();
    T zeros = h0 == null || lstm && c0 == null ? zero.get() : null;
    for (int k = 0; k < layers; k++) {
      hs.add(h0 == null ? zeros : layerState(a, h0, k, batch, hidden));
      cs.add(!lstm ? hs.get(k) : c0 == null ? zeros : layerState(a, c0, k, batch, hidden));
    }
    List<T> scans = recurrent(a, lstm, x, params, hs, cs, xShape, hidden);
    List<T> out = new ArrayList<>();
    out.add(scanSlot(a, scans.get(layers - 1), lstm ? LSTM_H : GRU_H, batch, steps, hidden));
    out.add(finalStates(a, sz, scans, lstm ? LSTM_H : GRU_H, batch, steps, hidden));
    if (lstm) {
      out.add(finalStates(a, sz, scans, LSTM_C, batch, steps, hidden));
    }
    return out;
  }

  /** Layer {@code k}'s slice {@code [B, H]} of a state {@code [numLayers, B, H]}. */
  private static <T> T layerState(Algebra<T> a, T state, int k, int batch, int hidden) {
    return a.reshape(a.narrow(state, 0, k, 1), new int[] {batch, hidden});
  }

  /** Slot {@code slot} of each layer's scan result at the last step, stacked: a final state {@code [numLayers, B, H]}. */
  private static <T> T finalStates(Algebra<T> a, Sizes sz, List<T> scans, int slot, int batch, int steps, int hidden) {
    List<T> last = new ArrayList<>();
    for (T y : scans) {
      T step = a.narrow(a.narrow(y, 1, sz.dims().subtract(steps, 1), 1), 2, slot, 1);
      last.add(a.reshape(step, new int[] {1, batch, hidden}));
    }
    return last.size() == 1 ? last.get(0) : a.cat(last, 0);
  }

  /** Slot {@code slot} of a scan's result {@code y [B, T, slots, H]} over all steps: {@code [B, T, H]}. */
  public static <T> T scanSlot(Algebra<T> a, T y, int slot, int batch, int steps, int hidden) {
    return a.reshape(a.narrow(y, 2, slot, 1), new int[] {batch, steps, hidden});
  }

  /**
   * Attention as its composition, {@code softmax(q·kᵀ·scale + mask)·v} for q {@code [..., T, d]}, k and v
   * {@code [..., S, d]} of one rank; {@code mask} is added to the scores ({@code [..., T, S]} after
   * broadcasting), or null. It materializes the scores: the compiled form of attention.
   */
  public static <T> T attention(Algebra<T> a, T q, T k, T v, int rank, double scale, T mask) {
    int[] swap = new int[rank];
    for (int i = 0; i < rank; i++) {
      swap[i] = i;
    }
    swap[rank - 2] = rank - 1;
    swap[rank - 1] = rank - 2;
    T scores = a.mulScalar(a.matmul(q, a.permute(k, swap)), scale);
    if (mask != null) {
      scores = a.add(scores, mask);
    }
    return a.matmul(a.softmax(scores, rank - 1), v);
  }

  /**
   * Attention as the fused row ({@code Op.ATTENTION}) for q, k and v {@code [..., T|S, d]} of rank {@code rank}:
   * a view of the output columns of its packed result, whose saved state is one log-sum-exp per query row.
   */
  public static <T> T fusedAttention(Algebra<T> a, T q, T k, T v, int rank, int d, double scale, boolean causal) {
    return a.narrow(a.attention(q, k, v, scale, causal), rank - 1, 0, d);
  }

  /**
   * Batch-first multi-head self-attention of {@code x: [B, T, E]} ({@code torch.nn.MultiheadAttention}):
   * one product for the stacked query, key and value projections ({@code inW [3E, E]}, {@code inB [3E]}),
   * {@code heads} heads of {@code E / heads}, {@link #attention} with scale {@code 1/√(E/heads)} and the
   * additive {@code mask} ({@code [B, heads, T, T]} after broadcasting, or null), then the output
   * projection ({@code outW [E, E]}, {@code outB [E]}). Without a mask, or with the {@code causal} one alone
   * ({@code mask} null), the heads run the fused row ({@link #fusedAttention}).
   */
  public static <T> T selfAttention(Algebra<T> a, T x, int[] xShape, int heads, T inW, T inB, T outW, T outB, T mask,
      boolean causal) {
    int b = xShape[0];
    int t = xShape[1];
    int e = xShape[2];
    int d = e / heads;
    T qkv = bias(a, matmulTransposed(a, x, inW), inB);
    int[] split = {b, t, heads, d};
    int[] headsFirst = {0, 2, 1, 3};
    T q = a.permute(a.reshape(a.narrow(qkv, 2, 0, e), split), headsFirst);
    T k = a.permute(a.reshape(a.narrow(qkv, 2, e, e), split), headsFirst);
    T v = a.permute(a.reshape(a.narrow(qkv, 2, 2 * e, e), split), headsFirst);
    T att = mask == null ? fusedAttention(a, q, k, v, 4, d, 1 / Math.sqrt(d), causal)
        : attention(a, q, k, v, 4, 1 / Math.sqrt(d), mask);
    T merged = a.reshape(a.permute(att, headsFirst), new int[] {b, t, e});
    return bias(a, matmulTransposed(a, merged, outW), outB);
  }

  /**
   * Batch-first multi-head attention of {@code query [B, T, E]} over {@code key} and {@code value [B, S, E]}
   * (cross-attention, S may differ from T): the query, key and value projections are the row blocks of
   * {@code inW [3E, E]} and {@code inB [3E]}, each applied to its own input (as the eager module does when the
   * three differ), then the heads as {@link #selfAttention}'s with the additive {@code mask}
   * ({@code [B, heads, T, S]} after broadcasting), or without one the fused row (causal when {@code causal},
   * where S is T), and the output projection.
   */
  public static <T> T crossAttention(Algebra<T> a, T query, T key, T value, int[] qShape, int[] kvShape, int heads,
      T inW, T inB, T outW, T outB, T mask, boolean causal) {
    int b = qShape[0];
    int t = qShape[1];
    int e = qShape[2];
    int s = kvShape[1];
    int d = e / heads;
    int[] headsFirst = {0, 2, 1, 3};
    T q = a.permute(a.reshape(projection(a, query, inW, inB, 0, e), new int[] {b, t, heads, d}), headsFirst);
    T k = a.permute(a.reshape(projection(a, key, inW, inB, 1, e), new int[] {b, s, heads, d}), headsFirst);
    T v = a.permute(a.reshape(projection(a, value, inW, inB, 2, e), new int[] {b, s, heads, d}), headsFirst);
    T att = mask == null ? fusedAttention(a, q, k, v, 4, d, 1 / Math.sqrt(d), causal)
        : attention(a, q, k, v, 4, 1 / Math.sqrt(d), mask);
    T merged = a.reshape(a.permute(att, headsFirst), new int[] {b, t, e});
    return bias(a, matmulTransposed(a, merged, outW), outB);
  }

  /** {@code x} through block {@code i} (0 query, 1 key, 2 value) of the stacked projections {@code inW}, {@code inB}. */
  private static <T> T projection(Algebra<T> a, T x, T inW, T inB, int i, int e) {
    return bias(a, matmulTransposed(a, x, a.narrow(inW, 0, i * e, e)), a.narrow(inB, 0, i * e, e));
  }

  /** GELU: exact {@code x/2·(1 + erf(x/√2))} (one fused row), or PyTorch's tanh approximation. */
  public static <T> T gelu(Algebra<T> a, T x, boolean tanh) {
    if (!tanh) {
      return a.gelu(x);
    }
    T cube = a.mulScalar(a.powScalar(x, 3.0), 0.044715);
    T inner = a.tanh(a.mulScalar(a.add(x, cube), SQRT_TWO_OVER_PI));
    return a.mul(a.mulScalar(x, 0.5), a.addScalar(inner, 1.0));
  }

  /** Inverted dropout: in training, {@code x} times {@code mask} (drawn only then); x itself otherwise or for p = 0. */
  public static <T> T dropout(Algebra<T> a, T x, double p, boolean training, Supplier<T> mask) {
    if (!training || p == 0) {
      return x;
    }
    return p == 1 ? a.mulScalar(x, 0.0) : a.mul(x, mask.get());
  }

  /** Rows of {@code w: [num, dim]} picked by integer {@code indices} of shape {@code s}: {@code [*s, dim]}. */
  public static <T> T embedding(Algebra<T> a, T indices, int[] s, T w, int dim) {
    T rows = a.indexSelect(w, 0, a.reshape(indices, new int[] {-1}));
    int[] out = Arrays.copyOf(s, s.length + 1);
    out[s.length] = dim;
    return a.reshape(rows, out);
  }

  /** The mean over {@code dim} (of size n), kept: a sum and a product with {@code 1/n}. */
  public static <T> T mean(Algebra<T> a, Sizes sz, T x, int dim, int n) {
    T sum = a.sum(x, new int[] {dim}, true);
    return n == 1 ? sum : a.mulScalar(sum, sz.reciprocal(n));
  }

  /** {@code √(var + eps)}. */
  public static <T> T std(Algebra<T> a, T var, double eps) {
    return a.sqrt(a.addScalar(var, eps));
  }

  /**
   * Layer norm's normalization of {@code x} (shape {@code s}) over its trailing {@code normalized}
   * dims: centered and divided by {@code √(biased variance + eps)}; no weight or bias. One fused row
   * ({@code LAYER_NORM}, over the last dim of a view that flattens the normalized dims into one).
   */
  public static <T> T normalizeTrailing(Algebra<T> a, Sizes sz, T x, int[] s, int[] normalized, double eps) {
    int[] flat = Arrays.copyOf(s, s.length - normalized.length + 1);
    flat[flat.length - 1] = sz.dims().numel(normalized);
    return a.reshape(a.layerNorm(a.reshape(x, flat), eps), s);
  }

  /**
   * Layer norm of {@code x} (shape {@code s}) over its trailing {@code normalized} dims, then {@code ·w + b}
   * (each shaped {@code normalized}, or null): with both, one fused row ({@code LAYER_NORM_AFFINE}) over views
   * that flatten the normalized dims into one; otherwise {@link #normalizeTrailing} and {@link #affine}.
   */
  public static <T> T layerNorm(Algebra<T> a, Sizes sz, T x, int[] s, int[] normalized, double eps, T w, T b) {
    if (w == null || b == null) {
      return affine(a, normalizeTrailing(a, sz, x, s, normalized, eps), w, b);
    }
    int[] flat = Arrays.copyOf(s, s.length - normalized.length + 1);
    int m = sz.dims().numel(normalized);
    flat[flat.length - 1] = m;
    T wf = normalized.length == 1 ? w : a.reshape(w, new int[] {m});
    T bf = normalized.length == 1 ? b : a.reshape(b, new int[] {m});
    return a.reshape(a.layerNormAffine(a.reshape(x, flat), wf, bf, eps), s);
  }

  /** {@code y · w + b}, either of which may be null. */
  public static <T> T affine(Algebra<T> a, T y, T w, T b) {
    T scaled = w == null ? y : a.mul(y, w);
    return b == null ? scaled : a.add(scaled, b);
  }

  /** Receives batch norm's batch statistics, to update running ones. */
  public interface BatchStats<T> {
    void update(T mean, T var);
  }

  /**
   * Batch norm's normalization of {@code x3: [N, C, L]} per channel: with the batch's mean and biased
   * variance (handed to {@code stats}, which may be null) when {@code batchStats}, else with the
   * running statistics {@code rm}, {@code rv} ({@code [C]}); no weight or bias.
   */
  public static <T> T batchNormalize(Algebra<T> a, Sizes sz, T x3, int[] s3, boolean batchStats, T rm, T rv,
      double eps, BatchStats<T> stats) {
    int c = s3[1];
    if (batchStats) {
      T mean = mean(a, sz, mean(a, sz, x3, 2, s3[2]), 0, s3[0]);
      T centered = a.sub(x3, mean);
      T var = mean(a, sz, mean(a, sz, a.mul(centered, centered), 2, s3[2]), 0, s3[0]);
      T normalized = a.div(centered, std(a, var, eps));
      if (stats != null) {
        stats.update(mean, var);
      }
      return normalized;
    }
    int[] perChannel = {1, c, 1};
    T centered = a.sub(x3, a.reshape(rm, perChannel));
    return a.div(centered, std(a, a.reshape(rv, perChannel), eps));
  }

  /** {@code x3 · w + b} per channel of {@code [N, C, L]}, with {@code w}, {@code b} ({@code [C]}) either null. */
  public static <T> T channelAffine(Algebra<T> a, T x3, int c, T w, T b) {
    int[] perChannel = {1, c, 1};
    T scaled = w == null ? x3 : a.mul(x3, a.reshape(w, perChannel));
    return b == null ? scaled : a.add(scaled, a.reshape(b, perChannel));
  }

  /** {@code x}'s shape {@code s} as {@code [N, C, L]}: the statistics of batch norm are over dims 0 and 2. */
  public static int[] asNcl(Sizes sz, int[] s) {
    return new int[] {s[0], s[1], sz.dims().numel(Arrays.copyOfRange(s, 2, s.length))};
  }

  /** {@code s} with dims {@code start..end} (normalized, inclusive) merged into one. */
  public static int[] flattened(Sizes sz, int[] s, int start, int end) {
    if (s.length == 0) {
      return new int[] {1};
    }
    int[] out = new int[s.length - (end - start)];
    int merged = sz.dims().numel(Arrays.copyOfRange(s, start, end + 1));
    System.arraycopy(s, 0, out, 0, start);
    out[start] = merged;
    System.arraycopy(s, end + 1, out, start + 1, s.length - end - 1);
    return out;
  }

  /** A dim counted from the end when negative, for a tensor of {@code rank} (a 0-d tensor takes 0 or -1). */
  public static int dim(int d, int rank) {
    int r = Math.max(rank, 1);
    if (d < -r || d >= r) {
      throw new IllegalArgumentException("dimension " + d + " is out of range for a tensor of rank " + rank
          + " (expected a dim in [" + -r + ", " + (r - 1) + "])");
    }
    return d < 0 ? d + r : d;
  }

  static int[] pair(int v) {
    return new int[] {v, v};
  }

}

package dev.flint.compiled;

import dev.flint.kernel.Kernels;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;

/**
 * The parts of layers that are not op rows, shared by eager modules ({@code dev.flint.nn.F}) and
 * generated code so both draw and update the same way: dropout's random mask, leaky ReLU's slopes
 * read from the data, and batch norm's running statistics ({@code dev.flint.layers.LayerContext}).
 */
public final class LayerKernels {
  private LayerKernels() {}

  /**
   * The mask of inverted dropout for {@code x}: 0 with probability {@code p}, else {@code 1/(1-p)}, in
   * x's dtype (FLOAT32 unless FLOAT64), drawn from the default generator in element order, so compiled
   * and eager models agree under the same seed.
   */
  public static Tensor dropoutMask(Tensor x, double p) {
    double keep = 1 / (1 - p);
    Generator g = Generator.defaultGenerator();
    int n = x.numel();
    if (x.dtype() == DType.FLOAT64) {
      double[] m = new double[n];
      for (int i = 0; i < n; i++) {
        m[i] = g.nextDouble() < p ? 0 : keep;
      }
      return Tensor.of(m, x.shape());
    }
    float[] m = new float[n];
    for (int i = 0; i < n; i++) {
      m[i] = g.nextDouble() < p ? 0f : (float) keep;
    }
    return Tensor.of(m, x.shape());
  }

  /**
   * The causal mask of attention scores {@code [..., T, S]} as scores to add: 0 where key {@code j <= i} (top-left
   * aligned, as PyTorch's {@code is_causal}) and -inf elsewhere, {@code [T, S]} in the scores' dtype (FLOAT32 unless
   * FLOAT64). Compiled {@code F.scaledDotProductAttention(q, k, v, true)} adds it before the softmax.
   */
  public static Tensor causalMask(Tensor scores) {
    int t = scores.size(-2);
    int s = scores.size(-1);
    DType dtype = scores.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
    int kind = dtype == DType.FLOAT64 ? 1 : 0;
    Tensor[] byLength = squareCausalMasks[kind];
    if (t == s && t < byLength.length && byLength[t] != null) {
      // generated code only reads it, so a warm step allocates none, at one T or (generation) at every T
      return byLength[t];
    }
    CausalMask last = lastCausalMask;
    if (last != null && last.t() == t && last.s() == s && last.dtype() == dtype) {
      return last.mask();
    }
    Tensor mask = makeCausalMask(t, s, dtype);
    if (t == s && t <= MAX_KEPT_LENGTH) {
      keepSquare(kind, t, mask);
    } else {
      lastCausalMask = new CausalMask(t, s, dtype, mask);
    }
    return mask;
  }

  /** The last causal mask made that is not square or longer than {@link #MAX_KEPT_LENGTH}, for the next call of its shape. */
  private record CausalMask(int t, int s, DType dtype, Tensor mask) {}

  private static volatile CausalMask lastCausalMask;

  /**
   * Square masks are kept for every length used up to this, by dtype (FLOAT32, FLOAT64): at most 2.8 MB of
   * floats when every length occurs (generation with a block of 64 keeps 357 KB).
   */
  private static final int MAX_KEPT_LENGTH = 128;

  /** The square causal masks made so far, indexed by length; replaced (copy on write) when one is added. */
  private static volatile Tensor[][] squareCausalMasks = {new Tensor[0], new Tensor[0]};

  private static synchronized void keepSquare(int kind, int t, Tensor mask) {
    Tensor[][] all = squareCausalMasks.clone();
    Tensor[] byLength = java.util.Arrays.copyOf(all[kind], Math.max(all[kind].length, t + 1));
    byLength[t] = mask;
    all[kind] = byLength;
    squareCausalMasks = all;
  }

  private static Tensor makeCausalMask(int t, int s, DType dtype) {
    if (dtype == DType.FLOAT64) {
      double[] m = new double[t * s];
      for (int i = 0; i < t; i++) {
        for (int j = i + 1; j < s; j++) {
          m[i * s + j] = Double.NEGATIVE_INFINITY;
        }
      }
      return Tensor.of(m, t, s);
    }
    float[] m = new float[t * s];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < s; j++) {
        m[i * s + j] = Float.NEGATIVE_INFINITY;
      }
    }
    return Tensor.of(m, t, s);
  }

  /** A 0-d tensor of {@code value} in {@code like}'s dtype: the fill of a compiled {@code maskedFill}, as the eager one's. */
  public static Tensor fill(Tensor like, double value) {
    Fill last = lastFill;
    if (last != null && last.dtype() == like.dtype() && Double.compare(last.value(), value) == 0) {
      return last.tensor();   // generated code only reads it
    }
    Tensor t = Tensor.scalar(value, like.dtype());
    lastFill = new Fill(like.dtype(), value, t);
    return t;
  }

  /** The last fill made, kept for the next call of the same dtype and value. */
  private record Fill(DType dtype, double value, Tensor tensor) {}

  private static volatile Fill lastFill;

  /** Leaky ReLU's derivative for {@code x}: 1 where x is positive, else {@code slope}; FLOAT64 for FLOAT64 x, else FLOAT32. */
  public static Tensor leakyReluSlopes(Tensor x, double slope) {
    double[] v = x.toDoubleArray();
    if (x.dtype() == DType.FLOAT64) {
      for (int i = 0; i < v.length; i++) {
        v[i] = v[i] > 0 ? 1 : slope;
      }
      return Tensor.of(v, x.shape());
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = v[i] > 0 ? 1f : (float) slope;
    }
    return Tensor.of(f, x.shape());
  }

  /**
   * An attention mask as scores to add, in x's dtype: a BOOL {@code mask} (true where a query may not attend,
   * as {@code torch.nn.MultiheadAttention}'s) as 0 and −∞; a floating one as it is.
   */
  public static Tensor attentionBias(Tensor mask, Tensor x) {
    return attentionBias(mask, x.dtype());
  }

  /** {@link #attentionBias(Tensor, Tensor)} in {@code dtype}. */
  public static Tensor attentionBias(Tensor mask, DType dtype) {
    if (mask.dtype() != DType.BOOL) {
      return mask;
    }
    return Tensor.zeros(dtype, mask.shape()).maskedFill(mask, Double.NEGATIVE_INFINITY);
  }

  /** The causal masks handed out on this thread, by dtype and length. */
  private static final ThreadLocal<java.util.Map<Long, Tensor>> CAUSAL = ThreadLocal.withInitial(java.util.HashMap::new);

  /**
   * The causal mask of {@code x [B, T, E]} as scores to add: {@code [T, T]} in x's dtype, 0 on and below the
   * diagonal, −∞ above. One per thread, dtype and T is handed out again; callers only read it.
   */
  public static Tensor causalBias(Tensor x) {
    int t = x.size(1);
    long key = ((long) x.dtype().ordinal() << 32) | t;
    return CAUSAL.get().computeIfAbsent(key, k -> {
      double[] v = new double[t * t];
      for (int i = 0; i < t; i++) {
        for (int j = i + 1; j < t; j++) {
          v[i * t + j] = Double.NEGATIVE_INFINITY;
        }
      }
      Tensor m = Tensor.of(v, t, t);
      return x.dtype() == DType.FLOAT64 ? m : m.to(x.dtype());
    });
  }

  /** The zero states handed out on this thread, by dtype, batch and width. */
  private static final ThreadLocal<java.util.Map<Long, Tensor>> ZERO_STATES = ThreadLocal.withInitial(java.util.HashMap::new);

  /**
   * Zeros {@code [x.size(0), hidden]} in x's dtype: the initial state of a recurrent layer given none. One
   * tensor per thread, dtype and shape is handed out again on later calls, so a warm compiled step makes
   * none; callers only read it (the scan kernels copy their initial states).
   */
  public static Tensor zeroState(Tensor x, int hidden) {
    long key = ((long) x.dtype().ordinal() << 56) | ((long) x.size(0) << 28) | hidden;
    LastZeroState last = LAST_ZERO_STATE.get();
    if (last.tensor != null && last.key == key) {
      return last.tensor;   // the common case without boxing the key
    }
    Tensor t = ZERO_STATES.get().computeIfAbsent(key, k -> Tensor.zeros(x.dtype(), x.size(0), hidden));
    last.key = key;
    last.tensor = t;
    return t;
  }

  /** The zero state this thread was handed last, and its key. */
  private static final class LastZeroState {
    long key;
    Tensor tensor;
  }

  private static final ThreadLocal<LastZeroState> LAST_ZERO_STATE = ThreadLocal.withInitial(LastZeroState::new);

  /**
   * {@code running = (1 − momentum)·running + momentum·batch} in place, for batch norm's per-channel
   * {@code mean} and biased {@code var} over {@code count} values each: the variance is made unbiased
   * ({@code count / (count − 1)}) first, as PyTorch's.
   */
  public static void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var,
      double momentum, int count) {
    double[] m = mean.toDoubleArray();
    double[] v = var.toDoubleArray();
    double[] rm = runningMean.toDoubleArray();
    double[] rv = runningVar.toDoubleArray();
    double unbias = count / (count - 1.0);
    for (int i = 0; i < rm.length; i++) {
      rm[i] = (1 - momentum) * rm[i] + momentum * m[i];
      rv[i] = (1 - momentum) * rv[i] + momentum * v[i] * unbias;
    }
    Kernels.copy(Tensor.of(rm), runningMean);
    Kernels.copy(Tensor.of(rv), runningVar);
  }

  /** Adds one to batch norm's {@code num_batches_tracked} (a 0-d INT64 tensor). */
  public static void countBatch(Tensor counter) {
    counter.storage().setLong(counter.offset(), counter.getLong() + 1);
  }
}

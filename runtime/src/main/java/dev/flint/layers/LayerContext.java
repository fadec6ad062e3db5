package dev.flint.layers;

/**
 * What a layer's forward needs besides the op algebra: its input's shape, its own parameters and
 * buffers, the training flag, the two masks drawn or read from data (dropout, leaky ReLU) and batch
 * norm's running-statistics update. Eager modules supply it on tensors; the processor on IR values,
 * where the masks, zero states and the update become calls into the runtime ({@code dev.flint.compiled.LayerKernels}).
 */
public interface LayerContext<T> extends Sizes {
  /** The shape of {@code x} (in the processor: with the batch as its stand-in size). */
  int[] shape(T x);

  /** Whether the layer holds the parameter or buffer {@code field} (see {@link LayerSpec#state}). */
  boolean has(String field);

  /** The layer's parameter or buffer {@code field}, which {@link #has} it. */
  T state(String field);

  /** Whether the layer runs in training mode. */
  boolean training();

  /** Inverted dropout's mask for {@code x}: 0 with probability {@code p}, else {@code 1/(1-p)}, from the default generator. */
  T dropoutMask(T x, double p);

  /** Leaky ReLU's slopes for {@code x}: 1 where x is positive, else {@code slope}; a constant of the data. */
  T leakyReluSlopes(T x, double slope);

  /**
   * An attention mask as scores to add, in x's dtype: a BOOL {@code mask} (true where a query may not
   * attend, as {@code torch.nn.MultiheadAttention}'s) as 0 and −∞; a floating one as it is.
   */
  T attentionBias(T mask, T x);

  /** The causal mask of {@code x [B, T, E]} as scores to add: {@code [T, T]}, 0 on and below the diagonal, −∞ above. */
  T causalBias(T x);

  /** Zeros {@code [B, hidden]} in x's dtype, B being x's first dim: a recurrent layer's default initial state. */
  T zeroState(T x, int hidden);

  /**
   * Moves batch norm's running statistics (the layer's {@code runningMean} and {@code runningVar})
   * toward {@code mean} and the biased {@code var} of {@code x3} ({@code [N, C, L]}; the statistics
   * {@code [1, C, 1]}) with {@code momentum}, the variance made unbiased over the N·L values per
   * channel, and counts the batch in {@code numBatchesTracked}.
   */
  void updateRunningStats(T x3, T mean, T var, double momentum);
}

package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}
 * ({@code torch.nn.Embedding}): {@code y[..., :] = weight[index[...], :]}.
 *
 * <p>Shapes: integer indices {@code [*] -> [*, embeddingDim]}; {@code weight: [numEmbeddings,
 * embeddingDim]}, initialised from N(0, 1) as PyTorch does. Gradients add up per row. With a
 * {@code paddingIdx} that row starts at zero and gets no gradient ({@code padding_idx}).
 */
public class Embedding extends Module {
  /** The table {@code [numEmbeddings, embeddingDim]}. */
  public final Tensor weight;
  private final int numEmbeddings;
  private final int embeddingDim;
  private final int paddingIdx;

  /** The {@code paddingIdx} argument that means "no padding row" (PyTorch's {@code padding_idx=None}). */
  public static final int NO_PADDING = Integer.MIN_VALUE;

  public Embedding(int numEmbeddings, int embeddingDim) {
    this(numEmbeddings, embeddingDim, NO_PADDING);
  }

  /**
   * A table whose row {@code paddingIdx} (negative counts from the end, as PyTorch; {@link #NO_PADDING} for
   * none) is initialised to zero and receives no gradient: lookups of the padding token train nothing.
   */
  public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
    if (numEmbeddings <= 0 || embeddingDim <= 0) {
      throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be positive, but got "
          + numEmbeddings + " and " + embeddingDim);
    }
    if (paddingIdx != NO_PADDING && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
      throw new IllegalArgumentException("Embedding: padding_idx must be within num_embeddings (" + numEmbeddings
          + "): in [" + -numEmbeddings + ", " + numEmbeddings + "), but got " + paddingIdx);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx == NO_PADDING ? -1 : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    Tensor table = Init.normal(numEmbeddings, embeddingDim);
    if (this.paddingIdx >= 0) {
      int row = this.paddingIdx * embeddingDim;
      table.storage().fill(row, row + embeddingDim, 0);
    }
    this.weight = registerParameter("weight", table);
  }

  /** The padding row (normalised to {@code [0, numEmbeddings)}), or -1 when there is none. */
  public int paddingIdx() {
    return paddingIdx;
  }

  @Override
  public Tensor forward(Tensor indices) {
    return paddingIdx < 0 ? F.embedding(indices, weight) : F.embedding(indices, weight, paddingIdx);
  }

  @Override
  protected String extraRepr() {
    return numEmbeddings + ", " + embeddingDim + (paddingIdx < 0 ? "" : ", padding_idx=" + paddingIdx);
  }
}

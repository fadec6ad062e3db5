package dev.flint.nn;

import dev.flint.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}
 * ({@code torch.nn.Embedding}): {@code y[..., :] = weight[index[...], :]}.
 *
 * <p>Shapes: integer indices {@code [*] -> [*, embeddingDim]}; {@code weight: [numEmbeddings,
 * embeddingDim]}, initialised from N(0, 1) as PyTorch does. Gradients add up per row.
 */
public class Embedding extends Module {
  /** The table {@code [numEmbeddings, embeddingDim]}. */
  public final Tensor weight;
  private final int numEmbeddings;
  private final int embeddingDim;

  public Embedding(int numEmbeddings, int embeddingDim) {
    if (numEmbeddings <= 0 || embeddingDim <= 0) {
      throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be positive, but got "
          + numEmbeddings + " and " + embeddingDim);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.weight = registerParameter("weight", Init.normal(numEmbeddings, embeddingDim));
  }

  @Override
  public Tensor forward(Tensor indices) {
    return F.embedding(indices, weight);
  }

  @Override
  protected String extraRepr() {
    return numEmbeddings + ", " + embeddingDim;
  }
}

package dev.flint.data;

import java.util.Objects;

/**
 * The samples of another dataset at the given indices, in that order, as
 * {@code torch.utils.data.Subset}. {@link Datasets#randomSplit} returns these.
 */
public final class Subset<T> implements Dataset<T> {
  private final Dataset<T> dataset;
  private final int[] indices;

  /** The samples of {@code dataset} at {@code indices} (copied; each must be in range). */
  public Subset(Dataset<T> dataset, int[] indices) {
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.indices = indices.clone();
    int n = dataset.size();
    for (int k = 0; k < this.indices.length; k++) {
      if (this.indices[k] < 0 || this.indices[k] >= n) {
        throw new IndexOutOfBoundsException("Subset: index " + this.indices[k] + " at position " + k
            + " is out of range for a dataset of " + n + " samples");
      }
    }
  }

  @Override
  public T get(int index) {
    if (index < 0 || index >= indices.length) {
      throw new IndexOutOfBoundsException("index " + index + " is out of range for a subset of " + indices.length + " samples");
    }
    return dataset.get(indices[index]);
  }

  @Override
  public int size() {
    return indices.length;
  }

  /** The underlying dataset. */
  public Dataset<T> dataset() {
    return dataset;
  }

  /** The indices into the underlying dataset (a copy). */
  public int[] indices() {
    return indices.clone();
  }
}

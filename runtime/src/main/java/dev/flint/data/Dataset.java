package dev.flint.data;

/**
 * A collection of samples read by index, as {@code torch.utils.data.Dataset}: {@code get(i)} for
 * {@code 0 <= i < size()}. A dataset may be read from a {@link DataLoader}'s background thread, so
 * {@code get} must not rely on the calling thread.
 *
 * @param <T> the sample type; {@link Sample} for datasets that a {@link DataLoader} batches by default
 */
public interface Dataset<T> {
  /** The sample at {@code index}, for {@code 0 <= index < size()}. */
  T get(int index);

  /** The number of samples. */
  int size();
}

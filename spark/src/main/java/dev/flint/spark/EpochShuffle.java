package dev.flint.spark;

import dev.flint.tensor.Generator;

/**
 * The order in which one epoch visits the samples: a permutation of {@code 0 .. n-1} that depends
 * only on the seed and the epoch, so that every worker, a resumed driver and a single-process
 * reference agree on it. Global batch {@code b} of an epoch is positions
 * {@code [b * batchSize, (b + 1) * batchSize)} of the permutation (the last batch may be smaller).
 */
public final class EpochShuffle {
  private EpochShuffle() {}

  /** The permutation of {@code n} sample ids for {@code epoch} (Fisher-Yates with Flint's {@link Generator}). */
  public static int[] permutation(long seed, int epoch, int n) {
    Generator g = new Generator(seed * 0x9E3779B97F4A7C15L + epoch + 1);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = (int) g.nextLong(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** For each sample id, the number of the global batch it belongs to in this epoch's order. */
  static int[] batchOf(int[] permutation, int batchSize) {
    int[] batch = new int[permutation.length];
    for (int pos = 0; pos < permutation.length; pos++) {
      batch[permutation[pos]] = pos / batchSize;
    }
    return batch;
  }

  /** The number of global batches per epoch (the last may be smaller). */
  static int batchesPerEpoch(long n, int batchSize) {
    return (int) ((n + batchSize - 1) / batchSize);
  }
}

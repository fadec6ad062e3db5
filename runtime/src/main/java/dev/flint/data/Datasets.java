package dev.flint.data;

import dev.flint.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Static helpers for datasets: random splits and permutations, as in {@code torch.utils.data}. */
public final class Datasets {
  private Datasets() {}

  /**
   * Splits {@code dataset} at random into non-overlapping subsets of the given sizes, which must
   * add up to the dataset's size ({@code torch.utils.data.random_split} with lengths).
   */
  public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
    int n = dataset.size();
    long total = 0;
    for (int length : lengths) {
      if (length < 0) {
        throw new IllegalArgumentException("randomSplit: lengths must be non-negative, but got " + Arrays.toString(lengths));
      }
      total += length;
    }
    if (total != n) {
      throw new IllegalArgumentException("randomSplit: the lengths " + Arrays.toString(lengths) + " add up to " + total
          + ", but the dataset has " + n + " samples");
    }
    int[] order = permutation(n, generator);
    List<Subset<T>> out = new ArrayList<>(lengths.length);
    int at = 0;
    for (int length : lengths) {
      out.add(new Subset<>(dataset, Arrays.copyOfRange(order, at, at + length)));
      at += length;
    }
    return out;
  }

  /**
   * Splits {@code dataset} at random into subsets holding these fractions of it, which must add
   * up to 1. As in PyTorch, each subset gets {@code floor(fraction * n)} samples and the remaining
   * ones go one each to the subsets in order, so {@code {0.8, 0.1, 0.1}} of 442 gives 354, 44, 44.
   */
  public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
    double sum = 0;
    for (double f : fractions) {
      if (!(f >= 0 && f <= 1)) {
        throw new IllegalArgumentException("randomSplit: fractions must be in [0, 1], but got " + Arrays.toString(fractions));
      }
      sum += f;
    }
    if (Math.abs(sum - 1) > 1e-9 || fractions.length == 0) {
      throw new IllegalArgumentException("randomSplit: fractions must add up to 1, but " + Arrays.toString(fractions)
          + " add up to " + sum);
    }
    int n = dataset.size();
    int[] lengths = new int[fractions.length];
    int assigned = 0;
    for (int i = 0; i < fractions.length; i++) {
      lengths[i] = (int) Math.floor(n * fractions[i]);
      assigned += lengths[i];
    }
    for (int i = 0; assigned < n; i++, assigned++) {
      lengths[i % lengths.length]++;
    }
    return randomSplit(dataset, lengths, generator);
  }

  /**
   * {@link #randomSplit(Dataset, double[], Generator)} drawn from a generator seeded with {@code seed}
   * ({@code random_split(ds, fractions, generator=torch.Generator().manual_seed(seed))}): the same seed
   * gives the same split.
   */
  public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, long seed) {
    return randomSplit(dataset, fractions, new Generator(seed));
  }

  /** {@link #randomSplit(Dataset, double[], Generator)} with the default generator. */
  public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double... fractions) {
    return randomSplit(dataset, fractions, Generator.defaultGenerator());
  }

  /** A uniformly random permutation of {@code 0 .. n-1} drawn from {@code generator} (Fisher–Yates). */
  public static int[] permutation(int n, Generator generator) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = (int) generator.nextLong(i + 1);
      int tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }
}

package dev.flint.data;

import dev.flint.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Groups a dataset's samples into batches, as {@code torch.utils.data.DataLoader}. Each pass
 * ({@link #iterator()}, one epoch) visits every sample exactly once: in order, or, with
 * {@code shuffle}, in a new random permutation drawn from the loader's {@link Generator} (the
 * default generator unless one is given, so {@code Generator.seedAll} makes runs repeatable).
 * The last batch is smaller when the batch size does not divide the dataset, unless
 * {@code dropLast} drops it.
 *
 * <p>By default the next two batches are prepared on a daemon thread while the current one is
 * used. An exception thrown by the dataset or the collate function there is rethrown to the
 * consumer (wrapped, with the batch number). Breaking out of a for-each loop early is safe: the
 * thread stops when the iterator is closed ({@link BatchIterator} is {@link AutoCloseable}) or,
 * failing that, once the abandoned iterator is garbage-collected.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.builder(trainSet).batchSize(64).shuffle(true).seed(42).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *   for (Batch b : train) { Tensor loss = lossFn.forward(model.forward(b.x()), b.y()); ... }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
  private final int datasetSize;
  private final Function<int[], Batch> loadBatch;
  private final int batchSize;
  private final boolean shuffle;
  private final Generator generator;
  private final boolean dropLast;
  private final boolean background;

  private DataLoader(Builder<?> b) {
    this.datasetSize = b.dataset.size();
    this.loadBatch = b.loader();
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.generator = b.generator;
    this.dropLast = b.dropLast;
    this.background = b.background;
  }

  /** Batches of {@code batchSize} samples in dataset order, stacked by {@link Collate#stack}. */
  public DataLoader(Dataset<? extends Sample> dataset, int batchSize) {
    this(dataset, batchSize, false);
  }

  /**
   * Batches of {@code batchSize} samples stacked by {@link Collate#stack}, shuffled each epoch with
   * the default generator when {@code shuffle} is true ({@code DataLoader(ds, batch_size, shuffle)}).
   */
  public DataLoader(Dataset<? extends Sample> dataset, int batchSize, boolean shuffle) {
    this(builder(dataset).batchSize(batchSize).shuffle(shuffle));
  }

  /** A builder for a loader over samples, batched by {@link Collate#stack} unless another collate is set. */
  @SuppressWarnings("unchecked")
  public static Builder<Sample> builder(Dataset<? extends Sample> dataset) {
    // A Dataset<? extends Sample> only produces Samples, so reading it as a Dataset<Sample> is safe.
    return new Builder<>((Dataset<Sample>) dataset, Collate::stack);
  }

  /** A builder for a loader over any sample type, turned into batches by {@code collate}. */
  public static <T> Builder<T> builder(Dataset<T> dataset, Function<? super List<T>, Batch> collate) {
    return new Builder<>(dataset, collate);
  }

  /** The number of batches in one epoch. */
  public int size() {
    return dropLast ? datasetSize / batchSize : (datasetSize + batchSize - 1) / batchSize;
  }

  /** The number of samples per batch (the last one may have fewer unless dropLast). */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Starts an epoch: draws the sample order now (on the calling thread, so the generator is used
   * deterministically) and, in background mode, starts the thread that prepares batches.
   * Close the iterator when leaving a loop early to stop that thread at once.
   */
  @Override
  public BatchIterator iterator() {
    int[] order = shuffle ? Datasets.permutation(datasetSize, generator) : identity(datasetSize);
    List<int[]> batches = new ArrayList<>(size());
    for (int start = 0; start < datasetSize; start += batchSize) {
      int end = Math.min(start + batchSize, datasetSize);
      if (end - start < batchSize && dropLast) {
        break;
      }
      batches.add(Arrays.copyOfRange(order, start, end));
    }
    return background ? new Prefetcher.Consumer(new Prefetcher(batches, loadBatch)) : new Direct(batches, loadBatch);
  }

  private static int[] identity(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }

  /** An epoch's iterator over batches; {@link #close()} stops its background thread early. */
  public interface BatchIterator extends Iterator<Batch>, AutoCloseable {
    /** Stops preparing batches; later calls to {@code hasNext()} return false. Idempotent. */
    @Override
    void close();
  }

  // Loads each batch on the consumer's thread when asked (background(false)).
  private static final class Direct implements BatchIterator {
    private final List<int[]> batches;
    private final Function<int[], Batch> load;
    private int next;
    private boolean closed;

    Direct(List<int[]> batches, Function<int[], Batch> load) {
      this.batches = batches;
      this.load = load;
    }

    @Override
    public boolean hasNext() {
      return !closed && next < batches.size();
    }

    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the epoch has no more batches");
      }
      return load.apply(batches.get(next++));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /**
   * Configures a {@link DataLoader}: batch size (default 1), shuffle (default off), the generator
   * that shuffles (default: {@link Generator#defaultGenerator()}), dropLast (default off), the
   * collate function and whether batches are prepared on a background thread (default on).
   */
  public static final class Builder<T> {
    private final Dataset<T> dataset;
    private Function<? super List<T>, Batch> collate;
    private int batchSize = 1;
    private boolean shuffle;
    private Generator generator = Generator.defaultGenerator();
    private boolean dropLast;
    private boolean background = true;

    private Builder(Dataset<T> dataset, Function<? super List<T>, Batch> collate) {
      this.dataset = Objects.requireNonNull(dataset, "dataset");
      this.collate = Objects.requireNonNull(collate, "collate");
    }

    /** Samples per batch, at least 1. */
    public Builder<T> batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, but got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Whether each epoch visits the samples in a new random order. */
    public Builder<T> shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Shuffles with this generator (its state advances by one permutation per epoch). */
    public Builder<T> generator(Generator generator) {
      this.generator = Objects.requireNonNull(generator, "generator");
      return this;
    }

    /** Shuffles with a new generator of this seed: the same seed gives the same epochs. */
    public Builder<T> seed(long seed) {
      return generator(new Generator(seed));
    }

    /** Whether to drop the last batch when it is smaller than the batch size. */
    public Builder<T> dropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    /** How a list of samples becomes a batch. */
    public Builder<T> collate(Function<? super List<T>, Batch> collate) {
      this.collate = Objects.requireNonNull(collate, "collate");
      return this;
    }

    /** Whether batches are prepared ahead on a daemon thread (true) or on demand by the consumer (false). */
    public Builder<T> background(boolean background) {
      this.background = background;
      return this;
    }

    public DataLoader build() {
      return new DataLoader(this);
    }

    private Function<int[], Batch> loader() {
      Dataset<T> ds = dataset;
      Function<? super List<T>, Batch> fn = collate;
      return indices -> {
        List<T> samples = new ArrayList<>(indices.length);
        for (int i : indices) {
          samples.add(ds.get(i));
        }
        Batch batch = fn.apply(samples);
        if (batch == null) {
          throw new IllegalStateException("the collate function returned null for a batch of " + indices.length + " samples");
        }
        return batch;
      };
    }
  }
}

package dev.flint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
  /** n samples: x_i = [i, 10 i] (float), y_i = i (int64), so each batch says which samples it holds. */
  static TensorDataset numbered(int n) {
    float[] x = new float[2 * n];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = 10 * i;
      y[i] = i;
    }
    return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y));
  }

  /** The sample ids of each batch of one epoch, checking that x agrees with y. */
  static List<long[]> epoch(DataLoader loader) {
    List<long[]> out = new ArrayList<>();
    for (Batch b : loader) {
      long[] ids = b.y().toLongArray();
      float[] x = b.x().toFloatArray();
      assertArrayEquals(new int[] {ids.length, 2}, b.x().shape());
      assertEquals(ids.length, b.size());
      for (int i = 0; i < ids.length; i++) {
        assertEquals(ids[i], x[2 * i]);
        assertEquals(10 * ids[i], x[2 * i + 1]);
      }
      out.add(ids);
    }
    return out;
  }

  static long[] flat(List<long[]> batches) {
    return batches.stream().flatMapToLong(Arrays::stream).toArray();
  }

  static long[] range(int n) {
    return IntStream.range(0, n).asLongStream().toArray();
  }

  @Test
  void inOrderWithoutShuffleAndLastBatchSmaller() {
    DataLoader loader = new DataLoader(numbered(10), 4);
    assertEquals(3, loader.size());
    List<long[]> batches = epoch(loader);
    assertEquals(List.of(4, 4, 2), batches.stream().map(b -> b.length).toList());
    assertArrayEquals(range(10), flat(batches));
  }

  @Test
  void shuffleVisitsEverySampleOncePerEpochInANewOrder() {
    DataLoader loader = DataLoader.builder(numbered(23)).batchSize(5).shuffle(true).seed(42).build();
    long[] first = null;
    for (int e = 0; e < 4; e++) {
      long[] order = flat(epoch(loader));
      long[] sorted = order.clone();
      Arrays.sort(sorted);
      assertArrayEquals(range(23), sorted, "every sample exactly once in epoch " + e);
      assertFalse(Arrays.equals(range(23), order), "shuffled");
      if (first != null) {
        assertFalse(Arrays.equals(first, order), "epoch " + e + " has a new order");
      }
      first = order;
    }
  }

  @Test
  void sameSeedSameOrdersDifferentSeedDifferent() {
    DataLoader a = DataLoader.builder(numbered(30)).batchSize(7).shuffle(true).seed(5).build();
    DataLoader b = DataLoader.builder(numbered(30)).batchSize(7).shuffle(true).seed(5).build();
    DataLoader c = DataLoader.builder(numbered(30)).batchSize(7).shuffle(true).seed(6).build();
    for (int e = 0; e < 3; e++) {
      long[] oa = flat(epoch(a));
      assertArrayEquals(oa, flat(epoch(b)));
      assertFalse(Arrays.equals(oa, flat(epoch(c))));
    }
    // the order is the generator's permutation, batched in sequence
    assertArrayEquals(Arrays.stream(Datasets.permutation(30, new Generator(5))).asLongStream().toArray(),
        flat(epoch(DataLoader.builder(numbered(30)).batchSize(7).shuffle(true).seed(5).build())));
  }

  @Test
  void shuffleWithoutAGeneratorFollowsTheDefaultGenerator() {
    DataLoader loader = new DataLoader(numbered(20), 6, true);
    Generator.seedAll(123);
    long[] first = flat(epoch(loader));
    Generator.seedAll(123);
    assertArrayEquals(first, flat(epoch(loader)));
  }

  @Test
  void dropLastDropsOnlyAnIncompleteLastBatch() {
    DataLoader loader = DataLoader.builder(numbered(10)).batchSize(4).dropLast(true).shuffle(true).seed(1).build();
    assertEquals(2, loader.size());
    List<long[]> batches = epoch(loader);
    assertEquals(List.of(4, 4), batches.stream().map(b -> b.length).toList());
    long[] seen = flat(batches);
    assertEquals(8, Arrays.stream(seen).distinct().count());

    DataLoader exact = DataLoader.builder(numbered(12)).batchSize(4).dropLast(true).build();
    assertEquals(3, exact.size());
    assertArrayEquals(range(12), flat(epoch(exact)));
    assertEquals(0, DataLoader.builder(numbered(3)).batchSize(4).dropLast(true).build().size());
    assertEquals(0, epoch(DataLoader.builder(numbered(3)).batchSize(4).dropLast(true).build()).size());
  }

  @Test
  void defaultCollateCopiesStridedSamplesIntoOneContiguousBatch() {
    // x is the transpose of a [3, 4] storage: rows are strided views
    Storage s = Storage.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    Tensor x = Internals.view(s, 0, new int[] {4, 3}, new int[] {1, 4}); // x[i] = [i, i+4, i+8]
    TensorDataset ds = new TensorDataset(x, Tensor.of(new boolean[] {true, false, true, false}));
    Batch b = DataLoader.builder(ds).batchSize(3).build().iterator().next();
    assertEquals(DType.FLOAT64, b.x().dtype());
    assertTrue(b.x().isContiguous());
    assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10}, b.x().toDoubleArray());
    assertArrayEquals(new boolean[] {true, false, true}, b.y().toBooleanArray());
    assertArrayEquals(new int[] {3}, b.y().shape());
  }

  @Test
  void samplesWithoutTargetsGiveBatchesWithoutTargets() {
    Batch b = new DataLoader(new TensorDataset(Tensor.ones(5, 2, 2)), 5).iterator().next();
    assertArrayEquals(new int[] {5, 2, 2}, b.x().shape());
    assertNull(b.y());
  }

  @Test
  void customCollateOverAnyDataset() {
    Dataset<String> words = new Dataset<>() {
      final String[] w = {"a", "bb", "ccc", "dddd", "eeeee"};

      @Override
      public String get(int index) {
        return w[index];
      }

      @Override
      public int size() {
        return w.length;
      }
    };
    DataLoader loader = DataLoader.builder(words, (List<String> batch) -> {
      float[] lengths = new float[batch.size()];
      for (int i = 0; i < lengths.length; i++) {
        lengths[i] = batch.get(i).length();
      }
      return new Batch(Tensor.of(lengths), null);
    }).batchSize(2).build();
    List<float[]> out = new ArrayList<>();
    for (Batch b : loader) {
      out.add(b.x().toFloatArray());
    }
    assertEquals(3, out.size());
    assertArrayEquals(new float[] {1, 2}, out.get(0));
    assertArrayEquals(new float[] {5}, out.get(2));
  }

  @Test
  void collateErrorsNameBothSamples() {
    Dataset<Sample> ragged = new Dataset<>() {
      @Override
      public Sample get(int index) {
        return Sample.of(Tensor.zeros(index + 1));
      }

      @Override
      public int size() {
        return 2;
      }
    };
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> DataLoader.builder(ragged).batchSize(2).background(false).build().iterator().next());
    assertEquals("collate: every x in a batch must have the same shape and dtype, but sample 0 has f32[1] and sample 1 has f32[2]",
        e.getMessage());
  }

  @Test
  void backgroundAndDirectLoadingAgree() {
    DataLoader bg = DataLoader.builder(numbered(17)).batchSize(4).shuffle(true).seed(9).build();
    DataLoader direct = DataLoader.builder(numbered(17)).batchSize(4).shuffle(true).seed(9).background(false).build();
    for (int e = 0; e < 2; e++) {
      assertArrayEquals(flat(epoch(bg)), flat(epoch(direct)));
    }
  }

  @Test
  void batchesArePreparedOnAnotherThreadAtMostTwoAhead() throws InterruptedException {
    AtomicInteger loaded = new AtomicInteger();
    List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    Dataset<Sample> counting = new Dataset<>() {
      @Override
      public Sample get(int index) {
        loaded.incrementAndGet();
        threads.add(Thread.currentThread().getName());
        return new Sample(Tensor.scalar(index), Tensor.scalar(index));
      }

      @Override
      public int size() {
        return 100;
      }
    };
    try (DataLoader.BatchIterator it = new DataLoader(counting, 1).iterator()) {
      it.next();
      for (int i = 0; i < 200 && loaded.get() < 3; i++) {
        Thread.sleep(10); // the loader fills the queue while we wait
      }
      Thread.sleep(200);
      // one taken, two queued, and at most one more loaded and waiting to be queued
      assertTrue(loaded.get() <= 4, "loaded " + loaded.get() + " samples ahead");
      assertTrue(loaded.get() >= 3, "loaded only " + loaded.get());
    }
    assertTrue(threads.stream().allMatch(n -> n.startsWith("flint-data-loader-")), threads.toString());
  }

  @Test
  void exceptionsOnTheLoaderThreadReachTheConsumer() {
    IllegalStateException boom = new IllegalStateException("sample 9 is corrupt");
    Dataset<Sample> failing = new Dataset<>() {
      @Override
      public Sample get(int index) {
        if (index == 9) {
          throw boom;
        }
        return new Sample(Tensor.scalar(index), Tensor.scalar(index));
      }

      @Override
      public int size() {
        return 12;
      }
    };
    DataLoader loader = new DataLoader(failing, 4);
    DataLoader.BatchIterator it = loader.iterator();
    it.next();
    it.next();
    RuntimeException e = assertThrows(RuntimeException.class, it::next);
    assertSame(boom, e.getCause());
    assertEquals("DataLoader: preparing batch 3 of 3 failed on the loader thread: java.lang.IllegalStateException: sample 9 is corrupt",
        e.getMessage());
    assertFalse(it.hasNext(), "the epoch ends after a failure");
  }

  @Test
  void closingAnIteratorEarlyStopsItsThread() throws InterruptedException {
    DataLoader loader = new DataLoader(numbered(1000), 1);
    String name;
    try (DataLoader.BatchIterator it = loader.iterator()) {
      it.next();
      name = newestLoaderThread();
      assertTrue(name != null && isAlive(name));
    }
    awaitGone(name);
  }

  @Test
  void anAbandonedIteratorsThreadStopsOnceCollected() throws InterruptedException {
    DataLoader loader = new DataLoader(numbered(1000), 1);
    for (Batch b : loader) {
      if (b.y().getLong(0) == 2) {
        break; // the usual early exit: nobody closes the iterator
      }
    }
    String name = newestLoaderThread();
    assertTrue(name != null && isAlive(name), "the loader thread waits for its abandoned consumer");
    for (int i = 0; i < 100 && isAlive(name); i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertFalse(isAlive(name), name + " still runs after its iterator was dropped");
  }

  private static String newestLoaderThread() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("flint-data-loader-"))
        .max((a, b) -> Integer.compare(number(a), number(b))).orElse(null);
  }

  private static int number(String name) {
    return Integer.parseInt(name.substring("flint-data-loader-".length()));
  }

  private static boolean isAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  private static void awaitGone(String name) throws InterruptedException {
    for (int i = 0; i < 100 && isAlive(name); i++) {
      Thread.sleep(20);
    }
    assertFalse(isAlive(name), name + " still runs after close()");
  }
}

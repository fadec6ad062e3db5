package dev.flint.data;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Prepares one epoch's batches on a daemon thread, at most {@value #AHEAD} ahead of the consumer.
 * The producer never blocks indefinitely: it offers each batch with a timeout and checks whether
 * the consumer has gone (closed the iterator, or dropped it and let the garbage collector clean
 * it), so an abandoned epoch does not leave a thread behind.
 */
final class Prefetcher implements Runnable {
  static final int AHEAD = 2;
  private static final long POLL_MILLIS = 50;
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Cleaner CLEANER = Cleaner.create();

  private static final Object END = new Object();

  /** What the producer hands over when the dataset or the collate function threw. */
  private static final class Failure {
    final int batch;
    final Throwable cause;

    Failure(int batch, Throwable cause) {
      this.batch = batch;
      this.cause = cause;
    }
  }

  private final List<int[]> batches;
  private final Function<int[], Batch> load;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
  private final Thread thread;
  private volatile boolean cancelled;

  Prefetcher(List<int[]> batches, Function<int[], Batch> load) {
    this.batches = batches;
    this.load = load;
    this.thread = new Thread(this, "flint-data-loader-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
  }

  @Override
  public void run() {
    for (int i = 0; i < batches.size(); i++) {
      Object item;
      try {
        item = load.apply(batches.get(i));
      } catch (Throwable t) {
        offer(new Failure(i, t));
        return;
      }
      if (!offer(item)) {
        return;
      }
    }
    offer(END);
  }

  // Hands an item to the consumer; false when the consumer has gone.
  private boolean offer(Object item) {
    try {
      while (!cancelled) {
        if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      // cancelled by close()
    }
    return false;
  }

  void cancel() {
    cancelled = true;
    thread.interrupt();
  }

  /** The consumer's side: an epoch's iterator that takes the prepared batches in order. */
  static final class Consumer implements DataLoader.BatchIterator {
    private final Prefetcher producer;
    private final int total;
    private final Cleaner.Cleanable cleanable;
    private int taken;
    private Batch pending;
    private boolean finished;

    Consumer(Prefetcher producer) {
      this.producer = producer;
      this.total = producer.batches.size();
      // The action holds the producer, never this iterator, so an abandoned iterator can be collected.
      this.cleanable = CLEANER.register(this, producer::cancel);
      producer.thread.start();
    }

    @Override
    public boolean hasNext() {
      if (pending != null) {
        return true;
      }
      if (finished) {
        return false;
      }
      Object item = take();
      if (item == END) {
        close();
        return false;
      }
      if (item instanceof Failure) {
        close();
        Failure f = (Failure) item;
        throw new RuntimeException("DataLoader: preparing batch " + (f.batch + 1) + " of " + total
            + " failed on the loader thread: " + f.cause, f.cause);
      }
      pending = (Batch) item;
      return true;
    }

    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the epoch has no more batches");
      }
      Batch b = pending;
      pending = null;
      taken++;
      return b;
    }

    private Object take() {
      try {
        while (true) {
          Object item = producer.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
          if (item != null) {
            return item;
          }
          if (!producer.thread.isAlive() && producer.queue.isEmpty()) {
            close();
            throw new IllegalStateException("DataLoader: the loader thread stopped after " + taken + " of " + total
                + " batches without an error or an end marker");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + (taken + 1) + " of " + total, e);
      }
    }

    @Override
    public void close() {
      finished = true;
      pending = null;
      cleanable.clean(); // runs producer.cancel() once
    }
  }
}

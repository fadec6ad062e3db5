package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel pool: every index of a range runs exactly once, on the caller and the workers, back to
 * back and after the workers parked; a body's exception reaches the caller; ranges started inside a
 * range or from several threads at once still run every index once; resizing the pool works.
 */
class ParallelTest {
  private int before;

  @BeforeEach
  void threeThreads() {
    before = Parallel.threads();
    Parallel.setThreads(3);
  }

  @AfterEach
  void restore() {
    Parallel.setThreads(before);
  }

  @Test
  void everyIndexRunsExactlyOnceAndTheWorkIsShared() throws InterruptedException {
    Set threadsSeen = new Set();
    for (int round = 0; round < 2000; round++) {
      int n = 1 + round % 37;
      AtomicIntegerArray hits = new AtomicIntegerArray(n);
      Parallel.forRange(n, Long.MAX_VALUE, (from, to) -> {
        threadsSeen.add(Thread.currentThread().getName());
        for (int i = from; i < to; i++) {
          hits.incrementAndGet(i);
          spin(2_000);
        }
      });
      for (int i = 0; i < n; i++) {
        assertEquals(1, hits.get(i), "index " + i + " of " + n + " in round " + round);
      }
      if (round % 500 == 0) {
        Thread.sleep(5);   // long enough for the workers to stop spinning and park
      }
    }
    assertTrue(threadsSeen.size() > 1, "only " + threadsSeen + " ran chunks");
  }

  @Test
  void smallWorkStaysOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    Parallel.forRange(100, Parallel.MIN_SPLIT_WORK - 1, (from, to) -> {
      assertSame(caller, Thread.currentThread());
      assertEquals(0, from);
      assertEquals(100, to);
    });
  }

  @Test
  void aBodysExceptionReachesTheCaller() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () ->
        Parallel.forRange(8, Long.MAX_VALUE, (from, to) -> {
          if (from > 0) {
            throw new IllegalStateException("chunk " + from);
          }
        }));
    assertTrue(e.getMessage().startsWith("chunk "), e.getMessage());
    // and the pool still works afterwards
    AtomicInteger sum = new AtomicInteger();
    Parallel.forRange(10, Long.MAX_VALUE, (from, to) -> sum.addAndGet(to - from));
    assertEquals(10, sum.get());
  }

  @Test
  void nestedAndConcurrentRangesRunEveryIndexOnce() throws InterruptedException {
    int callers = 4;
    AtomicIntegerArray hits = new AtomicIntegerArray(callers * 16 * 16);
    CountDownLatch start = new CountDownLatch(1);
    Thread[] ts = new Thread[callers];
    AtomicInteger failures = new AtomicInteger();
    for (int c = 0; c < callers; c++) {
      int base = c * 256;
      ts[c] = new Thread(() -> {
        try {
          start.await();
          for (int rep = 0; rep < 50; rep++) {
            Parallel.forRange(16, Long.MAX_VALUE, (from, to) -> {
              for (int i = from; i < to; i++) {
                int row = i;
                Parallel.forRange(16, Long.MAX_VALUE, (f2, t2) -> {
                  for (int j = f2; j < t2; j++) {
                    hits.incrementAndGet(base + row * 16 + j);
                  }
                });
              }
            });
          }
        } catch (Throwable e) {
          failures.incrementAndGet();
        }
      });
      ts[c].start();
    }
    start.countDown();
    for (Thread t : ts) {
      t.join();
    }
    assertEquals(0, failures.get());
    for (int i = 0; i < hits.length(); i++) {
      assertEquals(50, hits.get(i), "index " + i);
    }
  }

  @Test
  void resizingThePoolKeepsRangesCorrect() {
    for (int threads : new int[] {1, 2, 4, 2}) {
      Parallel.setThreads(threads);
      AtomicIntegerArray hits = new AtomicIntegerArray(64);
      Parallel.forRange(64, Long.MAX_VALUE, (from, to) -> {
        for (int i = from; i < to; i++) {
          hits.incrementAndGet(i);
        }
      });
      for (int i = 0; i < 64; i++) {
        assertEquals(1, hits.get(i), threads + " threads, index " + i);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
  }

  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  /** A thread-safe set of names. */
  private static final class Set {
    private final ConcurrentHashMap<String, Boolean> map = new ConcurrentHashMap<>();

    void add(String s) {
      map.put(s, Boolean.TRUE);
    }

    int size() {
      return map.size();
    }

    @Override
    public String toString() {
      return map.keySet().toString();
    }
  }
}

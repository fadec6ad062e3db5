package dev.flint.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** BufferPool's lending protocol and Note [Lent buffers]. */
class BufferPoolTest {
  @Test
  void aSetGivenBackIsTheNextClaimAndALentSetIsNot() {
    BufferPool pool = new BufferPool(3);
    Tensor[] first = pool.claim();
    assertEquals(3, first.length);
    Tensor[] whileLent = pool.claim();
    assertNotSame(first, whileLent, "a set still held by a live graph is never handed out twice");
    pool.giveBack(first);
    assertSame(first, pool.claim());
  }

  @Test
  void aLentViewReadsUntilTheBufferIsReclaimedThenRefuses() {
    Tensor buf = Buffers.reuse(null, DType.FLOAT32, 3);
    buf.storage().floats()[1] = 5;
    Tensor out = Internals.lend(buf);
    Tensor kept = out.clone();
    Tensor view = out.detach();
    assertEquals(5, out.get(1));
    assertSame(buf, Buffers.reuse(buf, DType.FLOAT32, 3), "the same buffer is reused");
    buf.storage().floats()[1] = 9;   // the next step writes it
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> out.get(1));
    assertTrue(e.getMessage().contains("reused its memory for a later forward"), e.getMessage());
    assertTrue(e.getMessage().contains("clone()"), e.getMessage());
    assertThrows(IllegalStateException.class, view::toFloatArray);
    assertThrows(IllegalStateException.class, out::toString);
    assertArrayEquals(new float[] {0, 5, 0}, kept.toFloatArray());
    assertArrayEquals(new float[] {0, 9, 0}, Internals.lend(buf).toFloatArray(), "a new lend reads the new values");
  }

  @Test
  void aBufferNeverLentIsReusedWithoutInvalidatingAnything() {
    Tensor buf = Buffers.reuse(null, DType.FLOAT64, 2, 2);
    Tensor alias = buf.detach();
    Buffers.reuse(buf, DType.FLOAT64, 2, 2);
    assertEquals(0, alias.get(1, 1));
  }

  @Test
  void threadsClaimingAtOnceNeverShareASet() throws Exception {
    BufferPool pool = new BufferPool(1);
    Tensor[] marks = {Tensor.zeros(1), Tensor.zeros(1), Tensor.zeros(1), Tensor.zeros(1)};
    java.util.concurrent.atomic.AtomicInteger shared = new java.util.concurrent.atomic.AtomicInteger();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      Tensor mine = marks[t];
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 200_000; i++) {
          Tensor[] set = pool.claim();
          set[0] = mine;
          Thread.onSpinWait();
          if (set[0] != mine) {
            shared.incrementAndGet();   // another thread wrote into the set this one holds
          }
          pool.giveBack(set);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(0, shared.get(), "claims that handed one set to two threads");
  }

  @Test
  void aSetGivenBackOnOneThreadIsNeverClaimedByAnother() throws Exception {
    // a backward pass gives its set back while the engine may still hold a gradient in it; only a
    // later forward on the same thread may take it
    BufferPool pool = new BufferPool(1);
    Tensor[] given = pool.claim();
    pool.giveBack(given);
    Tensor[][] claimedElsewhere = new Tensor[1][];
    Thread other = new Thread(() -> claimedElsewhere[0] = pool.claim());
    other.start();
    other.join();
    assertNotSame(given, claimedElsewhere[0]);
    assertSame(given, pool.claim());
  }
}

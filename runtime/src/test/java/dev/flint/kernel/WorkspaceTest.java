package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkspaceTest {
  @Test
  void aSlotIsReusedAndGrowsOnDemand() {
    Tensor a = Workspace.get(DType.FLOAT32, 0, 1000);
    assertTrue(a.numel() >= 1000);
    assertEquals(DType.FLOAT32, a.dtype());
    // A smaller request is served from the same array; a bigger one replaces it.
    assertSame(a.storage().floats(), Workspace.get(DType.FLOAT32, 0, 10).storage().floats());
    Tensor bigger = Workspace.get(DType.FLOAT32, 0, 5000);
    assertTrue(bigger.numel() >= 5000);
    assertSame(bigger.storage().floats(), Workspace.get(DType.FLOAT32, 0, 4000).storage().floats());
    Tensor d = Workspace.get(DType.FLOAT64, 0, 100);
    assertEquals(DType.FLOAT64, d.dtype());
    assertSame(d.storage().doubles(), Workspace.get(DType.FLOAT64, 0, 50).storage().doubles());
  }

  @Test
  void slotsAndThreadsAreSeparate() throws InterruptedException {
    float[] s0 = Workspace.get(DType.FLOAT32, 0, 64).storage().floats();
    float[] s1 = Workspace.get(DType.FLOAT32, 1, 64).storage().floats();
    assertNotSame(s0, s1);
    AtomicReference<float[]> other = new AtomicReference<>();
    Thread t = new Thread(() -> other.set(Workspace.get(DType.FLOAT32, 0, 64).storage().floats()));
    t.start();
    t.join();
    assertNotSame(s0, other.get());
  }

  @Test
  void oversizedRequestsAreNotKept() {
    float[] kept = Workspace.get(DType.FLOAT32, 2, 16).storage().floats();
    Tensor huge = Workspace.get(DType.FLOAT32, 2, Workspace.MAX_KEPT + 1);
    assertEquals(Workspace.MAX_KEPT + 1, huge.numel());
    assertSame(kept, Workspace.get(DType.FLOAT32, 2, 16).storage().floats());
  }

  @Test
  void otherDtypesAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workspace.get(DType.INT64, 0, 4));
    assertTrue(e.getMessage().contains("INT64"), e.getMessage());
  }
}

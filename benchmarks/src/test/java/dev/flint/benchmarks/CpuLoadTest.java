package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuLoadTest {
  @Test
  void busyTicksAreUserNiceSystemIrqSoftirq() {
    // fields: user nice system idle iowait irq softirq steal ...
    assertEquals(1 + 2 + 3 + 6 + 7, CpuLoad.parseBusyTicks("cpu  1 2 3 4 5 6 7 8 0 0"));
  }

  @Test
  void rejectsAPerCoreLine() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CpuLoad.parseBusyTicks("cpu0 1 2 3 4 5 6 7 8"));
    assertTrue(e.getMessage().contains("aggregate 'cpu' line"), e.getMessage());
  }

  @Test
  void ownBusyLoopIsNotCountedAsForeign() {
    if (!CpuLoad.available()) {
      return; // not Linux: nothing to read
    }
    CpuLoad.Window w = new CpuLoad.Window();
    long end = System.nanoTime() + 300_000_000L;
    double x = 0;
    while (System.nanoTime() < end) {
      x += Math.sqrt(x + 1);
    }
    double foreign = w.foreignCpus();
    // our own busy loop took ~1 CPU; on a machine with other load the foreign share may be > 0,
    // but it can never include our second of work on top of the machine's cores
    assertTrue(foreign >= 0 && foreign <= Runtime.getRuntime().availableProcessors(), "foreign " + foreign + " x " + x);
  }
}

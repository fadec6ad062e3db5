package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllocationMeterTest {
  private static volatile Object sink;

  @Test
  void countsTheBytesOfAKnownAllocation() {
    // a long[1000] is 8000 bytes of payload plus a 16-byte header (compressed class pointers)
    double bytes = AllocationMeter.create().bytesPerCall(() -> sink = new long[1000], 100, 50);
    assertTrue(bytes >= 8000 && bytes <= 8032, "long[1000] should take about 8016 bytes, measured " + bytes);
  }

  @Test
  void reportsZeroForCodeThatDoesNotAllocate() {
    long[] a = new long[16];
    double bytes = AllocationMeter.create().bytesPerCall(() -> a[3]++, 10_000, 1000);
    assertEquals(0.0, bytes);
  }

  @Test
  void rejectsZeroCalls() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AllocationMeter.create().bytesPerCall(() -> {}, 0, 0));
    assertTrue(e.getMessage().contains("calls must be >= 1"), e.getMessage());
  }
}

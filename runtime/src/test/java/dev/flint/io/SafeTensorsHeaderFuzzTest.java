package dev.flint.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * The safetensors JSON header parser on its own, without file I/O (so the fuzzer runs many more
 * inputs a second than through a file): the first two bytes of an input are the size of the data
 * section (little-endian), the rest is the header text. Whatever the bytes, parsing returns entries
 * that tile the data section or throws a {@link SafeTensorsException} with a message.
 */
class SafeTensorsHeaderFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void parse(byte[] bytes) {
    if (bytes.length < 2) {
      return;
    }
    long dataBytes = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8;
    byte[] header = Arrays.copyOfRange(bytes, 2, bytes.length);
    try {
      SafeTensorsHeader h = SafeTensorsHeader.parse("fuzz", header, dataBytes);
      long used = 0;
      for (SafeTensorsHeader.Entry e : h.entries) {
        assertTrue(e.begin >= 0 && e.end <= dataBytes && e.numel >= 0, "entry outside the data section");
        used += e.end - e.begin;
      }
      assertTrue(used == dataBytes, "the entries tile " + used + " of " + dataBytes + " data bytes");
    } catch (SafeTensorsException e) {
      FuzzChecks.hasMessage(e);
    }
  }
}

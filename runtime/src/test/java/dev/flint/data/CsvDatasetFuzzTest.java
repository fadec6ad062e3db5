package dev.flint.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.flint.io.FuzzChecks;
import dev.flint.io.FuzzFiles;
import dev.flint.tensor.DType;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Hostile CSV files (plain or gzipped): whatever the bytes and options, {@link CsvDataset} builds a
 * dataset whose tensors agree in rows, or throws an {@link IllegalArgumentException} (bad content)
 * or {@link UncheckedIOException} (unreadable or corrupt gzip data) with a message.
 *
 * <p>An input's first byte picks the options (delimiter or whitespace, a header line, the kind of
 * target, the dtype), its second the target column (-4 to 3), the rest is the file.
 */
class CsvDatasetFuzzTest {
  private static final FuzzFiles FILES = new FuzzFiles("input.csv");
  private static final char[] DELIMITERS = {',', ';', '\t', ' '};

  @FuzzTest(maxDuration = "20s")
  void build(byte[] bytes) {
    if (bytes.length < 2) {
      return;
    }
    int options = bytes[0] & 0xff;
    int target = (bytes[1] & 0x07) - 4;
    CsvDataset.Builder b = CsvDataset.fromPath(FILES.holding(Arrays.copyOfRange(bytes, 2, bytes.length)));
    if ((options & 0x04) != 0) {
      b.whitespaceSeparated();
    } else {
      b.delimiter(DELIMITERS[options & 0x03]);
    }
    b.header((options & 0x08) != 0);
    switch ((options >> 4) & 0x03) {
      case 0: b.target(target).classification(); break;
      case 1: b.target(target).regression(); break;
      case 2: b.noTarget(); break;
      default: b.target(target).features(0); break;
    }
    b.dtype((options & 0x40) != 0 ? DType.FLOAT64 : DType.FLOAT32);
    try {
      CsvDataset data = b.build();
      assertEquals(data.size(), data.features().size(0), "one feature row per sample");
      if (data.targets() != null) {
        assertEquals(data.size(), data.targets().size(0), "one target per sample");
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      FuzzChecks.hasMessage(e);
    }
  }
}

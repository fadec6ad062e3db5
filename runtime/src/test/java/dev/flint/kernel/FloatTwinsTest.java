package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each FLOAT32 kernel copy equals the derivation of its FLOAT64 source ({@link FloatTwins}); run with
 * {@code -Dtwins.update=true} after editing a FLOAT64 source to rewrite its copy.
 */
class FloatTwinsTest {
  private static final Path KERNELS = Path.of("src/main/java/dev/flint/kernel");
  private static final boolean UPDATE = Boolean.getBoolean("twins.update");

  @Test
  void everyFloatCopyIsDerivedFromItsDoubleSource() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(KERNELS)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    int twinned = 0;
    StringBuilder stale = new StringBuilder();
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (!text.contains("// twin-")) {
        continue;
      }
      twinned++;
      String derived = FloatTwins.derive(file.getFileName().toString(), text);
      if (!derived.equals(text)) {
        if (UPDATE) {
          Files.writeString(file, derived, StandardCharsets.UTF_8);
        } else {
          stale.append(' ').append(file.getFileName());
        }
      }
    }
    assertTrue(twinned >= 2, "expected the twin markers in Conv and Pool at least, found them in " + twinned + " files");
    assertEquals("", stale.toString(), "FLOAT32 copies differ from their FLOAT64 sources in:" + stale
        + "; edit the FLOAT64 code (twin-source) and run FloatTwinsTest with -Dtwins.update=true");
  }

  @Test
  void derivationRenamesWholeWordsOnly() {
    assertEquals("float[] x = in.storage().floats(); // Float.NaN, FLOAT32, rowsF32",
        FloatTwins.toFloat("double[] x = in.storage().doubles(); // Double.NaN, FLOAT64, rowsF64"));
    assertEquals("doubled, toDoubleArray", FloatTwins.toFloat("doubled, toDoubleArray"));
  }

  @Test
  void copyIsReindentedToItsMarker() {
    String file = String.join("\n",
        "  // twin-float: sum",
        "  stale",
        "  // twin-end: sum",
        "// twin-source: sum",
        "double s = 0;",
        "  s += x[i];",
        "// twin-end: sum");
    String derived = FloatTwins.derive("Sum.java", file);
    assertEquals(String.join("\n",
        "  // twin-float: sum",
        "  float s = 0;",
        "    s += x[i];",
        "  // twin-end: sum",
        "// twin-source: sum",
        "double s = 0;",
        "  s += x[i];",
        "// twin-end: sum"), derived);
    assertFalse(derived.contains("stale"));
  }

  @Test
  void unpairedOrUnclosedRegionsAreRefused() {
    IllegalStateException unpaired = assertThrows(IllegalStateException.class,
        () -> FloatTwins.derive("A.java", "// twin-source: a\nx\n// twin-end: a"));
    assertTrue(unpaired.getMessage().contains("A.java") && unpaired.getMessage().contains("[a]"), unpaired.getMessage());
    IllegalStateException unclosed = assertThrows(IllegalStateException.class,
        () -> FloatTwins.derive("B.java", "// twin-float: b\nx"));
    assertTrue(unclosed.getMessage().contains("'b' has no twin-end"), unclosed.getMessage());
    IllegalStateException crossed = assertThrows(IllegalStateException.class,
        () -> FloatTwins.derive("C.java", "// twin-float: c\n// twin-end: d"));
    assertTrue(crossed.getMessage().contains("C.java:2"), crossed.getMessage());
  }
}

package dev.flint.examples.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.w3c.dom.Document;

/** Checks shared by the example ITs on the files a training run writes. */
public final class RunFiles {
  private RunFiles() {}

  /**
   * loss.svg parses as XML (namespaced, as a browser reads it) and holds a train and a valid
   * polyline of one point per epoch.
   */
  public static void assertLossCurve(Path out, int epochs) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document svg = f.newDocumentBuilder().parse(out.resolve("loss.svg").toFile());
    var lines = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
    assertEquals(2, lines.getLength(), "train and valid polylines");
    for (int i = 0; i < 2; i++) {
      String points = ((org.w3c.dom.Element) lines.item(i)).getAttribute("points");
      assertEquals(epochs, points.split(" ").length, "one point per epoch");
    }
  }

  /** predictions.csv has the header and one line per test sample; returns the data lines split into fields. */
  public static List<String[]> assertPredictions(Path out, String header, int rows) throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("predictions.csv"));
    assertEquals(header, lines.get(0));
    assertEquals(rows + 1, lines.size(), "header + one line per test sample");
    return lines.stream().skip(1).map(l -> l.split(",")).toList();
  }

  /**
   * The run's files have the permissions any new file of this process gets (its umask), as a plain
   * {@code Files.writeString} gives them, not the owner-only {@code rw-------} of a temp file.
   */
  public static void assertUsualPermissions(Path out) throws Exception {
    Assumptions.assumeTrue(Files.getFileAttributeView(out, PosixFileAttributeView.class) != null, "a POSIX file system");
    Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.writeString(out.resolve("control.txt"), "x"));
    for (String name : List.of("loss.svg", "predictions.csv", "best.safetensors")) {
      assertEquals(PosixFilePermissions.toString(usual), PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(name))),
          name);
    }
    Files.delete(out.resolve("control.txt"));
  }

  /** best.safetensors exists and is not empty. */
  public static void assertModelFile(Path out) throws Exception {
    Path model = out.resolve("best.safetensors");
    assertTrue(Files.size(model) > 8, model + " written");
  }

  /** The first epoch's loss is above the lowest later one, by at least {@code factor}. */
  public static void assertFalls(List<Double> losses, double factor, String what) {
    double first = losses.get(0);
    double min = losses.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertTrue(min < first / factor, what + " falls by a factor " + factor + ": " + losses);
  }
}

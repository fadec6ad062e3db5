package dev.flint.examples.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.w3c.dom.Document;

/** Checks shared by the example ITs on the files a training run writes. */
public final class RunFiles {
  private RunFiles() {}

  /** loss.svg parses as XML and holds a train and a valid polyline of one point per epoch. */
  public static void assertLossCurve(Path out, int epochs) throws Exception {
    Document svg = LossCurveTest.parse(out.resolve("loss.svg"));
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

package dev.flint.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LossCurveTest {
  @TempDir Path dir;

  /** Parses an SVG file as namespaced XML, as a browser would. */
  static Document parse(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  @Test
  void writesTwoPolylinesWithOnePointPerEpoch() throws Exception {
    LossCurve curve = new LossCurve("demo <&> loss");
    curve.add(1.0, 1.2);
    curve.add(0.5, 0.7);
    curve.add(0.25, 0.4);
    Path svg = dir.resolve("sub/loss.svg");
    curve.writeSvg(svg);

    Document doc = parse(svg);
    Element root = doc.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
    NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
    assertEquals(2, lines.getLength());
    for (int i = 0; i < 2; i++) {
      String[] points = ((Element) lines.item(i)).getAttribute("points").split(" ");
      assertEquals(3, points.length);
    }
    String text = Files.readString(svg);
    assertTrue(text.contains("demo &lt;&amp;&gt; loss"), "title escaped");
    assertTrue(text.contains(">train<") && text.contains(">valid<"), "legend");
    assertTrue(text.contains(">epoch<") && text.contains(">loss<"), "axis labels");
  }

  @Test
  void pointsFallAsTheLossFallsAndStayInsideThePlot() throws Exception {
    LossCurve curve = new LossCurve("t");
    curve.add(3, 2.5);
    curve.add(1, 1.5);
    Document doc = parse(write(curve));
    Element train = (Element) doc.getElementsByTagNameNS("*", "polyline").item(0);
    String[] pts = train.getAttribute("points").split(" ");
    double x0 = Double.parseDouble(pts[0].split(",")[0]);
    double y0 = Double.parseDouble(pts[0].split(",")[1]);
    double x1 = Double.parseDouble(pts[1].split(",")[0]);
    double y1 = Double.parseDouble(pts[1].split(",")[1]);
    assertTrue(x1 > x0, "epochs go right");
    assertTrue(y1 > y0, "a lower loss is drawn lower (larger SVG y)");
    for (double v : new double[] {x0, x1}) {
      assertTrue(v >= 0 && v <= 640);
    }
    for (double v : new double[] {y0, y1}) {
      assertTrue(v >= 0 && v <= 400);
    }
  }

  @Test
  void theSvgGetsTheUsualPermissions() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null, "a POSIX file system");
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    LossCurve curve = new LossCurve("t");
    curve.add(1, 1);
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(write(curve)),
        "as a plain write under the umask (not rw------- as a temp file)");
  }

  @Test
  void singleEpochAndFlatCurveStillDraw() throws Exception {
    LossCurve curve = new LossCurve("flat");
    curve.add(0.5, 0.5);
    assertEquals(2, parse(write(curve)).getElementsByTagNameNS("*", "polyline").getLength());
  }

  @Test
  void refusesNonFiniteLossAndEmptyCurve() {
    LossCurve curve = new LossCurve("t");
    assertThrows(IllegalStateException.class, curve::toSvg);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> curve.add(Double.NaN, 1));
    assertTrue(e.getMessage().contains("epoch 1") && e.getMessage().contains("NaN"), e.getMessage());
  }

  /** Points measured every 100 steps sit at their steps: equal gaps, and the axis is labelled "step". */
  @Test
  void pointsAtStepsAreSpacedByTheirSteps() throws Exception {
    LossCurve curve = new LossCurve("gpt", "step");
    curve.add(100, 3.0, 3.1);
    curve.add(200, 2.5, 2.6);
    curve.add(400, 2.0, 2.2);
    assertEquals(java.util.List.of(100, 200, 400), curve.xs());
    Path svg = write(curve);
    String[] pts = ((Element) parse(svg).getElementsByTagNameNS("*", "polyline").item(0)).getAttribute("points").split(" ");
    double[] x = new double[3];
    for (int i = 0; i < 3; i++) {
      x[i] = Double.parseDouble(pts[i].split(",")[0]);
    }
    assertEquals(2 * (x[1] - x[0]), x[2] - x[1], 0.02, "200 steps are twice as wide as 100");
    String text = Files.readString(svg);
    assertTrue(text.contains(">step<") && !text.contains(">epoch<"), "axis label");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> curve.add(400, 1, 1));
    assertTrue(e.getMessage().contains("step 400") && e.getMessage().contains("previous point's 400"), e.getMessage());
  }

  private Path write(LossCurve curve) {
    Path p = dir.resolve("c.svg");
    curve.writeSvg(p);
    return p;
  }
}

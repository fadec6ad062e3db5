package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code Compiled<Name>.svg}, the picture of the forward graph written beside the class: well-formed
 * SVG (parsed with the JDK's XML parser), one box per layer call and per call in {@code @Forward} with
 * its output shape (symbolic sizes included), parameters, the user's variable and source line, and an
 * edge for each tensor passed between them. The expected boxes are read off the models' sources.
 */
class GraphPictureTest {
  private static final String SVG = "http://www.w3.org/2000/svg";

  /** One box as drawn: its kind, its text lines, and its id. */
  private record Box(String kind, List<String> lines, String id) {}

  private static Document picture(String model) throws Exception {
    Compilation c = Compile.models(model);
    assertThat(c).succeeded();
    JavaFileObject svg = c.generatedFile(StandardLocation.CLASS_OUTPUT, "models", "Compiled" + model + ".svg")
        .orElseThrow(() -> new AssertionError("no picture among " + c.generatedFiles()));
    String text = svg.getCharContent(true).toString();
    assertTrue(StandardCharsets.US_ASCII.newEncoder().canEncode(text), "the file is ASCII, whatever javac's encoding");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(SVG, doc.getDocumentElement().getNamespaceURI());
    assertEquals("svg", doc.getDocumentElement().getLocalName());
    return doc;
  }

  private static List<Box> boxes(Document doc) {
    List<Box> out = new ArrayList<>();
    NodeList groups = doc.getElementsByTagNameNS(SVG, "g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("class").startsWith("box ")) {
        List<String> lines = new ArrayList<>();
        NodeList texts = g.getElementsByTagNameNS(SVG, "text");
        for (int k = 0; k < texts.getLength(); k++) {
          lines.add(texts.item(k).getTextContent());
        }
        assertEquals(1, g.getElementsByTagNameNS(SVG, "rect").getLength(), "one rectangle per box");
        out.add(new Box(g.getAttribute("class").substring(4), lines, g.getAttribute("id")));
      }
    }
    return out;
  }

  /** The edges as "from-title -> to-title". */
  private static List<String> edges(Document doc, List<Box> boxes) {
    List<String> out = new ArrayList<>();
    NodeList paths = doc.getElementsByTagNameNS(SVG, "path");
    for (int i = 0; i < paths.getLength(); i++) {
      Element p = (Element) paths.item(i);
      if (p.getAttribute("class").equals("edge")) {
        out.add(title(boxes, p.getAttribute("data-from")) + " -> " + title(boxes, p.getAttribute("data-to")));
      }
    }
    return out;
  }

  private static String title(List<Box> boxes, String id) {
    return boxes.stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow().lines().get(0);
  }

  @Test
  void cnnHasABoxPerLayerCallAndActivationWithShapesParametersNamesAndLines() throws Exception {
    Document doc = picture("Cnn");
    List<Box> boxes = boxes(doc);
    // Cnn.java: 24 h = pool(relu(bn1(conv1(x)))); 25 h = avg(relu(conv2(h))); 26 return fc(drop(flatten(h)))
    // conv1 4·1·3·3 + 4 = 40, bn1 4 + 4 = 8, conv2 6·4·3·3 + 6 = 222, fc 6·3 + 3 = 21;
    // conv2 (stride 2, no padding): (6 - 3) / 2 + 1 = 2; avg (2, stride 1): 2 - 2 + 1 = 1
    List<List<String>> expected = List.of(
        List.of("input x", "[B, 1, 12, 12]"),
        List.of("conv1: Conv2d 1\u21924 k3", "[B, 4, 12, 12]  40 params", "Cnn.java:24"),
        List.of("bn1: BatchNorm2d 4", "[B, 4, 12, 12]  8 params", "Cnn.java:24"),
        List.of("F.relu", "[B, 4, 12, 12]", "Cnn.java:24"),
        List.of("pool: MaxPool2d 2", "[B, 4, 6, 6]", "Cnn.java:24 \u2192 h"),
        List.of("conv2: Conv2d 4\u21926 k3", "[B, 6, 2, 2]  222 params", "Cnn.java:25"),
        List.of("F.relu", "[B, 6, 2, 2]", "Cnn.java:25"),
        List.of("avg: AvgPool2d 2, 1", "[B, 6, 1, 1]", "Cnn.java:25 \u2192 h"),
        List.of("flatten: Flatten", "[B, 6]", "Cnn.java:26"),
        List.of("drop: Dropout 0.25", "[B, 6]", "Cnn.java:26"),
        List.of("fc: Linear 6\u21923", "[B, 3]  21 params", "Cnn.java:26 \u2192 return"),
        List.of("output", "[B, 3]"));
    assertEquals(expected, boxes.stream().map(Box::lines).toList());
    assertEquals(List.of("input", "layer", "layer", "op", "layer", "layer", "op", "layer", "layer", "layer", "layer",
        "output"), boxes.stream().map(Box::kind).toList());
    List<String> chain = new ArrayList<>();
    for (int i = 0; i + 1 < expected.size(); i++) {
      chain.add(expected.get(i).get(0) + " -> " + expected.get(i + 1).get(0));
    }
    assertEquals(chain, edges(doc, boxes), "a straight chain, no edge from a weight or a dropout mask");
  }

  @Test
  void transformerBlockShowsSymbolicSizesTheAttentionAndBothResiduals() throws Exception {
    Document doc = picture("Encoder");
    List<Box> boxes = boxes(doc);
    List<String> titles = boxes.stream().map(b -> b.lines().get(0)).toList();
    // input, tokens, ln1, qkv, 3 chunks, 3 reshapes, 4 transposes, matmul, mul, softmax, matmul, transpose,
    // reshape, proj, add, ln2, fc1, F.gelu, fc2, add, head, output
    assertEquals(29, boxes.size(), titles.toString());
    assertEquals(List.of("input ids", "[B, T]"), boxes.get(0).lines());
    // tokens 16·32 = 512; qkv 32·96 + 96 = 3,168; fc1 32·128 + 128 = 4,224
    assertTrue(boxes.contains(new Box("layer", List.of("tokens: Embedding 16\u219232", "[B, T, 32]  512 params",
        "Encoder.java:30 \u2192 x"), "box1")), boxes.toString());
    assertEquals(List.of("qkv: Linear 32\u219296", "[B, T, 96]  3,168 params", "Encoder.java:33"),
        find(boxes, "qkv: Linear 32\u219296").lines());
    assertEquals(List.of("softmax", "[B, 2, T, T]", "Encoder.java:37 \u2192 att"), find(boxes, "softmax").lines());
    assertEquals(List.of("F.gelu", "[B, T, 128]", "Encoder.java:40"), find(boxes, "F.gelu").lines());
    assertEquals(List.of("fc1: Linear 32\u2192128", "[B, T, 128]  4,224 params", "Encoder.java:40"),
        find(boxes, "fc1: Linear 32\u2192128").lines());
    assertEquals(List.of("head: Linear 32\u219216", "[B, T, 16]  528 params", "Encoder.java:42 \u2192 return"),
        boxes.get(boxes.size() - 2).lines());
    List<String> edges = edges(doc, boxes);
    assertTrue(edges.contains("tokens: Embedding 16\u219232 -> add"), "the first residual: " + edges);
    assertTrue(edges.contains("proj: Linear 32\u219232 -> add"), edges.toString());
    assertTrue(edges.contains("fc2: Linear 128\u219232 -> add"), edges.toString());
    assertEquals(3, edges.stream().filter(e -> e.startsWith("qkv: Linear 32\u219296 -> chunk")).count(), edges.toString());
    // the main path stands straight; the residuals bend around it
    List<String> path = List.of("proj: Linear 32\u219232", "add", "ln2: LayerNorm 32", "fc1: Linear 32\u2192128",
        "F.gelu", "fc2: Linear 128\u219232", "head: Linear 32\u219216", "output");
    for (String title : path) {
      assertEquals(center(doc, find(boxes, path.get(0)).id()), center(doc, find(boxes, title).id()), 0.01, title);
    }
    assertTrue(edges.contains("add -> ln2: LayerNorm 32"), edges.toString());
    assertEquals(1, edges.stream().filter(e -> e.equals("add -> add")).count(), "the second residual: " + edges);
  }

  @Test
  void aTiedOrRepeatedLayerCountsItsParametersOnce() throws Exception {
    // Loops applies fc (Linear 6→6: 42 parameters) three times; its weight's transpose is shared
    List<Box> boxes = boxes(picture("Loops"));
    List<Box> fc = boxes.stream().filter(b -> b.lines().get(0).equals("fc: Linear 6\u21926")).toList();
    assertEquals(3, fc.size());
    assertEquals("[B, 6]  42 params", fc.get(0).lines().get(1));
    assertEquals("[B, 6]", fc.get(1).lines().get(1));
    assertEquals("Loops.java:21 (i = 2)", fc.get(2).lines().get(2));
    assertFalse(boxes.stream().anyMatch(b -> b.lines().get(1).startsWith("[6, 6]")), "no box for the weight's transpose");
  }

  @Test
  void everyTestModelGetsAWellFormedPictureAndATableWhoseRowsAddUp() throws Exception {
    List<String> names;
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/test/resources/models"))) {
      names = files.map(f -> f.getFileName().toString().replace(".java", "")).sorted().toList();
    }
    Compilation c = Compile.models(names.toArray(String[]::new));
    assertThat(c).succeeded();
    int pictures = 0;
    for (JavaFileObject f : c.generatedFiles()) {
      String path = f.toUri().getPath();
      if (!path.endsWith(".svg")) {
        continue;
      }
      pictures++;
      String text = f.getCharContent(true).toString();
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      List<Box> boxes = boxes(factory.newDocumentBuilder()
          .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))));
      assertEquals("input", boxes.get(0).kind(), path);
      assertEquals("output", boxes.get(boxes.size() - 1).kind(), path);
      String summary = c.generatedFiles().stream().filter(s -> s.toUri().getPath().equals(
          path.replace(".svg", ".summary.txt"))).findFirst().orElseThrow().getCharContent(true).toString();
      // the rows' FLOPs add up to the total, their parameters to at most the total (a layer forward skips)
      long flops = 0;
      long params = 0;
      boolean symbolic = false;
      for (String row : summary.lines().toList()) {
        String[] cols = row.split(" {3,}");
        if (cols.length >= 4 && cols[1].startsWith("[")) {
          symbolic |= cols[3].contains("T") || cols[3].contains("*");
          flops += symbolic || cols[3].equals("--") ? 0 : Long.parseLong(cols[3].replace(",", ""));
          params += cols[2].equals("--") ? 0 : Long.parseLong(cols[2].replace(",", ""));
        }
      }
      long total = Long.parseLong(summary.lines().filter(l -> l.startsWith("Total params: ")).findFirst()
          .orElseThrow().substring(14).replace(",", ""));
      assertTrue(params <= total, path + ": " + params + " > " + total + "\n" + summary);   // Tied never reads dec.weight
      String forward = summary.lines().filter(l -> l.startsWith("Forward FLOPs per sample: ")).findFirst()
          .orElseThrow().substring(26);
      if (!symbolic && !forward.contains("*")) {
        assertEquals(Long.parseLong(forward.replace(",", "")), flops, path + "\n" + summary);
      }
    }
    assertEquals(names.size() - 1, pictures, "a picture for each model but InheritedBase, no @Model: " + names);
  }

  /** The horizontal center of box {@code id}'s rectangle. */
  private static double center(Document doc, String id) {
    NodeList groups = doc.getElementsByTagNameNS(SVG, "g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("id").equals(id)) {
        Element r = (Element) g.getElementsByTagNameNS(SVG, "rect").item(0);
        return Double.parseDouble(r.getAttribute("x")) + Double.parseDouble(r.getAttribute("width")) / 2;
      }
    }
    throw new AssertionError("no box " + id);
  }

  private static Box find(List<Box> boxes, String title) {
    return boxes.stream().filter(b -> b.lines().get(0).equals(title)).findFirst()
        .orElseThrow(() -> new AssertionError("no box " + title + " among " + boxes));
  }
}

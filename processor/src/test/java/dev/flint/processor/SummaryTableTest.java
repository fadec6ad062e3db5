package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * The summary table ({@code summary()} and {@code Compiled<Name>.summary.txt}): a row per layer call and
 * per call in {@code @Forward} with output shape, parameters, FLOPs per sample and their share, aligned in
 * columns, and the totals; every figure below is computed by hand. A multiply-add counts as 2 FLOPs; a
 * bias add and an activation 1 per output element.
 */
class SummaryTableTest {

  private static String summary(Compilation c, String name) throws IOException {
    assertThat(c).succeeded();
    return c.generatedFile(StandardLocation.CLASS_OUTPUT, "demo", "Compiled" + name + ".summary.txt")
        .orElseThrow(() -> new AssertionError("no summary among " + c.generatedFiles()))
        .getCharContent(true).toString();
  }

  /** The table's rows (between the second and third rule), split into columns at runs of 3 or more spaces. */
  private static List<List<String>> rows(String summary) {
    List<String> lines = summary.lines().toList();
    int first = -1;
    int rules = 0;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("====")) {
        rules++;
        if (rules == 2) {
          first = i + 1;
        } else if (rules == 3) {
          end = i;
          break;
        }
      }
    }
    return lines.subList(first, end).stream().map(l -> Arrays.asList(l.split(" {3,}"))).toList();
  }

  private static final String[] MNIST = {
      "package demo;",
      "import dev.flint.dsl.*;",
      "import dev.flint.nn.F;",
      "import dev.flint.nn.Linear;",
      "import dev.flint.nn.Module;",
      "import dev.flint.tensor.Tensor;",
      "@Model",
      "public class Mnist extends Module {",
      "  @Layer Linear fc1 = new Linear(784, 512);",
      "  @Layer Linear fc2 = new Linear(512, 10);",
      "  @Forward",
      "  public Tensor forward(Tensor x) {",
      "    Tensor h = F.relu(fc1.forward(x));",
      "    return fc2.forward(h);",
      "  }",
      "}"};

  @Test
  void mlpRowsAndTotalsMatchHandComputedFigures() throws Exception {
    Compilation c = Compile.source("demo.Mnist", MNIST);
    String text = summary(c, "Mnist");
    // fc1: 784·512 + 512 = 401,920 params; 2·784·512 + 512 = 803,328 FLOPs. relu: 512.
    // fc2: 512·10 + 10 = 5,130 params; 2·512·10 + 10 = 10,250 FLOPs. Total 814,090 FLOPs:
    // shares 803,328 / 814,090 = 98.68%, 512 / 814,090 = 0.06%, 10,250 / 814,090 = 1.26%.
    assertEquals(List.of(
        List.of("input x", "[B, 784]"),
        List.of("fc1: Linear 784\u2192512", "[B, 512]", "401,920", "803,328", "98.7%", "Mnist.java:13"),
        List.of("F.relu", "[B, 512]", "--", "512", "0.1%", "Mnist.java:13 \u2192 h"),
        List.of("fc2: Linear 512\u219210", "[B, 10]", "5,130", "10,250", "1.3%", "Mnist.java:14 \u2192 return")),
        rows(text));
    assertTrue(text.contains("\nTotal params: 407,050\nTrainable params: 407,050\n"), text);
    assertTrue(text.contains("\nForward FLOPs per sample: 814,090\n"), text);
    // backward: fc2's input and weight gradients 2·10·512 each and its bias gradient 10 (a sum over the
    // batch); relu's sign(h) mask and the multiply, 512 each; fc1's weight and input gradients 2·512·784
    // each (the input's is written for a caller that asks for it) and its bias 512:
    // 20,480 + 10 + 1,024 + 1,605,632 + 512 = 1,627,658
    assertTrue(text.contains("\nBackward FLOPs per sample: 1,627,658\n"), text);
    // saved for backward: h (512 floats), read by relu's mask and fc2's weight gradient; x is the caller's
    // tensor, not a saved activation: 512 · 4 bytes = 2,048
    assertTrue(text.contains("\nSaved activations per sample: 2,048 bytes (FLOAT32)\n"), text);
    assertTrue(text.contains("a multiply-add counts as 2"), text);
  }

  @Test
  void columnsAreAligned() throws Exception {
    String text = summary(Compile.source("demo.Mnist", MNIST), "Mnist");
    List<String> lines = text.lines().toList();
    String header = lines.stream().filter(l -> l.startsWith("Layer (type)")).findFirst().orElseThrow();
    int shape = header.indexOf("Output shape");
    int params = header.indexOf("Param #") + "Param #".length();   // numbers are right-aligned
    int flops = header.indexOf("FLOPs/sample") + "FLOPs/sample".length();
    int share = header.indexOf("FLOPs %") + "FLOPs %".length();
    int source = header.indexOf("Source");
    for (String row : lines.subList(lines.indexOf(header) + 3, lines.indexOf(header) + 6)) {
      assertEquals('[', row.charAt(shape), row);
      assertTrue(row.charAt(params - 1) != ' ' && row.charAt(params) == ' ', row);
      assertTrue(row.charAt(flops - 1) != ' ' && row.charAt(flops) == ' ', row);
      assertTrue(row.charAt(share - 1) == '%' && row.charAt(share) == ' ', row);
      assertTrue(row.substring(source).startsWith("Mnist.java:1"), row);
    }
  }

  @Test
  void theGeneratedSummaryMethodReturnsTheSameTable() throws Exception {
    Compilation c = Compile.source("demo.Mnist", MNIST);
    Object model = Compile.loader(c).loadClass("demo.CompiledMnist").getConstructor().newInstance();
    assertEquals(summary(c, "Mnist"), model.getClass().getMethod("summary").invoke(model));
  }

  @Test
  void cnnCountsConvolutionsAndBatchNormBuffers() throws Exception {
    String text = summary(Compile.source("demo.Conv",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.*;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model(input = {1, 28, 28})",
        "public class Conv extends Module {",
        "  @Layer Conv2d conv = new Conv2d(1, 8, 3, 1, 1);",
        "  @Layer BatchNorm2d bn = new BatchNorm2d(8);",
        "  @Forward",
        "  public Tensor forward(Tensor x) {",
        "    return bn.forward(conv.forward(x));",
        "  }",
        "}"), "Conv");
    // conv: 8·1·3·3 + 8 = 80 params; 2·(1·3·3)·(8·28·28) + 8·28·28 (bias) = 112,896 + 6,272 = 119,168 FLOPs
    List<String> conv = rows(text).get(1);
    assertEquals(List.of("conv: Conv2d 1\u21928 k3", "[B, 8, 28, 28]", "80", "119,168"), conv.subList(0, 4));
    // bn: weight and bias 8 + 8 = 16 params; buffers running mean and variance 8 + 8 and the batch counter 1
    assertEquals(List.of("bn: BatchNorm2d 8", "[B, 8, 28, 28]", "16"), rows(text).get(2).subList(0, 3));
    assertTrue(text.contains("\nTotal params: 96\n"), text);
    assertTrue(text.contains("\nBuffers (not trained: running statistics, counters): 17 elements\n"), text);
  }

  @Test
  void symbolicSizesGiveFlopsInTermsOfThemAndNoShares() throws Exception {
    String text = summary(Compile.source("demo.Seq",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.Linear;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model(inputDims = {\"T\", \"16\"})",
        "public class Seq extends Module {",
        "  @Layer Linear fc = new Linear(16, 8);",
        "  @Forward",
        "  public Tensor forward(Tensor x) {",
        "    return fc.forward(x);",
        "  }",
        "}"), "Seq");
    // T rows of 2·16·8 + 8 = 264
    assertEquals(List.of("fc: Linear 16\u21928", "[B, T, 8]", "136", "T*264", "Seq.java:11 \u2192 return"),
        rows(text).get(1));
    assertTrue(text.contains("\nForward FLOPs per sample: T*264\n"), text);
    assertTrue(text.contains("depend on the input's named sizes, so no shares are given"), text);
  }
}

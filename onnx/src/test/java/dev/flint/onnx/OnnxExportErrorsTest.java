package dev.flint.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.compiled.ForwardGraph;
import dev.flint.nn.CompiledModel;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.onnx.models.CompiledExportFallback;
import dev.flint.onnx.models.ExportMlp;
import dev.flint.tensor.Tensor;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What export refuses, each with a message naming what and where; no file is written half-way. */
class OnnxExportErrorsTest {
  @TempDir Path dir;

  @Test
  void anEagerModuleHasNoGraphToExport() {
    Path file = dir.resolve("linear.onnx");
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> Onnx.export(new Linear(3, 2), file));
    assertEquals("Linear is an eager module, which has no compiled graph to export: export its compiled class instead"
        + " (new CompiledLinear(...) for a @Model class; load its weights with load(path) or loadStateDict)",
        e.getMessage());
    assertFalse(Files.exists(file));
    OnnxExportException user = assertThrows(OnnxExportException.class, () -> Onnx.export(new ExportMlp(), file));
    assertTrue(user.getMessage().startsWith("ExportMlp is an eager module"), user.getMessage());
    assertTrue(user.getMessage().contains("new CompiledExportMlp(...)"), user.getMessage());
  }

  @Test
  void aModelWhoseForwardStayedEagerHasNoGraph() {
    OnnxExportException e = assertThrows(OnnxExportException.class,
        () -> Onnx.export(new CompiledExportFallback(), dir.resolve("fallback.onnx")));
    assertTrue(e.getMessage().startsWith("CompiledExportFallback has no recorded forward graph: its forward was not"
        + " compiled (see the processor's warning"), e.getMessage());
  }

  @Test
  void anOpWithoutMappingIsNamedWithTheSourceLineAndTheOldFileStays() throws Exception {
    Path file = dir.resolve("model.onnx");
    Files.writeString(file, "the previous export");
    HandBuilt model = new HandBuilt(g -> {
      g.node("CONV2D_INPUT_GRAD", "y", ForwardGraph.Elem.FLOAT, "B", "3").in("x", "w").layer("conv: Conv2d 3→3 k1")
          .at("Net.java:12", "conv.forward(x)");
      return g;
    });
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> Onnx.export(model, file));
    assertEquals("CompiledNet: the op CONV2D_INPUT_GRAD (Net.java:12 `conv.forward(x)`, in conv: Conv2d 3→3 k1) has no"
        + " ONNX mapping: a row of backward passes only, never in a forward graph", e.getMessage());
    assertEquals("the previous export", Files.readString(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void anOpTheExporterDoesNotKnowSaysWhereToAddIt() {
    HandBuilt model = new HandBuilt(g -> {
      g.node("FFT", "y", ForwardGraph.Elem.FLOAT, "B", "3").in("x").at("Net.java:14", "x.fft()");
      return g;
    });
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> Onnx.toBytes(model));
    assertEquals("CompiledNet: the op FFT (Net.java:14 `x.fft()`) has no ONNX mapping (an op this exporter does not"
        + " know; add it to dev.flint.onnx.OpMappings)", e.getMessage());
  }

  @Test
  void stateThatDoesNotMatchTheGraphIsNamed() {
    HandBuilt missing = new HandBuilt(g -> {
      g.parameter("fc.weight", "3", "3");
      g.node("MATMUL", "y", ForwardGraph.Elem.FLOAT, "B", "3").in("x", "fc.weight");
      return g;
    });
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> Onnx.toBytes(missing));
    assertEquals("CompiledNet: the compiled graph reads fc.weight, which the model's state dict does not hold (it has"
        + " [w])", e.getMessage());
    HandBuilt misshaped = new HandBuilt(g -> {
      g.parameter("w", "4", "3");
      g.node("MATMUL", "y", ForwardGraph.Elem.FLOAT, "B", "4").in("x", "w");
      return g;
    });
    e = assertThrows(OnnxExportException.class, () -> Onnx.toBytes(misshaped));
    assertEquals("CompiledNet: w has shape [3, 3], but the compiled graph expects [4, 3]", e.getMessage());
  }

  @Test
  void aMissingDirectoryIsAnIoErrorNamingTheFile() {
    Path file = dir.resolve("no/such/dir/model.onnx");
    HandBuilt model = new HandBuilt(g -> {
      g.node("RELU", "y", ForwardGraph.Elem.FLOAT, "B", "3").in("x");
      return g;
    });
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Onnx.export(model, file));
    assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
  }

  @Test
  void aHandBuiltGraphExportsAndRunsWhenItsOpsAreMapped() throws Exception {
    HandBuilt model = new HandBuilt(g -> {
      g.parameter("w", "3", "3");
      g.node("MATMUL", "h", ForwardGraph.Elem.FLOAT, "B", "3").in("x", "w");
      g.node("RELU", "y", ForwardGraph.Elem.FLOAT, "B", "3").in("h");
      return g;
    });
    Path file = dir.resolve("hand.onnx");
    Onnx.export(model, file);
    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertTrue(bytes.contains("MatMul") && bytes.contains("Relu"), "the node types are in the file");
    OnnxRuntimeCheck.assertSameOutputs(model, file, "x", Tensor.randn(4, 3));
    OnnxChecker.assertValid(file);
  }

  /** A module whose graph is written by hand: input x [B, 3], parameter w [3, 3], returning y. */
  static final class HandBuilt extends Module implements CompiledModel {
    final Tensor w = registerParameter("w", Tensor.randn(3, 3));
    private final UnaryOperator<ForwardGraph.Builder> body;

    HandBuilt(UnaryOperator<ForwardGraph.Builder> body) {
      this.body = body;
    }

    @Override
    public Tensor forward(Tensor x) {
      return x.matmul(w).relu();
    }

    @Override
    public Module newEagerTwin() {
      return new HandBuilt(body);
    }

    @Override
    public Module newCompiledTwin() {
      return new HandBuilt(body);
    }

    @Override
    public ForwardGraph forwardGraph() {
      ForwardGraph.Builder g = ForwardGraph.builder("CompiledNet").input("x", ForwardGraph.Elem.FLOAT, "B", "3")
          .size("B", "x", 0);
      return body.apply(g).output("y");
    }
  }
}

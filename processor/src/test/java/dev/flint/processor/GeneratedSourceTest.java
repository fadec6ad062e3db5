package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The generated sources of representative models, compared as exact text with reviewed goldens in
 * {@code src/test/resources/goldens/GeneratedSourceTest/<method>/<qualified.Name>.java}.
 * Run with {@code -Dgoldens.update=true} to rewrite them, then review the diff like code.
 */
class GeneratedSourceTest {
  private static final Path GOLDENS = Path.of("src/test/resources/goldens/GeneratedSourceTest");

  @Test
  void mlp(TestInfo info) throws IOException {
    golden(info, "Mlp");
  }

  @Test
  void cnnWithBatchNormAndDropout(TestInfo info) throws IOException {
    golden(info, "Cnn");
  }

  @Test
  void trainingBranch(TestInfo info) throws IOException {
    golden(info, "Modes");
  }

  @Test
  void nestedModels(TestInfo info) throws IOException {
    golden(info, "Nested", "Block");
  }

  @Test
  void summaryIsAlsoAResourceBesideTheClass() throws IOException {
    Compilation c = Compile.models("Mlp");
    assertThat(c).succeeded();
    JavaFileObject summary = c.generatedFile(StandardLocation.CLASS_OUTPUT, "models", "CompiledMlp.summary.txt")
        .orElseThrow(() -> new AssertionError("no summary resource among " + c.generatedFiles()));
    String text = summary.getCharContent(true).toString();
    assertTrue(text.contains("fc1: Linear 10→20   [B, 20]            220"), text);
    assertTrue(text.contains("Total params: 325"), text);   // 10·20 + 20 + 20·5 + 5
  }

  @Test
  void generatedCodeIsLintClean() {
    Compilation c = com.google.testing.compile.Compiler.javac().withProcessors(new ModelProcessor())
        .withOptions("-Xlint:all", "-Xlint:-processing", "-Werror")
        .compile(com.google.testing.compile.JavaFileObjects.forResource("models/Modes.java"),
            com.google.testing.compile.JavaFileObjects.forResource("models/Cnn.java"),
            com.google.testing.compile.JavaFileObjects.forResource("models/Tied.java"));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void aNestedModelClassGivesCompiledOuter_Inner() throws Exception {
    Compilation c = Compile.source("demo.Outer",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.Linear;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "public class Outer {",
        "  @Model public static class Inner extends Module {",
        "    @Layer Linear fc = new Linear(3, 2);",
        "    public Inner() {}",
        "    public Inner(String name, int... unused) {}",
        "    @Forward public Tensor forward(Tensor x) { return fc.forward(x).tanh(); }",
        "  }",
        "}");
    assertThat(c).succeededWithoutWarnings();
    Class<?> compiled = Compile.loader(c).loadClass("demo.CompiledOuter_Inner");
    assertEquals("demo.Outer$Inner", compiled.getSuperclass().getName());
    assertTrue(compiled.getConstructor(String.class, int[].class).isVarArgs());
  }

  @Test
  void outputIsDeterministic() {
    String first = Compile.generatedSource(Compile.models("Cnn"), "models.CompiledCnn");
    String second = Compile.generatedSource(Compile.models("Cnn"), "models.CompiledCnn");
    assertEquals(first, second);
  }

  private static void golden(TestInfo info, String model, String... others) throws IOException {
    String[] names = new String[others.length + 1];
    names[0] = model;
    System.arraycopy(others, 0, names, 1, others.length);
    Compilation c = Compile.models(names);
    assertThat(c).succeeded();
    String qualified = "models.Compiled" + model;
    String actual = Compile.generatedSource(c, qualified);
    Path golden = GOLDENS.resolve(info.getTestMethod().orElseThrow().getName()).resolve(qualified + ".java");
    if (Boolean.getBoolean("goldens.update")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(golden)) {
      throw new AssertionError("missing golden " + golden.toAbsolutePath() + "; run with -Dgoldens.update=true to create it");
    }
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "generated source differs from " + golden);
  }
}

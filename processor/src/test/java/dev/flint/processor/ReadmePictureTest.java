package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * The README's picture ({@code docs/images/CompiledCnnSmall.svg}) and summary table are what the
 * processor writes for the benchmarks' CnnSmall. Run with {@code -Dgoldens.update=true} to rewrite both
 * after a change to the picture or the table, and look at the result.
 */
class ReadmePictureTest {
  private static final Path ROOT = Path.of("..");
  private static final Path MODEL = ROOT.resolve("benchmarks/src/main/java/dev/flint/benchmarks/models/CnnSmall.java");
  private static final Path PICTURE = ROOT.resolve("docs/images/CompiledCnnSmall.svg");
  private static final Path README = ROOT.resolve("README.md");

  private static String generated(Compilation c, String name) throws IOException {
    return c.generatedFile(StandardLocation.CLASS_OUTPUT, "dev.flint.benchmarks.models", name).orElseThrow()
        .getCharContent(true).toString();
  }

  @Test
  void readmeShowsWhatTheProcessorWritesForCnnSmall() throws IOException {
    Compilation c = javac().withProcessors(new ModelProcessor())
        .compile(JavaFileObjects.forSourceString("dev.flint.benchmarks.models.CnnSmall", Files.readString(MODEL)));
    assertThat(c).succeeded();
    String svg = generated(c, "CompiledCnnSmall.svg");
    String summary = generated(c, "CompiledCnnSmall.summary.txt");
    String readme = Files.readString(README);
    int start = readme.indexOf("```\nCompiledCnnSmall (compiled from") + 4;
    int end = readme.indexOf("```", start);
    if (Boolean.getBoolean("goldens.update")) {
      Files.writeString(PICTURE, svg);
      Files.writeString(README, readme.substring(0, start) + summary + readme.substring(end));
      return;
    }
    String hint = " (run GeneratedSourceTest and this test with -Dgoldens.update=true, then look at the picture)";
    assertEquals(summary, readme.substring(start, end), "README's summary of CnnSmall" + hint);
    assertEquals(svg, Files.readString(PICTURE), PICTURE + hint);
  }
}

package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Models with two symbolic sizes, the batch B and a sequence length T named in
 * {@code @Model(inputDims)}: one compiled class serves every T, and shape errors name T.
 */
class SymbolicSizesTest {

  @Test
  void oneCompiledModelServesEverySequenceLengthAndMatchesEagerMode() throws Exception {
    Compilation c = Compile.models("Attend");
    assertThat(c).succeeded();
    String source = Compile.generatedSource(c, "models.CompiledAttend");
    assertTrue(source.contains("int T = x.size(1);"), "T is read from the input");
    assertTrue(source.contains("1.0 / T"), "the mean over steps divides by T");
    assertTrue(source.contains("// f[B, T, T]"), "attention scores are typed [B, T, T]");
    assertTrue(source.contains("[B, T, 6]"), "the input check names both sizes");
    // outputs and gradients against eager mode (and central differences) at two sequence lengths
    EquivalenceTest.check("Attend", new int[] {2, 5, 6});
    EquivalenceTest.check("Attend", new int[] {3, 2, 6});
  }

  @Test
  void intLocalsFromSizesAndConstantArithmeticMatchEagerMode() throws Exception {
    Compilation c = Compile.models("Heads");
    assertThat(c).succeeded();
    String source = Compile.generatedSource(c, "models.CompiledHeads");
    assertTrue(source.contains("// f[B, 3, T, T]"), "attention scores per head are typed [B, 3, T, T]");
    assertTrue(source.contains("1.0 / T"), "div(t) divides by the run-time T");
    assertTrue(source.contains(Double.toString(1.0 / Math.sqrt(4))), "the scale is folded: 1 / sqrt(12 / 3)");
    EquivalenceTest.check("Heads", new int[] {2, 5, 12});
    EquivalenceTest.check("Heads", new int[] {1, 3, 12});
  }

  @Test
  void listsFromSplitAndChunkReadWithGetMatchEagerMode() throws Exception {
    Compilation c = Compile.models("Qkv");
    assertThat(c).succeeded();
    String source = Compile.generatedSource(c, "models.CompiledQkv");
    if (Boolean.getBoolean("dump")) {
      System.out.println(source);
    }
    // views kept in the buffer set from step to step (Note [Planned views])
    assertTrue(source.contains("Tensor qkv2 = set[3] = PlannedViews.narrow(set[3], t2, 2, 24, 12);"),
        "v is the third part of the split");
    assertTrue(source.contains("Tensor parts1 = set[24] = PlannedViews.narrow(set[24], y2, 2, 4, 8);"),
        "split(new int[] {4, 8}, 2)'s second part");
    EquivalenceTest.check("Qkv", new int[] {2, 4, 12});
    EquivalenceTest.check("Qkv", new int[] {1, 2, 12});
  }

  @Test
  void anEmbeddingFirstReadsTokenSequencesOfAnyLength() throws Exception {
    Compilation c = Compile.models("Tokens");
    assertThat(c).succeeded();
    String source = Compile.generatedSource(c, "models.CompiledTokens");
    assertTrue(source.contains("expects input of shape [B, T]"), "the input is typed [B, T]");
    EquivalenceTest.check("Tokens", new int[] {2, 5}, true);
    EquivalenceTest.check("Tokens", new int[] {3, 1}, true);
  }

  @Test
  void aShapeErrorNamesTheSequenceLengthOnTheUsersLine() {
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Net",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.*;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model(inputDims = {\"T\", \"128\"}) public class Net extends Module {",
        "  @Layer Linear fc1 = new Linear(128, 128);",
        "  @Layer Linear fc2 = new Linear(64, 10);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor h = F.relu(fc1.forward(x));",
        "    return fc2.forward(h);",
        "  }",
        "}");
    Compilation c = javac().withProcessors(new ModelProcessor()).compile(src);
    assertThat(c).hadErrorContaining("fc2 (Linear 64→10) expects last dim 64, but h has shape [B, T, 128]")
        .inFile(src).onLineContaining("return fc2.forward(h);");
  }

  @Test
  void aMismatchBetweenTwoNamedSizesIsAnError() {
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Net",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.*;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model(inputDims = {\"T\", \"S\"}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor y = x.transpose(1, 2);",
        "    return x.add(y);",
        "  }",
        "}");
    Compilation c = javac().withProcessors(new ModelProcessor()).compile(src);
    assertThat(c).hadErrorContaining("x [B, T, S] and y [B, S, T]").inFile(src).onLineContaining("return x.add(y);");
    assertThat(c).hadErrorContaining("(S vs T)").inFile(src).onLineContaining("return x.add(y);");
  }
}

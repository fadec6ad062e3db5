package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * {@code @Model} budgets: a model over a budget fails the build with an error on the model naming the
 * figure, the budget and the three largest contributors (hand-computed below); a model within its
 * budgets compiles; a budget that is not positive is an error.
 */
class BudgetsTest {

  /** fc1 784·128+128 = 100,480; fc2 128·64+64 = 8,256; fc3 64·10+10 = 650; total 109,386. */
  private static Compilation mlp(String budgets) {
    return Compile.source("demo.Net",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.F;",
        "import dev.flint.nn.Linear;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model(" + budgets + ")",
        "public class Net extends Module {",
        "  @Layer Linear fc1 = new Linear(784, 128);",
        "  @Layer Linear fc2 = new Linear(128, 64);",
        "  @Layer Linear fc3 = new Linear(64, 10);",
        "  @Forward",
        "  public Tensor forward(Tensor x) {",
        "    Tensor h = F.relu(fc1.forward(x));",
        "    Tensor g = F.relu(fc2.forward(h));",
        "    return fc3.forward(g);",
        "  }",
        "}");
  }

  @Test
  void tooManyParametersNamesTheThreeLargestLayers() {
    Compilation c = mlp("maxParameters = 100_000");
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[over-budget] CompiledNet has 109,386 parameters, over the budget"
        + " @Model(maxParameters = 100,000); the largest: fc1 100,480, fc2 8,256, fc3 650")
        .inFile(c.sourceFiles().get(0)).onLine(8);
  }

  @Test
  void tooManyFlopsNamesTheLargestLines() {
    // per sample: fc1 2·784·128 + 128 (bias) + 128 (relu) = 200,960; fc2 2·128·64 + 64 + 64 = 16,512; fc3 2·64·10 + 10 = 1,290
    Compilation c = mlp("maxFlopsPerSample = 200000");
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[over-budget] CompiledNet has 218,762 forward FLOPs per sample, over the budget"
        + " @Model(maxFlopsPerSample = 200,000); the largest: Net.java:14 `Tensor h = F.relu(fc1.forward(x));` 200,960,"
        + " Net.java:15 `Tensor g = F.relu(fc2.forward(h));` 16,512, Net.java:16 `return fc3.forward(g);` 1,290");
  }

  /**
   * An LSTM's step loop counts its products with W_hh: per sample, x·W_ihᵀ 2·4·3·20 = 480, the bias 4·20 = 80,
   * the scan 2·4·(20·5) (W_hh per step) + 4·8·5 (its result) = 960.
   */
  @Test
  void aRecurrenceCountsItsStepProducts() {
    Compilation c = Compile.source("demo.Net",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.LSTM;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model(input = {4, 3}, maxFlopsPerSample = 1000)",
        "public class Net extends Module {",
        "  @Layer LSTM lstm = new LSTM(3, 5);",
        "  @Forward",
        "  public Tensor forward(Tensor x) {",
        "    return lstm.forward(x);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("[over-budget] CompiledNet has 1,520 forward FLOPs per sample, over the budget"
        + " @Model(maxFlopsPerSample = 1,000); the largest: Net.java:11 `return lstm.forward(x);` 1,520");
  }

  @Test
  void tooManySavedBytes() {
    Compilation c = mlp("maxSavedBytesPerSample = 100");
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[over-budget] CompiledNet has ");
    assertThat(c).hadErrorContaining("bytes of saved activations per sample (FLOAT32), over the budget"
        + " @Model(maxSavedBytesPerSample = 100); the largest: ");
  }

  @Test
  void withinItsBudgetsItCompiles() {
    assertThat(mlp("maxParameters = 109_386, maxFlopsPerSample = 218_762, maxSavedBytesPerSample = 1_000_000"))
        .succeededWithoutWarnings();
  }

  @Test
  void aBudgetThatIsNotPositiveIsAnError() {
    Compilation c = mlp("maxParameters = 0, maxFlopsPerSample = -5");
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[budget-invalid] @Model(maxParameters = 0) of Net: a budget must be a positive"
        + " number (the most parameters allowed); leave it out for no budget");
    assertThat(c).hadErrorContaining("[budget-invalid] @Model(maxFlopsPerSample = -5) of Net");
  }

  @Test
  void aFigureThatDependsOnANamedSizeIsAWarning() {
    Compilation c = Compile.source("demo.Seq",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.Linear;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model(inputDims = {\"T\", \"16\"}, maxFlopsPerSample = 10)",
        "public class Seq extends Module {",
        "  @Layer Linear fc = new Linear(16, 8);",
        "  @Forward",
        "  public Tensor forward(Tensor x) {",
        "    return fc.forward(x);",
        "  }",
        "}");
    assertThat(c).succeeded();
    // per sample: T rows of 2·16·8 + 8
    assertThat(c).hadWarningContaining("[budget-symbolic] @Model(maxFlopsPerSample) of CompiledSeq cannot be checked:"
        + " its forward FLOPs per sample is T*264, which depends on the input's named sizes");
  }
}

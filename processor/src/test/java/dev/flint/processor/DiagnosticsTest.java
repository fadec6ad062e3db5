package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.flint.processor.diag.Message;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One negative test per {@link Message}: the processor reports it as a javac diagnostic with its id,
 * in the user's file, on the offending line. When the whole class runs, a message without such a
 * test fails it (a new message needs its negative test).
 */
class DiagnosticsTest {
  private static final Set<Message> TESTED = EnumSet.noneOf(Message.class);
  private static int testsRun;

  private static final String HEADER = String.join("\n",
      "package demo;",
      "import dev.flint.dsl.*;",
      "import dev.flint.nn.*;",
      "import dev.flint.nn.Module;",
      "import dev.flint.tensor.Tensor;");

  /** Compiles {@code body} (after the imports) as demo.Net and expects {@code message} on the line containing {@code marker}. */
  private static Compilation expect(Message message, String marker, String... body) {
    List<String> lines = new ArrayList<>(List.of(HEADER.split("\n")));
    lines.addAll(List.of(body));
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Net", lines);
    Compilation c = javac().withProcessors(new ModelProcessor()).compile(src);
    String id = "[" + message.id() + "]";
    if (message == Message.NON_CONSTANT_ARG || message == Message.INPUT_SHAPE_NEEDED || message == Message.BARE_NO_GRAD
        || message == Message.CHILD_AS_OBJECT || message == Message.BUDGET_SYMBOLIC) {
      assertThat(c).hadWarningContaining(id).inFile(src).onLineContaining(marker);
    } else {
      assertThat(c).hadErrorContaining(id).inFile(src).onLineContaining(marker);
    }
    TESTED.add(message);
    return c;
  }

  @Test
  void notAModule() {
    expect(Message.NOT_A_MODULE, "class Net",
        "@Model public class Net {",
        "  @Forward public Tensor forward(Tensor x) { return x; }",
        "}");
  }

  @Test
  void finalModel() {
    expect(Message.MODEL_FINAL, "class Net",
        "@Model public final class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "}");
  }

  @Test
  void privateModel() {
    expect(Message.MODEL_PRIVATE, "class Inner",
        "public class Net {",
        "  @Model private static class Inner extends Module {",
        "    @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "  }",
        "}");
  }

  @Test
  void innerModel() {
    expect(Message.MODEL_INNER, "class Inner",
        "public class Net {",
        "  @Model public class Inner extends Module {",
        "    @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "  }",
        "}");
  }

  @Test
  void noConstructor() {
    expect(Message.NO_CONSTRUCTOR, "class Net",
        "@Model public class Net extends Module {",
        "  private Net() {}",
        "  @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "}");
  }

  @Test
  void privateLayer() {
    expect(Message.LAYER_PRIVATE, "Sequential body",
        "@Model public class Net extends Module {",
        "  @Layer private Sequential body = new Sequential();",
        "  @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "}");
  }

  @Test
  void staticLayer() {
    expect(Message.LAYER_STATIC, "Sequential body",
        "@Model public class Net extends Module {",
        "  @Layer static Sequential body = new Sequential();",
        "  @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "}");
  }

  @Test
  void layerNotAModule() {
    expect(Message.LAYER_NOT_MODULE, "String name",
        "@Model public class Net extends Module {",
        "  @Layer String name = \"fc\";",
        "  @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "}");
  }

  @Test
  void moduleFieldWithoutLayerUsedInForwardSaysToAddLayer() {
    Compilation c = expect(Message.LAYER_MISSING, "Linear fc2",
        "@Model public class Net extends Module {",
        "  @Layer Linear fc1 = new Linear(4, 8);",
        "  Linear fc2 = new Linear(8, 1);",
        "  @Forward public Tensor forward(Tensor x) { return fc2.forward(fc1.forward(x)); }",
        "}");
    assertThat(c).hadErrorContaining("add @Layer to fc2");
    assertThat(c).hadErrorCount(1);   // not also an [unsupported-expression] at the use
  }

  @Test
  void privateModuleFieldWithoutLayerSaysToAddLayerAndOpenIt() {
    Compilation c = expect(Message.LAYER_MISSING, "Linear fc3",
        "@Model public class Net extends Module {",
        "  @Layer Linear fc1 = new Linear(4, 8);",
        "  private final Linear fc3 = new Linear(8, 1);   // unused in forward: still a child",
        "  @Forward public Tensor forward(Tensor x) { return fc1.forward(x); }",
        "}");
    assertThat(c).hadErrorContaining("add @Layer to fc3 and make it non-private");
  }

  @Test
  void inheritedModuleFieldWithoutLayerIsNamedWithItsClass() {
    JavaFileObject base = JavaFileObjects.forSourceLines("demo.Base", HEADER,
        "public abstract class Base extends Module {",
        "  Linear head = new Linear(8, 1);",
        "}");
    JavaFileObject net = JavaFileObjects.forSourceLines("demo.Net", HEADER,
        "@Model public class Net extends Base {",
        "  @Layer Linear fc1 = new Linear(4, 8);",
        "  @Forward public Tensor forward(Tensor x) { return fc1.forward(x); }",
        "}");
    Compilation c = javac().withProcessors(new ModelProcessor()).compile(base, net);
    assertThat(c).hadErrorContaining("[layer-missing] field `Base.head` (inherited) holds a Linear")
        .inFile(base).onLineContaining("Linear head");
  }

  @Test
  void anObjectFieldWarnsThatOnlyTheEagerModelWouldSeeAModuleInIt() {
    Compilation c = expect(Message.CHILD_AS_OBJECT, "Object extra",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Layer Linear fc1 = new Linear(4, 8);",
        "  Object extra = new Linear(8, 1);",
        "  @Forward public Tensor forward(Tensor x) { return fc1.forward(x); }",
        "}");
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("field `extra` is declared as Object");
  }

  @Test
  void bareNoGradStatementWarns() {
    expect(Message.BARE_NO_GRAD, "void freeze",
        "import dev.flint.autograd.Autograd;",
        "@Model public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "  void freeze() { Autograd.noGrad(); }",
        "}");
  }

  @Test
  void advancedIndexingInForwardNamesTheConstructAndWhatIsSupported() {
    Compilation c = expect(Message.UNSUPPORTED_CALL, "x.gt(0)",
        "import dev.flint.tensor.Index;",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.index(Index.all(), Index.tensor(x.gt(0)));",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("supported: basic indexing in @Forward: x.index(...) with Index.at, Index.all");
  }

  @Test
  void anIndexOutOfRangeInForwardIsACompileError() {
    Compilation c = expect(Message.SHAPE_ERROR, "Index.at(5)",
        "import dev.flint.tensor.Index;",
        "@Model(input = {3, 4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.index(Index.all(), Index.at(5));",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("index 5 is out of bounds for dimension 1 with size 3");
  }

  @Test
  void noForward() {
    expect(Message.NO_FORWARD, "class Net",
        "@Model public class Net extends Module {",
        "  public Tensor forward(Tensor x) { return x.exp(); }",
        "}");
  }

  @Test
  void severalForwards() {
    expect(Message.SEVERAL_FORWARDS, "Tensor other",
        "@Model public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "  @Forward public Tensor other(Tensor x) { return x.exp(); }",
        "}");
  }

  @Test
  void forwardSignature() {
    expect(Message.FORWARD_SIGNATURE, "Tensor run",
        "@Model public class Net extends Module {",
        "  public Tensor forward(Tensor x) { return x.exp(); }",
        "  @Forward public Tensor run(Tensor x) { return x.exp(); }",
        "}");
  }

  @Test
  void unsupportedStatement() {
    expect(Message.UNSUPPORTED_STATEMENT, "while (",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    while (x.size(1) < 3) { x = x.exp(); }",
        "    return x;",
        "  }",
        "}");
  }

  @Test
  void unsupportedExpression() {
    expect(Message.UNSUPPORTED_EXPRESSION, "cond ?",
        "@Model(input = {4}) public class Net extends Module {",
        "  boolean cond;",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor y = cond ? x.exp() : x.neg();",
        "    return y;",
        "  }",
        "}");
  }

  @Test
  void sizeArithmetic() {
    Compilation c = expect(Message.SIZE_ARITHMETIC, "double scale",
        "@Model(inputDims = {\"T\", \"8\"}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    int t = x.size(1);",
        "    double scale = 1.0 / Math.sqrt(t);",
        "    return x.mul(scale);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("`t` is the size T, which is known only at run time, but a number is needed here");
    Compilation split = Compile.source("demo.Net", (HEADER + "\n"
        + "@Model(inputDims = {\"T\", \"8\"}) public class Net extends Module {\n"
        + "  @Forward public Tensor forward(Tensor x) {\n"
        + "    int half = x.size(1) / 2;\n"
        + "    return x.narrow(1, 0, half);\n"
        + "  }\n"
        + "}").split("\n"));
    assertThat(split).hadErrorContaining("[size-arithmetic] x.size(1) / 2: T / 2 is not a size for every value of T")
        .inFile(split.sourceFiles().get(0)).onLineContaining("int half");
  }

  @Test
  void splitSizesThatDoNotAddUp() {
    Compilation c = expect(Message.SPLIT_MISMATCH, "x.split",
        "@Model(input = {12}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    java.util.List<Tensor> parts = x.split(new int[] {4, 6}, 1);",
        "    return parts.get(1);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("split sizes [4, 6] add up to 10, but dim 1 of x [B, 12] has size 12");
  }

  @Test
  void listIndexOutOfRange() {
    expect(Message.LIST_INDEX, "qkv.get(3)",
        "@Model(input = {12}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    var qkv = x.chunk(3, -1);",
        "    return qkv.get(3);",
        "  }",
        "}");
  }

  @Test
  void secondInputWithoutShape() {
    expect(Message.INPUT_UNDECLARED, "Tensor mask)",
        "@Model(input = {4}) public class Net extends Module {",
        "  public Tensor forward(Tensor x) { return x; }",
        "  @Forward public Tensor forward(Tensor x,",
        "      Tensor mask) {",
        "    return x.add(mask);",
        "  }",
        "}");
  }

  @Test
  void inputOfAnUnknownDtype() {
    Compilation c = expect(Message.INPUT_INVALID, "Tensor mask)",
        "@Model(input = {4}) public class Net extends Module {",
        "  public Tensor forward(Tensor x) { return x; }",
        "  @Forward public Tensor forward(Tensor x,",
        "      @Input(value = {\"B\", \"4\"}, dtype = \"INT8\") Tensor mask) {",
        "    return x.add(mask);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("dtype \"INT8\" is not one of \"FLOAT\" (the model's floating dtype), \"INT64\" or \"BOOL\"");
  }

  @Test
  void maskedFillWithAFloatMask() {
    expect(Message.DTYPE_MISMATCH, "x.maskedFill(m, 0.0)",
        "@Model(input = {4}) public class Net extends Module {",
        "  public Tensor forward(Tensor x) { return x; }",
        "  @Forward public Tensor forward(Tensor x, @Input({\"B\", \"4\"}) Tensor m) {",
        "    return x.maskedFill(m, 0.0);",
        "  }",
        "}");
  }

  @Test
  void boundedSizePastATable() {
    Compilation c = expect(Message.SHAPE_ERROR, "pos.weight.narrow(0, 0, t)",
        "@Model(inputDims = {\"T<=16\"}) public class Net extends Module {",
        "  @Layer Embedding tok = new Embedding(10, 4);",
        "  @Layer Embedding pos = new Embedding(8, 4);",
        "  @Forward public Tensor forward(Tensor idx) {",
        "    int t = idx.size(1);",
        "    return tok.forward(idx).add(pos.weight.narrow(0, 0, t));",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("start + length is T, which reaches 16 for T = 16 (@Model(inputDims)), past dim 0 of"
        + " `pos.weight` [8, 4]");
  }

  @Test
  void boundOfAnUnknownSize() {
    Compilation c = expect(Message.INPUT_DIMS_INVALID, "public class Net",
        "@Model(inputDims = {\"T\", \"4\", \"L<=0\"}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) { return x.exp(); }",
        "}");
    assertThat(c).hadErrorContaining("`L<=0` is not a bound: give a named size of the shape and a number from 1 to 2^30-1");
  }

  @Test
  void narrowPastARunTimeSizeIsAShapeError() {
    Compilation c = Compile.source("demo.Net", (HEADER + "\n"
        + "@Model(inputDims = {\"T\", \"8\"}) public class Net extends Module {\n"
        + "  @Forward public Tensor forward(Tensor x) {\n"
        + "    int t = x.size(1);\n"
        + "    return x.narrow(1, 1, t);\n"
        + "  }\n"
        + "}").split("\n"));
    assertThat(c).hadErrorContaining("[shape-error] x.narrow(1, 1, t): narrow: start (1) + length (T) exceeds dimension size (T)")
        .inFile(c.sourceFiles().get(0)).onLineContaining("x.narrow");
  }

  @Test
  void loopBoundNotConstant() {
    Compilation c = expect(Message.LOOP_BOUND, "i < steps",
        "@Model(inputDims = {\"T\", \"4\"}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    int steps = x.size(1);",
        "    for (int i = 0; i < steps; i++) {",
        "      x = x.exp();",
        "    }",
        "    return x;",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("the loop's bound `steps` is the size T, known only at run time, not a compile-time constant");
  }

  @Test
  void forEachOverSomethingElse() {
    Compilation c = expect(Message.FOR_EACH, "for (Linear l : extra)",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Layer Linear fc = new Linear(4, 4);",
        "  java.util.List<Linear> extra = java.util.List.of();",
        "  @Forward public Tensor forward(Tensor x) {",
        "    for (Linear l : extra) {",
        "      x = x.exp();",
        "    }",
        "    return fc.forward(x);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("`extra` is not a @Layer field of type ModuleList");
  }

  @Test
  void moduleListIndexOutOfRange() {
    Compilation c = expect(Message.MODULE_LIST, "blocks.get(2)",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Layer ModuleList<Linear> blocks = ModuleList.of(new Linear(4, 4), new Linear(4, 4));",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor h = blocks.get(0).forward(x);",
        "    return blocks.get(2).forward(h);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("index 2 is out of range for blocks, which holds 2 modules");
  }

  @Test
  void moduleListBuiltOutOfSight() {
    Compilation c = expect(Message.MODULE_LIST, "for (Linear l : blocks)",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Layer ModuleList<Linear> blocks;",
        "  public Net(java.util.List<Linear> layers) { blocks = ModuleList.of(layers); }",
        "  @Forward public Tensor forward(Tensor x) {",
        "    for (Linear l : blocks) {",
        "      x = l.forward(x);",
        "    }",
        "    return x;",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("the processor cannot see which modules the ModuleList holds");
  }

  @Test
  void moduleListHasNoForward() {
    expect(Message.MODULE_LIST, "return blocks.forward(x);",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Layer ModuleList<Linear> blocks = ModuleList.of(new Linear(4, 4));",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return blocks.forward(x);",
        "  }",
        "}");
  }

  @Test
  void javaOperatorsOnTensorsSayWhatToCall() {
    Compilation c = Compile.source("demo.Net", (HEADER + "\n"
        + "@Model(input = {4}) public class Net extends Module {\n"
        + "  @Forward public Tensor forward(Tensor x) {\n"
        + "    Tensor y = x + 1;\n"
        + "    return y;\n"
        + "  }\n"
        + "}").split("\n"));
    assertThat(c).hadErrorContaining("[unsupported-expression] The operator + where a tensor is expected (`x + 1`)")
        .inFile(c.sourceFiles().get(0)).onLineContaining("Tensor y = x + 1;");
  }

  @Test
  void unsupportedCall() {
    expect(Message.UNSUPPORTED_CALL, "x.cumsum",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.cumsum(1);",
        "  }",
        "}");
  }

  @Test
  void unsupportedLayer() {
    expect(Message.UNSUPPORTED_LAYER, "custom.forward",
        "@Model(input = {4}) public class Net extends Module {",
        "  static class Custom extends Module { public Tensor forward(Tensor x) { return x; } }",
        "  @Layer Custom custom = new Custom();",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return custom.forward(x);",
        "  }",
        "}");
  }

  @Test
  void inputShapeNeededWarnsAndKeepsTheEagerForward() {
    Compilation c = expect(Message.INPUT_SHAPE_NEEDED, "x.exp()",
        "@Model public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.exp();",
        "  }",
        "}");
    assertThat(c).succeeded();
    assertThat(c).generatedSourceFile("demo.CompiledNet");
  }

  @Test
  void matmulMismatch() {
    expect(Message.MATMUL_MISMATCH, "x.matmul(x)",
        "@Model(input = {3, 4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor y = x.exp();",
        "    return x.matmul(x);",
        "  }",
        "}");
  }

  @Test
  void broadcastMismatch() {
    Compilation c = expect(Message.BROADCAST_MISMATCH, "x.add(t)",
        "@Model(input = {3, 4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor t = x.transpose(1, 2);",
        "    return x.add(t);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("x [B, 3, 4] and t [B, 4, 3] cannot be broadcast (4 vs 3)");
  }

  @Test
  void catMismatch() {
    expect(Message.CAT_MISMATCH, "Tensor.cat",
        "@Model(input = {3, 4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor t = x.transpose(1, 2);",
        "    return Tensor.cat(1, x, t);",
        "  }",
        "}");
  }

  @Test
  void dimOutOfRange() {
    expect(Message.DIM_OUT_OF_RANGE, "x.softmax(3)",
        "@Model(input = {3, 4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.softmax(3);",
        "  }",
        "}");
  }

  @Test
  void reshapeMismatch() {
    expect(Message.RESHAPE_MISMATCH, "x.reshape",
        "@Model(input = {3, 4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.reshape(-1, 5);",
        "  }",
        "}");
  }

  @Test
  void unassigned() {
    expect(Message.UNASSIGNED, "return y",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor y;",
        "    return y;",
        "  }",
        "}");
  }

  @Test
  void conv1dChannelMismatchNamesTheLayers() {
    Compilation c = expect(Message.SHAPE_MISMATCH, "c2.forward",
        "@Model(input = {2, 16}) public class Net extends Module {",
        "  @Layer Conv1d c1 = new Conv1d(2, 4, 3);",
        "  @Layer Conv1d c2 = new Conv1d(5, 4, 3);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor h = c1.forward(x);",
        "    return c2.forward(h);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining(
        "c2 (Conv1d 5→4 k3) expects input [B, 5, L], but h has shape [B, 4, 14] (from c1: Conv1d 2→4 k3)");
  }

  @Test
  void lstmInputSizeMismatchNamesTheLayers() {
    Compilation c = expect(Message.SHAPE_MISMATCH, "lstm.forward",
        "@Model(input = {7, 8}) public class Net extends Module {",
        "  @Layer Linear fc = new Linear(8, 6);",
        "  @Layer LSTM lstm = new LSTM(5, 4, 2);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor h = fc.forward(x);",
        "    return lstm.forward(h);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining(
        "lstm (LSTM 5→4 ×2) expects input [B, T, 5] (batch first), but h has shape [B, 7, 6] (from fc: Linear 8→6)");
  }

  @Test
  void lstmInitialStateOfTheWrongShapeIsRefusedOnItsLine() {
    Compilation c = expect(Message.SHAPE_ERROR, "LSTM.Output dec",
        "@Model(inputDims = {\"T\", \"4\"}) public class Net extends Module {",
        "  @Layer LSTM enc = new LSTM(4, 6);",
        "  @Layer LSTM dec = new LSTM(6, 6, 2);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    LSTM.Output e = enc.forward(x, null, null);",
        "    LSTM.Output dec = this.dec.forward(e.output(), e.hn(), e.cn());",
        "    return dec.output();",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("LSTM: h0 must be [num_layers, B, hidden_size] = [2, B, 6], but got [1, B, 6]");
  }

  @Test
  void gruInitialStateOfAnIntegerDtypeIsRefusedOnItsLine() {
    Compilation c = expect(Message.DTYPE_MISMATCH, "gru.forward",
        "@Model(inputDims = {\"T\", \"4\"}) public class Net extends Module {",
        "  @Layer GRU gru = new GRU(4, 6);",
        "  @Forward public Tensor forward(Tensor x, @Input(value = {\"1\", \"B\", \"6\"}, dtype = \"INT64\") Tensor h0) {",
        "    GRU.Output o = gru.forward(x, h0);",
        "    return o.hn();",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("gru (GRU 4→6) expects floating-point states, but `gru.forward(x, h0)`'s state is INT64");
  }

  @Test
  void gruWithoutLayersIsRefusedOnItsLine() {
    Compilation c = expect(Message.UNSUPPORTED_LAYER, "gru.forward",
        "@Model(input = {7, 8}) public class Net extends Module {",
        "  @Layer GRU gru = new GRU(8, 4, 0);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return gru.forward(x);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("num_layers must be positive, but got 8, 4 and 0");
  }

  @Test
  void attentionHeadsThatDoNotDivideTheWidth() {
    Compilation c = expect(Message.UNSUPPORTED_LAYER, "attn.forward",
        "@Model(input = {4, 10}) public class Net extends Module {",
        "  @Layer MultiheadAttention attn = new MultiheadAttention(10, 3);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return attn.forward(x);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("embed_dim (10) must be divisible by num_heads (3)");
  }

  @Test
  void causalCrossAttentionOverAnotherLengthIsNotCompiled() {
    Compilation c = expect(Message.UNSUPPORTED_CALL, "attn.forward",
        "@Model(input = {4, 8}) public class Net extends Module {",
        "  @Layer MultiheadAttention attn = new MultiheadAttention(8, 2);",
        "  @Forward public Tensor forward(Tensor x, @Input({\"B\", \"S\", \"8\"}) Tensor memory) {",
        "    return attn.forward(x, memory, memory, true);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("MultiheadAttention's isCausal with a key as long as the query (here S is S and T is 4)");
  }

  @Test
  void crossAttentionKeyAndValueOfDifferentLengths() {
    Compilation c = expect(Message.SHAPE_ERROR, "attn.forward",
        "@Model(input = {4, 8}) public class Net extends Module {",
        "  @Layer MultiheadAttention attn = new MultiheadAttention(8, 2);",
        "  @Forward public Tensor forward(Tensor x, @Input({\"B\", \"5\", \"8\"}) Tensor memory) {",
        "    return attn.forward(x, memory, x, null);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("MultiheadAttention: key and value must be [B, S, 8] with the query's B and one S"
        + " for both, but got query [B, 4, 8], key [B, 5, 8] and value [B, 4, 8]");
  }

  @Test
  void attentionMaskOfTheWrongShape() {
    Compilation c = expect(Message.SHAPE_ERROR, "attn.forward",
        "@Model(input = {4, 8}) public class Net extends Module {",
        "  @Layer MultiheadAttention attn = new MultiheadAttention(8, 2);",
        "  @Layer Linear rel = new Linear(5, 5);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return attn.forward(x, x, x, rel.weight);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("attnMask must be [T, S] = [4, 4], but got [5, 5]");
  }

  @Test
  void nullOnlyAsAnAbsentMask() {
    Compilation c = expect(Message.UNSUPPORTED_CALL, "x.add(null)",
        "@Model(input = {4, 8}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.add(null);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("null only for an absent mask of a @Layer's forward");
  }

  @Test
  void attentionWidthMismatch() {
    Compilation c = expect(Message.SHAPE_MISMATCH, "attn.forward",
        "@Model(input = {4, 10}) public class Net extends Module {",
        "  @Layer MultiheadAttention attn = new MultiheadAttention(12, 3);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return attn.forward(x);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("attn (MultiheadAttention 12, 3 heads) expects input [B, T, 12] (batch first), but x has shape [B, 4, 10]");
  }

  @Test
  void conv1dKernelLongerThanTheInput() {
    Compilation c = expect(Message.SHAPE_ERROR, "c1.forward",
        "@Model(input = {2, 4}) public class Net extends Module {",
        "  @Layer Conv1d c1 = new Conv1d(2, 4, 7);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return c1.forward(x);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining("kernel");
  }

  @Test
  void shapeMismatchNamesBothLayers() {
    Compilation c = expect(Message.SHAPE_MISMATCH, "fc2.forward",
        "@Model public class Net extends Module {",
        "  @Layer Linear fc1 = new Linear(10, 20);",
        "  @Layer Linear fc2 = new Linear(30, 5);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor h = F.relu(fc1.forward(x));",
        "    return fc2.forward(h);",
        "  }",
        "}");
    assertThat(c).hadErrorContaining(
        "fc2 (Linear 30→5) expects last dim 30, but h has shape [B, 20] (from fc1: Linear 10→20)");
  }

  @Test
  void dtypeMismatch() {
    expect(Message.DTYPE_MISMATCH, "emb.forward",
        "@Model public class Net extends Module {",
        "  @Layer Linear fc = new Linear(4, 3);",
        "  @Layer Embedding emb = new Embedding(10, 2);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    Tensor h = fc.forward(x);",
        "    return emb.forward(h);",
        "  }",
        "}");
  }

  @Test
  void nestedModelInvalid() {
    expect(Message.NESTED_MODEL_INVALID, "Inner inner",
        "@Model public class Net extends Module {",
        "  @Model static class Inner extends Module {",
        "    @Forward public Tensor forward(Tensor x) { for (;;) { } }",
        "  }",
        "  @Layer Inner inner = new Inner();",
        "  @Layer Linear fc = new Linear(4, 4);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return inner.forward(fc.forward(x));",
        "  }",
        "}");
  }

  @Test
  void unknownLayerInit() {
    expect(Message.UNKNOWN_LAYER_INIT, "fc.forward",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Layer Linear fc = make();",
        "  static Linear make() { return new Linear(4, 2); }",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return fc.forward(x);",
        "  }",
        "}");
  }

  @Test
  void nonConstantArgumentWarnsAndKeepsTheEagerForward() {
    Compilation c = expect(Message.NON_CONSTANT_ARG, "new Linear(4, hidden)",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Layer Linear fc;",
        "  public Net(int hidden) { fc = new Linear(4, hidden); }",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return fc.forward(x);",
        "  }",
        "}");
    assertThat(c).succeeded();
  }

  @Test
  void shapeError() {
    expect(Message.SHAPE_ERROR, "conv.forward",
        "@Model(input = {1, 2, 2}) public class Net extends Module {",
        "  @Layer Conv2d conv = new Conv2d(1, 1, 3);",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return conv.forward(x);",
        "  }",
        "}");
  }

  @Test
  void inputDimsInvalid() {
    expect(Message.INPUT_DIMS_INVALID, "class Net",
        "@Model(inputDims = {\"T\", \"T\"}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.exp();",
        "  }",
        "}");
    Compilation both = expect(Message.INPUT_DIMS_INVALID, "class Net",
        "@Model(input = {4}, inputDims = {\"T\"}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.exp();",
        "  }",
        "}");
    assertThat(both).hadErrorContaining("not both");
  }

  @Test
  void budgetInvalid() {
    expect(Message.BUDGET_INVALID, "class Net",
        "@Model(input = {4}, maxParameters = 0)",
        "public class Net extends Module {",
        "  @Layer Linear fc = new Linear(4, 2);",
        "  @Forward public Tensor forward(Tensor x) { return fc.forward(x); }",
        "}");
  }

  @Test
  void overBudget() {
    // fc: 4*2 + 2 = 10 parameters
    Compilation c = expect(Message.OVER_BUDGET, "class Net",
        "@Model(input = {4}, maxParameters = 9)",
        "public class Net extends Module {",
        "  @Layer Linear fc = new Linear(4, 2);",
        "  @Forward public Tensor forward(Tensor x) { return fc.forward(x); }",
        "}");
    assertThat(c).hadErrorContaining("10 parameters, over the budget @Model(maxParameters = 9)");
  }

  @Test
  void budgetSymbolic() {
    // forward FLOPs per sample: T rows of 2*4*2 + 2
    Compilation c = expect(Message.BUDGET_SYMBOLIC, "class Net",
        "@Model(inputDims = {\"T\", \"4\"}, maxFlopsPerSample = 100)",
        "public class Net extends Module {",
        "  @Layer Linear fc = new Linear(4, 2);",
        "  @Forward public Tensor forward(Tensor x) { return fc.forward(x); }",
        "}");
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("is T*18, which depends on the input's named sizes");
  }

  @Test
  void noReturnInOneMode() {
    expect(Message.NO_RETURN, "public Tensor forward",
        "@Model(input = {4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    if (isTraining()) { return x.exp(); }",
        "  }",
        "}");
  }

  @Test
  void internalFailuresAreDiagnosticsNotCrashes() {
    // no model reaches an internal failure on purpose (a B*B size, the old example, now compiles): inject one
    List<String> lines = new ArrayList<>(List.of(HEADER.split("\n")));
    lines.addAll(List.of(
        "@Model(input = {4}) public class Net extends Module {",
        "  @Forward public Tensor forward(Tensor x) {",
        "    return x.matmul(x.t()).flatten(0);",
        "  }",
        "}"));
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Net", lines);
    Compilation c = javac().withProcessors(new ModelProcessor()).withOptions("-A" + ModelProcessor.INJECT_FAILURE + "=demo.Net")
        .compile(src);
    assertThat(c).hadErrorContaining("[internal]").inFile(src).onLineContaining("class Net");
    assertThat(c).hadErrorContaining("a failure injected by").inFile(src).onLineContaining("class Net");
    assertThat(c).hadErrorContaining("the eager model still works");
    TESTED.add(Message.INTERNAL);
    assertThat(javac().withProcessors(new ModelProcessor()).compile(src)).succeeded();   // B*B sizes compile
  }

  @Test
  void runtimeMissing() throws Exception {
    java.io.File dsl = new java.io.File(dev.flint.dsl.Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Net",
        "package demo;",
        "@dev.flint.dsl.Model public class Net {",
        "}");
    Compilation c = javac().withProcessors(new ModelProcessor()).withClasspath(List.of(dsl)).compile(src);
    assertThat(c).hadErrorContaining("[runtime-missing] dev.flint.nn.Module is not on the classpath").inFile(src)
        .onLineContaining("class Net");
    TESTED.add(Message.RUNTIME_MISSING);
  }

  @Test
  void treesUnavailable() {
    // IntelliJ's or ECJ's wrapped processing environment: javac's Trees API refuses it
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Net", HEADER,
        "@Model public class Net extends Module {",
        "  @Layer Linear fc = new Linear(2, 2);",
        "  @Forward public Tensor forward(Tensor x) { return fc.forward(x); }",
        "}");
    Compilation c = javac().withProcessors(new WrappedEnvironment(new ModelProcessor())).compile(src);
    assertThat(c).hadErrorContaining("[trees-unavailable] this compiler does not offer javac's Trees API, so demo.Net "
        + "cannot be compiled").inFile(src).onLineContaining("class Net");
    TESTED.add(Message.TREES_UNAVAILABLE);
  }

  /** Runs {@code delegate} with the processing environment behind a proxy, as IDEs wrap it. */
  private record WrappedEnvironment(Processor delegate) implements Processor {
    @Override
    public Set<String> getSupportedOptions() {
      return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment env) {
      delegate.init((ProcessingEnvironment) Proxy.newProxyInstance(ProcessingEnvironment.class.getClassLoader(),
          new Class<?>[] {ProcessingEnvironment.class}, (proxy, method, args) -> {
            try {
              return method.invoke(env, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }));
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
        ExecutableElement member, String userText) {
      return delegate.getCompletions(element, annotation, member, userText);
    }
  }

  @AfterEach
  void count() {
    testsRun++;
  }

  @AfterAll
  static void everyMessageHasANegativeTest() {
    long tests = Arrays.stream(DiagnosticsTest.class.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Test.class)).count();
    if (testsRun < tests) {
      return;   // a filtered run (-Dtest=DiagnosticsTest#one) cannot tell which messages lack a test
    }
    EnumSet<Message> missing = EnumSet.allOf(Message.class);
    missing.removeAll(TESTED);
    if (!missing.isEmpty()) {
      throw new AssertionError("messages without a negative test in DiagnosticsTest: " + missing
          + " (each Message needs a test that triggers it and checks its file and line)");
    }
  }
}

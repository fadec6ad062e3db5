package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The bare {@code Autograd.noGrad();} statement is a javac warning on its line, in any file, @Model or not. */
class NoGradLintTest {
  private static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new ModelProcessor(), new NoGradLint()).compile(sources);
  }

  @Test
  void bareStatementInAPlainClassWarnsOnItsLine() {
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Train",
        "package demo;",
        "import dev.flint.autograd.Autograd;",
        "import dev.flint.tensor.Tensor;",
        "public class Train {",
        "  static Tensor evaluate(Tensor w) {",
        "    Autograd.noGrad();   // the mistake",
        "    return w.mul(2);",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[bare-no-grad] `Autograd.noGrad();` as a statement turns gradients off")
        .inFile(src).onLineContaining("the mistake");
    assertThat(c).hadWarningCount(1);
  }

  @Test
  void qualifiedAndStaticallyImportedFormsWarnToo() {
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Train",
        "package demo;",
        "import static dev.flint.autograd.Autograd.noGrad;",
        "public class Train {",
        "  void a() { dev.flint.autograd.Autograd.noGrad(); }   // qualified",
        "  void b() { noGrad(); }   // static import",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadWarningContaining("[bare-no-grad]").inFile(src).onLineContaining("// qualified");
    assertThat(c).hadWarningContaining("[bare-no-grad]").inFile(src).onLineContaining("// static import");
    assertThat(c).hadWarningCount(2);
  }

  @Test
  void scopesLambdasAndOtherNoGradsAreFine() {
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Train",
        "package demo;",
        "import dev.flint.autograd.Autograd;",
        "import dev.flint.tensor.Tensor;",
        "public class Train {",
        "  static class Other { static void noGrad() {} }",
        "  static Tensor evaluate(Tensor w) {",
        "    try (var s = Autograd.noGrad()) { w.mul(2); }",
        "    Autograd.Scope kept = Autograd.noGrad();",
        "    kept.close();",
        "    Autograd.noGrad(() -> w.mul(3));",
        "    Other.noGrad();",
        "    return Autograd.noGrad(() -> w.mul(2));",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(0);
  }

  @Test
  void aFileThatDoesNotImportFlintsAutogradIsNotFlagged() {
    JavaFileObject mine = JavaFileObjects.forSourceLines("demo.Autograd",
        "package demo;",
        "public class Autograd { public static void noGrad() {} }");
    JavaFileObject user = JavaFileObjects.forSourceLines("demo.Use",
        "package demo;",
        "public class Use { void f() { Autograd.noGrad(); } }");
    Compilation c = compile(mine, user);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(0);
  }

  @Test
  void bareStatementInsideAModelIsFlaggedOnce() {
    JavaFileObject src = JavaFileObjects.forSourceLines("demo.Net",
        "package demo;",
        "import dev.flint.autograd.Autograd;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.Linear;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model public class Net extends Module {",
        "  @Layer Linear fc = new Linear(2, 1);",
        "  @Forward public Tensor forward(Tensor x) { return fc.forward(x); }",
        "  void freeze() { Autograd.noGrad(); }",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[bare-no-grad]").inFile(src).onLineContaining("void freeze");
    assertThat(c).hadWarningCount(1);
  }

  /**
   * As a user's build runs it: the processors registered in META-INF/services, no @Model
   * anywhere; an eager module whose only Flint annotation is @Layer (claimed by ModelProcessor, so
   * NoGradLint is not called for that round) is still warned once.
   */
  @Test
  void discoveredFromTheClassPathWithoutAnyModel() {
    JavaFileObject plain = JavaFileObjects.forSourceLines("demo.Train",
        "package demo;",
        "import dev.flint.autograd.Autograd;",
        "public class Train {",
        "  void f() { Autograd.noGrad(); }   // plain",
        "}");
    JavaFileObject eager = JavaFileObjects.forSourceLines("demo.Net",
        "package demo;",
        "import dev.flint.autograd.Autograd;",
        "import dev.flint.dsl.Layer;",
        "import dev.flint.nn.Linear;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "public class Net extends Module {",
        "  @Layer Linear fc = new Linear(2, 1);",
        "  public Tensor forward(Tensor x) { Autograd.noGrad(); return fc.forward(x); }   // eager",
        "}");
    // compile-testing turns javac's own discovery off, so load them as javac would: ServiceLoader, file order
    List<Processor> found = new ArrayList<>();
    ServiceLoader.load(Processor.class, NoGradLintTest.class.getClassLoader()).forEach(found::add);
    assertTrue(found.stream().anyMatch(p -> p instanceof NoGradLint), found.toString());
    Compilation c = javac().withProcessors(found).compile(plain, eager);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[bare-no-grad]").inFile(plain).onLineContaining("// plain");
    assertThat(c).hadWarningContaining("[bare-no-grad]").inFile(eager).onLineContaining("// eager");
    assertThat(c).hadWarningCount(2);
  }
}

package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.flint.nn.CompiledModel;
import dev.flint.nn.Module;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import dev.flint.testing.ModelCheck;
import org.junit.jupiter.api.Test;

/**
 * ModelCheck on classes the processor generates: their twins ({@link CompiledModel}) are built with the
 * constructor arguments of the checked instance, also for an abstract model whose constructor takes
 * arguments and declares a checked exception; and real compiled models pass.
 */
class ModelCheckOnGeneratedTest {

  @Test
  void generatedModelsPass() throws Exception {
    Compilation c = Compile.models("Mlp", "Cnn", "Embed");
    assertThat(c).succeeded();
    ClassLoader loader = Compile.loader(c);
    ModelCheck.verify(create(loader, "models.CompiledMlp"), Tensor.randn(new Generator(1), 4, 10),
        Tensor.randn(new Generator(2), 1, 10));
    ModelCheck.verify(create(loader, "models.CompiledCnn"), Tensor.randn(new Generator(3), 3, 1, 12, 12));
    ModelCheck.verify(create(loader, "models.CompiledEmbed"), Tensor.of(new long[] {1, 4, 2, 9, 0, 3, 5, 5, 7, 8}, 2, 5));
  }

  @Test
  void twinsAreBuiltWithTheInstancesConstructorArguments() throws Exception {
    Compilation c = Compile.source("demo.Scaled",
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.F;",
        "import dev.flint.nn.Linear;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "@Model",
        "public abstract class Scaled extends Module {",
        "  @Layer Linear fc = new Linear(4, 2);",
        "  public final double scale;",
        "  protected Scaled(double scale) throws java.io.IOException {",
        "    if (scale == 0) throw new java.io.IOException(\"no scale\");",
        "    this.scale = scale;",
        "  }",
        "  @Forward",
        "  public Tensor forward(Tensor x) {",
        "    return F.tanh(fc.forward(x));",
        "  }",
        "}");
    assertThat(c).succeeded();
    if (Boolean.getBoolean("dump")) {
      System.out.println(Compile.generatedSource(c, "demo.CompiledScaled"));
    }
    Class<?> compiled = Compile.loader(c).loadClass("demo.CompiledScaled");
    Module model = (Module) compiled.getConstructor(double.class).newInstance(2.5);
    Module eager = ((CompiledModel) model).newEagerTwin();
    Module again = ((CompiledModel) model).newCompiledTwin();
    assertEquals("demo.Scaled", eager.getClass().getSuperclass().getName(), "an anonymous subclass of the abstract model");
    assertNotEquals(compiled, eager.getClass());
    assertEquals(compiled, again.getClass());
    assertEquals(2.5, eager.getClass().getSuperclass().getDeclaredField("scale").getDouble(eager));
    assertEquals(2.5, compiled.getSuperclass().getDeclaredField("scale").getDouble(again));
    ModelCheck.verify(model, Tensor.randn(new Generator(5), 3, 4));
  }

  @Test
  void aModelThatIsNotCompiledIsRefusedByName() throws Exception {
    Compilation c = Compile.models("Mlp");
    Module eager = (Module) Compile.loader(c).loadClass("models.Mlp").getConstructor().newInstance();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelCheck.verify(eager, Tensor.randn(2, 10)));
    assertTrue(e.getMessage().contains("new CompiledMlp()"), e.getMessage());
  }

  private static Module create(ClassLoader loader, String name) throws Exception {
    return (Module) loader.loadClass(name).getConstructor().newInstance();
  }
}

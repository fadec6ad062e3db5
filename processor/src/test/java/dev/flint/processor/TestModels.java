package dev.flint.processor;

import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.parse.Ast;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.List;

/** Hand-built {@link ModelSource}s for IR-level tests, which run the stages without javac. */
public final class TestModels {
  private TestModels() {}

  public static SourceRef at(int line, String text) {
    return SourceRef.of("Net.java", line, text);
  }

  public static ModelSource.LayerInit layer(String simpleType, Object... args) {
    List<ModelSource.Arg> a = new ArrayList<>();
    for (Object o : args) {
      a.add(new ModelSource.Arg(o, String.valueOf(o)));
    }
    return new ModelSource.LayerInit("dev.flint.nn." + simpleType, a, List.of(), null, at(3, "new " + simpleType + "(...)"));
  }

  public static ModelSource.LayerField field(String name, ModelSource.LayerInit init) {
    return new ModelSource.LayerField(name, init.type(), init, at(3, name));
  }

  public static Ast.Expr name(String n) {
    return new Ast.Name(n, at(10, n));
  }

  public static Ast.Expr call(String layer, Ast.Expr arg, int line) {
    return new Ast.LayerCall(layer, arg, at(line, layer + ".forward(" + arg.where().text() + ")"));
  }

  public static Ast.Expr relu(Ast.Expr arg, int line) {
    return new Ast.StaticCall("F", "relu", List.of(arg), at(line, "F.relu(" + arg.where().text() + ")"));
  }

  public static ModelSource model(List<ModelSource.LayerField> layers, List<String> input, Ast.Stmt... body) {
    return new ModelSource("demo", "Net", "demo.Net", "Net.java", input, layers,
        new Ast.Method("x", List.of(body), at(9, "forward(x)")), List.of(), at(1, "Net"));
  }

  /** {@code h = relu(fc1(x)); return fc2(h);} with {@code fc1 = Linear(in, hidden)}, {@code fc2 = Linear(fc2In, out)}. */
  public static ModelSource mlp(int in, int hidden, int fc2In, int out) {
    return model(
        List.of(field("fc1", layer("Linear", in, hidden)), field("fc2", layer("Linear", fc2In, out))),
        List.of(),
        new Ast.Declare("h", relu(call("fc1", name("x"), 10), 10), at(10, "Tensor h = F.relu(fc1.forward(x));")),
        new Ast.Return(call("fc2", name("h"), 11), at(11, "return fc2.forward(h);")));
  }
}

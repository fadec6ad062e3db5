package dev.flint.processor.lower;

import dev.flint.processor.parse.Ast;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one input sample (sizes as {@code @Model(inputDims)} writes them) when the annotation does not give it, read off the first layer that
 * consumes the input: {@code Linear(in, ...)} gives {@code [in]}, {@code LayerNorm(d...)} its dims,
 * {@code BatchNorm1d(c)} {@code [c]}, {@code Embedding} a sequence of {@link #SEQUENCE} indices of any
 * length; a Sequential or nested model looks at its own first layer. Convolutions cannot tell the
 * spatial size.
 */
final class InputShapes {
  private static final int MAX_DEPTH = 8;
  /** The name of an embedding's sequence length when the model does not name it in {@code @Model(inputDims)}. */
  static final String SEQUENCE = "T";

  private InputShapes() {}

  /** The sample shape that {@code layer} expects, or null when it cannot say. */
  static List<String> infer(ModelSource.LayerInit layer, int depth) {
    if (layer == null || depth > MAX_DEPTH) {
      return null;
    }
    if (layer.nested() != null) {
      return infer(firstLayer(layer.nested()), depth + 1);
    }
    List<ModelSource.Arg> args = layer.args();
    if (args == null) {
      return null;
    }
    return switch (layer.simpleType()) {
      case "Linear", "BatchNorm1d" -> !args.isEmpty() && args.get(0).value() instanceof Integer n ? List.of(n.toString()) : null;
      case "LayerNorm" -> {
        List<String> dims = new ArrayList<>();
        for (ModelSource.Arg a : args) {
          if (a.value() instanceof Integer n) {
            dims.add(n.toString());
          }
        }
        yield dims.isEmpty() ? null : dims;
      }
      case "Embedding" -> List.of(SEQUENCE);
      case "Sequential" -> layer.children().isEmpty() ? null : infer(layer.children().get(0), depth + 1);
      default -> null;
    };
  }

  /** Whether {@code layer} reads integer indices (an Embedding first). */
  static boolean takesIndices(ModelSource.LayerInit layer, int depth) {
    if (layer == null || depth > MAX_DEPTH) {
      return false;
    }
    if (layer.nested() != null) {
      return takesIndices(firstLayer(layer.nested()), depth + 1);
    }
    if (layer.simpleType().equals("Sequential")) {
      return !layer.children().isEmpty() && takesIndices(layer.children().get(0), depth + 1);
    }
    return layer.type().equals(Layers.EMBEDDING);
  }

  /** The layer that a model's forward applies to its parameter first, or null. */
  static ModelSource.LayerInit firstLayer(ModelSource model) {
    String param = model.forward().parameter();
    for (Ast.Stmt s : model.forward().body()) {
      ModelSource.LayerInit found = first(stmtExpr(s), param, model);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static Ast.Expr stmtExpr(Ast.Stmt s) {
    if (s instanceof Ast.Declare d) {
      return d.value();
    }
    if (s instanceof Ast.Assign a) {
      return a.value();
    }
    if (s instanceof Ast.Return r) {
      return r.value();
    }
    return null;
  }

  /** The innermost-first layer call on {@code param} in {@code e} (evaluation order: arguments first). */
  private static ModelSource.LayerInit first(Ast.Expr e, String param, ModelSource model) {
    if (e instanceof Ast.LayerCall c) {
      ModelSource.LayerInit inner = first(c.argument(), param, model);
      if (inner != null) {
        return inner;
      }
      if (c.argument() instanceof Ast.Name n && n.name().equals(param)) {
        return model.layers().stream().filter(l -> l.name().equals(c.field())).findFirst()
            .map(ModelSource.LayerField::init).orElse(null);
      }
      return null;
    }
    if (e instanceof Ast.MethodCall m) {
      ModelSource.LayerInit t = first(m.target(), param, model);
      if (t != null) {
        return t;
      }
      return firstOf(m.args(), param, model);
    }
    if (e instanceof Ast.StaticCall s) {
      return firstOf(s.args(), param, model);
    }
    return null;
  }

  private static ModelSource.LayerInit firstOf(List<Ast.Expr> args, String param, ModelSource model) {
    for (Ast.Expr a : args) {
      ModelSource.LayerInit f = first(a, param, model);
      if (f != null) {
        return f;
      }
    }
    return null;
  }
}

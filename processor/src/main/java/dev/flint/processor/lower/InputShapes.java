package dev.flint.processor.lower;

import dev.flint.layers.LayerArgs;
import dev.flint.layers.LayerSpec;
import dev.flint.processor.parse.Ast;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one input sample (sizes as {@code @Model(inputDims)} writes them) when the annotation does not give it, read off the first layer that
 * consumes the input, by its {@code LayerSpec.sampleShape}: {@code Linear(in, ...)} gives {@code [in]},
 * {@code LayerNorm(d...)} its dims, {@code BatchNorm1d(c)} {@code [c]}; a layer taking indices
 * (Embedding) a sequence of {@link #SEQUENCE} indices of any length; a Sequential or nested model
 * looks at its own first layer. Convolutions cannot tell the spatial size.
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
    if (layer.type().equals(Layers.SEQUENTIAL)) {
      return layer.children() == null || layer.children().isEmpty() ? null : infer(layer.children().get(0), depth + 1);
    }
    LayerSpec spec = LayerSpec.forClass(layer.type());
    if (spec == null) {
      return null;
    }
    if (spec.input() == LayerSpec.Input.INDICES) {
      return List.of(SEQUENCE);
    }
    LayerArgs args = constantArgs(spec, layer);
    int[] shape = args == null ? null : spec.sampleShape(args);
    if (shape == null) {
      return null;
    }
    List<String> dims = new ArrayList<>();
    for (int d : shape) {
      dims.add(Integer.toString(d));
    }
    return dims;
  }

  /** The layer's arguments when all are constants that bind, else null (lowering reports what is wrong). */
  private static LayerArgs constantArgs(LayerSpec spec, ModelSource.LayerInit layer) {
    if (layer.args() == null) {
      return null;
    }
    List<Object> values = new ArrayList<>();
    for (ModelSource.Arg a : layer.args()) {
      if (!a.isConstant()) {
        return null;
      }
      values.add(a.value());
    }
    try {
      return LayerArgs.bind(spec, values);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether {@code layer} reads integer indices (an Embedding first). */
  static boolean takesIndices(ModelSource.LayerInit layer, int depth) {
    if (layer == null || depth > MAX_DEPTH) {
      return false;
    }
    if (layer.nested() != null) {
      return takesIndices(firstLayer(layer.nested()), depth + 1);
    }
    if (layer.type().equals(Layers.SEQUENTIAL)) {
      return layer.children() != null && !layer.children().isEmpty() && takesIndices(layer.children().get(0), depth + 1);
    }
    LayerSpec spec = LayerSpec.forClass(layer.type());
    return spec != null && spec.input() == LayerSpec.Input.INDICES;
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

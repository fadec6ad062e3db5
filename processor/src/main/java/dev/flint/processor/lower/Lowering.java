package dev.flint.processor.lower;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.ops.ShapeError;
import dev.flint.processor.check.ShapeInference;
import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.GraphBuilder;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Renaming;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Symbolic;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import dev.flint.processor.parse.Ast;
import dev.flint.processor.parse.ModelSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a model's {@code @Forward} body to an IR graph of op-table rows for one mode (training or
 * evaluation) and one stand-in batch size (Note [Symbolic sizes]). It runs the body like an
 * interpreter over values instead of tensors: {@code if (isTraining())} picks its branch, layers are
 * replaced by their math ({@link Layers}), nested models are inlined. Every shape problem is reported
 * at the user's expression, and lowering stops at the first one.
 */
public final class Lowering {
  private final ModelSource model;
  private final boolean training;
  private final int batch;
  private final Diagnostics diags;
  final GraphBuilder graph = new GraphBuilder(new ShapeInference());
  private final Map<String, Value> leaves = new HashMap<>();
  private final Map<Integer, String> names = new HashMap<>();
  private final Map<Integer, String> provenance = new HashMap<>();
  private final Layers layers = new Layers(this);
  private final TensorMethods methods = new TensorMethods(this);
  private Value input;
  private boolean fellBack;

  public Lowering(ModelSource model, boolean training, int batch, Diagnostics diags) {
    this.model = model;
    this.training = training;
    this.batch = batch;
    this.diags = diags;
  }

  /** The graph of the forward pass, or null after reporting an error. */
  public Graph lower() {
    try {
      Frame top = new Frame(model, "", "", null);
      Value result = run(model.forward(), top);
      Value out = result;
      if (graph.nodes().stream().noneMatch(n -> n.out().equals(result))) {
        // The output is the input or a parameter: copy it, since the autograd node is set on the output.
        out = graph.op(Op.CLONE, List.of(out), Attrs.NONE, "out", "", model.forward().where());
      }
      return new Renaming(names).apply(graph.build(out));
    } catch (Abort a) {
      return null;
    }
  }

  /**
   * Whether lowering stopped on a warning that leaves the model uncompiled (unknown input shape,
   * non-constant layer arguments): the generated class then keeps the eager forward.
   */
  public boolean fellBack() {
    return fellBack;
  }

  /** Reports a warning and stops lowering; the model keeps its eager forward. */
  Abort fallBack(Message message, SourceRef where, Object... args) {
    fellBack = true;
    diags.warning(message, where, args);
    return new Abort();
  }

  String compiledName() {
    return model.compiledName();
  }

  public boolean training() {
    return training;
  }

  /** The layers and variables of one model body being run: the top model, or a nested model inlined. */
  record Frame(ModelSource model, String access, String state, Value argument) {
    ModelSource.LayerField layer(String name) {
      return model.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }
  }

  /** Runs a forward body; returns the value of its {@code return}. */
  Value run(Ast.Method method, Frame frame) {
    Map<String, Value> vars = new LinkedHashMap<>();
    if (frame.argument() != null) {
      vars.put(method.parameter(), frame.argument());
    }
    Value out = block(method.body(), frame, vars);
    if (out == null) {
      throw abort(Message.NO_RETURN, method.where());
    }
    return out;
  }

  private Value block(List<Ast.Stmt> body, Frame frame, Map<String, Value> vars) {
    for (Ast.Stmt s : body) {
      int firstNew = nextId();
      if (s instanceof Ast.Declare d) {
        vars.put(d.name(), bind(d.name(), expr(d.value(), frame, vars), firstNew, frame));
      } else if (s instanceof Ast.Assign a) {
        vars.put(a.name(), bind(a.name(), expr(a.value(), frame, vars), firstNew, frame));
      } else if (s instanceof Ast.Return r) {
        Value out = expr(r.value(), frame, vars);
        if (out.id() >= firstNew && !names.containsKey(out.id())) {
          names.put(out.id(), frame.state().isEmpty() ? "out" : hint(frame.state()) + "Out");
        }
        return out;
      } else if (s instanceof Ast.IfTraining i) {
        Value out = block(training ? i.whenTraining() : i.otherwise(), frame, vars);
        if (out != null) {
          return out;
        }
      }
    }
    return null;
  }

  /** Names the value computed by a statement after the user's variable (nested models prefix their field). */
  private Value bind(String var, Value v, int firstNew, Frame frame) {
    if (v.id() >= firstNew) {
      names.put(v.id(), frame.state().isEmpty() ? var : hint(frame.state()) + Character.toUpperCase(var.charAt(0)) + var.substring(1));
    }
    return v;
  }

  private int nextId() {
    return graph.nextId();
  }

  // ------------------------------------------------------------------ expressions

  Value expr(Ast.Expr e, Frame frame, Map<String, Value> vars) {
    if (e instanceof Ast.Name n) {
      Value v = vars.get(n.name());
      if (v == null && isInput(n.name(), frame)) {
        return input(e.where());
      }
      if (v == null) {
        throw abort(Message.UNASSIGNED, e.where(), n.name());
      }
      return v;
    }
    if (e instanceof Ast.LayerCall c) {
      ModelSource.LayerField field = frame.layer(c.field());
      Value arg = c.argument() instanceof Ast.Name n && vars.get(n.name()) == null && isInput(n.name(), frame)
          ? input(c.argument().where())
          : expr(c.argument(), frame, vars);
      Described in = described(arg, describe(c.argument()));
      return layers.lower(field.init(), frame.access() + c.field(), frame.state() + c.field(), in, c.where());
    }
    if (e instanceof Ast.LayerParam p) {
      ModelSource.LayerField field = frame.layer(p.field());
      return layers.parameter(field.init(), frame.access() + p.field(), frame.state() + p.field(), p.member(), p.where());
    }
    if (e instanceof Ast.MethodCall m) {
      Value target = expr(m.target(), frame, vars);
      return methods.call(described(target, describe(m.target())), m, frame, vars);
    }
    if (e instanceof Ast.StaticCall s) {
      return methods.staticCall(s, frame, vars);
    }
    throw abort(Message.UNSUPPORTED_EXPRESSION, e.where(),
        "A " + (e instanceof Ast.Literal ? "number" : "list") + " (`" + e.where().text() + "`) where a tensor is expected");
  }

  /** Whether {@code name} is the top model's forward parameter, which is typed at its first use. */
  private boolean isInput(String name, Frame frame) {
    return frame.argument() == null && frame.access().isEmpty() && name.equals(model.forward().parameter());
  }

  /** The model input, typed at its first use: from {@code @Model(input)}, or from the first layer that reads it. */
  private Value input(SourceRef where) {
    if (input != null) {
      return input;
    }
    ModelSource.LayerInit firstLayer = InputShapes.firstLayer(model);
    List<Integer> sample = model.inputShape().isEmpty() ? InputShapes.infer(firstLayer, 0) : model.inputShape();
    boolean indices = firstLayer != null && InputShapes.takesIndices(firstLayer, 0);
    if (sample == null) {
      throw fallBack(Message.INPUT_SHAPE_NEEDED, where, where.text(), model.compiledName());
    }
    int[] shape = new int[sample.size() + 1];
    shape[0] = batch;
    for (int i = 0; i < sample.size(); i++) {
      shape[i + 1] = sample.get(i);
    }
    TensorType type = new TensorType(indices ? TensorType.Elem.INT64 : TensorType.Elem.FLOAT, shape);
    input = graph.leaf(Leaf.Role.INPUT, model.forward().parameter(), type, model.forward().parameter(), "the input");
    return input;
  }

  /** A leaf read from the model (a parameter or buffer), created once per access path. */
  Value state(Leaf.Role role, String access, TensorType type, String hint, String origin) {
    return leaves.computeIfAbsent(access, a -> graph.leaf(role, a, type, hint, origin));
  }

  // ------------------------------------------------------------------ ops and errors

  /** Appends {@code op}; a shape error becomes a diagnostic at {@code where} that names the operands. */
  Value op(Op op, List<Value> inputs, Attrs attrs, SourceRef where, List<String> names) {
    return op(op, inputs, attrs, where, names, "");
  }

  /** As above, recording what produced the value ({@code fc1: Linear 10→20}) for later messages. */
  Value op(Op op, List<Value> inputs, Attrs attrs, SourceRef where, List<String> names, String origin) {
    try {
      Value out = graph.op(op, inputs, attrs, "t", origin, where);
      track(out, inputs, origin);
      return out;
    } catch (ShapeError e) {
      throw shapeError(op, inputs, names, e, where);
    }
  }

  /** Where a value comes from: its layer, or for a one-input op (activation, reshape) its input's layer. */
  private void track(Value out, List<Value> inputs, String origin) {
    if (!origin.isEmpty()) {
      provenance.put(out.id(), origin);
    } else if (inputs.size() == 1 && provenance.containsKey(inputs.get(0).id())) {
      provenance.put(out.id(), provenance.get(inputs.get(0).id()));
    }
  }

  String topPackage() {
    return model.packageName();
  }

  Value op(Op op, Value x, Attrs attrs, SourceRef where) {
    return op(op, List.of(x), attrs, where, List.of("the input"));
  }

  private Abort shapeError(Op op, List<Value> in, List<String> names, ShapeError e, SourceRef where) {
    String a = in.isEmpty() ? "" : Symbolic.shape(in.get(0).type().shape());
    String b = in.size() < 2 ? "" : Symbolic.shape(in.get(1).type().shape());
    switch (op) {
      case ADD, SUB, MUL, DIV, WHERE -> {
        int[] x = in.get(0).type().shape();
        int[] y = in.get(1).type().shape();
        for (int i = 1; i <= Math.min(x.length, y.length); i++) {
          int p = x[x.length - i];
          int q = y[y.length - i];
          if (p != q && p != 1 && q != 1) {
            return abort(Message.BROADCAST_MISMATCH, where, where.text(), names.get(0) + " " + a,
                names.get(1) + " " + b, Symbolic.size(p), Symbolic.size(q));
          }
        }
      }
      case MATMUL -> {
        int[] x = in.get(0).type().shape();
        int[] y = in.get(1).type().shape();
        if (x.length >= 2 && y.length >= 2) {
          return abort(Message.MATMUL_MISMATCH, where, names.get(0) + " " + a, names.get(1) + " " + b,
              Symbolic.size(x[x.length - 1]), Symbolic.size(y[y.length - 2]));
        }
      }
      case RESHAPE -> {
        int[] x = in.get(0).type().shape();
        long perSample = 1;
        for (int i = 1; i < x.length; i++) {
          perSample *= x[i];
        }
        return abort(Message.RESHAPE_MISMATCH, where, where.text(), names.get(0) + " " + a,
            x.length > 0 && x[0] == batch ? perSample : "?", shapeAttr(e));
      }
      default -> { }
    }
    return abort(Message.SHAPE_ERROR, where, where.text(), e.getMessage()
        .replace(Integer.toString(batch), Symbolic.BATCH));
  }

  private static String shapeAttr(ShapeError e) {
    String m = e.getMessage();
    int start = m.indexOf('\'');
    int end = m.indexOf('\'', start + 1);
    return start >= 0 && end > start ? m.substring(start + 1, end) : m;
  }

  /** Reports {@code message} and returns the exception that stops lowering. */
  Abort abort(Message message, SourceRef where, Object... args) {
    diags.error(message, where, args);
    return new Abort();
  }

  void warn(Message message, SourceRef where, Object... args) {
    diags.warning(message, where, args);
  }

  /** A dim normalized to {@code [0, rank)}, or a {@code dim-out-of-range} error naming the operand. */
  int dim(int d, Described x, SourceRef where) {
    int rank = x.value().type().rank();
    if (d < -rank || d >= Math.max(rank, 1)) {
      throw abort(Message.DIM_OUT_OF_RANGE, where, where.text(), d, x.name() + " " + Symbolic.shape(x.value().type().shape()),
          rank, -rank, rank - 1);
    }
    return d < 0 ? d + rank : d;
  }

  int batch() {
    return batch;
  }

  /** How a value is named in messages: the user's variable, or the source of the expression. */
  static String describe(Ast.Expr e) {
    return e instanceof Ast.Name n ? n.name() : "`" + e.where().text() + "`";
  }

  /** {@code block.fc1} → {@code blockFc1}: a Java-identifier hint for a dotted path. */
  static String hint(String path) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : path.toCharArray()) {
      if (Character.isJavaIdentifierPart(c)) {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = sb.length() > 0;
      }
    }
    return sb.length() == 0 || !Character.isJavaIdentifierStart(sb.charAt(0)) ? "l" + sb : sb.toString();
  }

  /** A value with the name messages call it by, and the layer it comes from (for "(from fc1: Linear 10→20)"). */
  record Described(Value value, String name, String provenance) {
    String shape() {
      return Symbolic.shape(value.type().shape());
    }

    String from() {
      return provenance == null || provenance.isEmpty() ? "" : " (from " + provenance + ")";
    }
  }

  Described described(Value v, String name) {
    return new Described(v, name, provenance.get(v.id()));
  }

  /** Stops lowering after an error was reported. */
  static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort() {
      super(null, null, false, false);
    }
  }
}

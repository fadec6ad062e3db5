package dev.flint.processor.lower;

import dev.flint.ops.Attrs;
import dev.flint.ops.DimAlgebra;
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
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import dev.flint.processor.parse.Ast;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a model's {@code @Forward} body to an IR graph of op-table rows for one mode (training or
 * evaluation), with symbolic sizes: the batch {@code B} and the sizes named in
 * {@code @Model(inputDims)} (Note [Symbolic sizes] in {@link Dim}). It runs the body like an
 * interpreter over values instead of tensors: {@code if (isTraining())} picks its branch, layers are
 * replaced by their math ({@link Layers}), nested models are inlined. Every shape problem is reported
 * at the user's expression, and lowering stops at the first one.
 */
public final class Lowering {
  private final ModelSource model;
  private final boolean training;
  private final Diagnostics diags;
  final GraphBuilder graph = new GraphBuilder(new ShapeInference());
  private final Map<String, Value> leaves = new HashMap<>();
  private final Map<Integer, String> names = new HashMap<>();
  private final Map<Integer, String> provenance = new HashMap<>();
  private final Layers layers = new Layers(this);
  private final TensorMethods methods = new TensorMethods(this);
  final Scalars scalars = new Scalars(this);
  private final Splits splits = new Splits(this, methods);
  /** The forward parameters typed so far, by name. */
  private final Map<String, Value> inputs = new LinkedHashMap<>();
  /** The labels of the loop iterations being unrolled, outermost first. */
  private final java.util.Deque<String> iterations = new java.util.ArrayDeque<>();
  /** The most iterations the processor unrolls in one loop. */
  private static final int MAX_UNROLLED = 1024;
  private boolean fellBack;
  /** The declared most of each bounded size ({@code T<=64}), known once the input is typed. */
  private final Map<String, Long> maxSizes = new LinkedHashMap<>();

  public Lowering(ModelSource model, boolean training, Diagnostics diags) {
    this.model = model;
    this.training = training;
    this.diags = diags;
  }

  /** The graph of the forward pass, or null after reporting an error. */
  public Graph lower() {
    try {
      Frame top = new Frame(model, "", "", List.of());
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
  record Frame(ModelSource model, String access, String state, List<Value> arguments) {
    /** Whether this is the top model, whose parameters are the inputs. */
    boolean top() {
      return arguments.isEmpty();
    }

    ModelSource.LayerField layer(String name) {
      return model.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }
  }

  /** Runs a forward body; returns the value of its {@code return}. */
  Value run(Ast.Method method, Frame frame) {
    Scope vars = new Scope();
    for (int i = 0; i < frame.arguments().size(); i++) {
      vars.put(method.parameters().get(i), frame.arguments().get(i));
    }
    Value out = block(method.body(), frame, vars);
    if (out == null) {
      throw abort(Message.NO_RETURN, method.where());
    }
    return out;
  }

  private Value block(List<Ast.Stmt> body, Frame frame, Scope vars) {
    for (Ast.Stmt s : body) {
      int firstNew = nextId();
      if (s instanceof Ast.Declare d && yieldsRecord(d.value(), frame, vars)) {   // var o = lstm.forward(x, h0, c0);
        let(d.name(), Ast.Kind.RECORD, d.value(), frame, vars);
      } else if (s instanceof Ast.Declare d) {
        vars.put(d.name(), bind(d.name(), expr(d.value(), frame, vars), firstNew, frame));
      } else if (s instanceof Ast.Let l) {
        let(l.name(), l.kind(), l.value(), frame, vars);
      } else if (s instanceof Ast.Assign a && vars.scalar(a.name()) != null) {
        let(a.name(), vars.scalar(a.name()).integral() ? Ast.Kind.INT : Ast.Kind.DOUBLE, a.value(), frame, vars);
      } else if (s instanceof Ast.Assign a && vars.list(a.name()) != null) {
        let(a.name(), Ast.Kind.LIST, a.value(), frame, vars);
      } else if (s instanceof Ast.Assign a && vars.record(a.name()) != null) {
        let(a.name(), Ast.Kind.RECORD, a.value(), frame, vars);
      } else if (s instanceof Ast.Assign a) {
        vars.put(a.name(), bind(a.name(), expr(a.value(), frame, vars), firstNew, frame));
      } else if (s instanceof Ast.Return r) {
        Value out = expr(r.value(), frame, vars);
        if (out.id() >= firstNew && !names.containsKey(out.id())) {
          names.put(out.id(), frame.state().isEmpty() ? "out" : hint(frame.state()) + "Out");
        }
        return out;
      } else if (s instanceof Ast.ForEach f) {
        Value out = forEach(f, frame, vars);
        if (out != null) {
          return out;
        }
      } else if (s instanceof Ast.Loop l) {
        Value out = loop(l, frame, vars);
        if (out != null) {
          return out;
        }
      } else if (s instanceof Ast.IfTraining i) {
        Value out = block(training ? i.whenTraining() : i.otherwise(), frame, vars);
        if (out != null) {
          return out;
        }
      }
    }
    return null;
  }

  /** Unrolls a counted for loop: its body once per value of the counter, each labeled {@code i = 2} for comments. */
  private Value loop(Ast.Loop l, Frame frame, Scope vars) {
    long from = loopBound(l, l.from(), "start", frame, vars);
    long bound = loopBound(l, l.bound(), "bound", frame, vars);
    int count = 0;
    for (long i = from; compare(i, l.compare(), bound); i += l.step()) {
      if (++count > MAX_UNROLLED) {
        throw abort(Message.SHAPE_ERROR, l.where(), l.where().text().lines().findFirst().orElse(""),
            "the loop runs more than " + MAX_UNROLLED + " times; the processor unrolls loops, so keep them short");
      }
      vars.putScalar(l.var(), Scalar.of(Dim.constant(i)));
      iterations.addLast(l.var() + " = " + i);
      try {
        Value out = block(l.body(), frame, vars);
        if (out != null) {
          return out;
        }
      } finally {
        iterations.removeLast();
      }
    }
    return null;
  }

  /**
   * Unrolls {@code for (Block b : blocks)}: the body once per module of the list, {@code b} naming it,
   * each iteration labeled with the module's state-dict path ({@code blocks.2}) for comments.
   */
  private Value forEach(Ast.ForEach f, Frame frame, Scope vars) {
    ModelSource.LayerField field = frame.layer(f.field());
    List<ModelSource.LayerInit> modules = modules(field, f.where());
    Scope.LayerRef shadowed = vars.layer(f.var());
    try {
      for (int i = 0; i < modules.size(); i++) {
        Scope.LayerRef item = item(field, modules, i, frame);
        vars.putLayer(f.var(), item);
        iterations.addLast(item.state());
        try {
          Value out = block(f.body(), frame, vars);
          if (out != null) {
            return out;
          }
        } finally {
          iterations.removeLast();
        }
      }
      return null;
    } finally {
      if (shadowed == null) {
        vars.removeLayer(f.var());
      } else {
        vars.putLayer(f.var(), shadowed);
      }
    }
  }

  /** The modules of a ModuleList field, as its initializer builds them. */
  private List<ModelSource.LayerInit> modules(ModelSource.LayerField field, SourceRef at) {
    if (field.init().args() == null || !field.init().type().equals(Layers.MODULE_LIST)) {
      throw abort(Message.MODULE_LIST, at, field.name(), "the processor cannot see which modules the ModuleList holds;"
          + " build it in the field's declaration or a constructor as ModuleList.of(new Block(), new Block()) or"
          + " ModuleList.of(IntStream.range(0, N).mapToObj(i -> new Block()).toList()) with a constant N");
    }
    return field.init().children();
  }

  /** Module {@code i} of a ModuleList field: read as {@code ((Block) blocks.get(i))}, keyed {@code blocks.i}. */
  private static Scope.LayerRef item(ModelSource.LayerField field, List<ModelSource.LayerInit> modules, int i, Frame frame) {
    ModelSource.LayerInit init = modules.get(i);
    return new Scope.LayerRef(init, Layers.cast(init.type(), frame.access() + field.name() + ".get(" + i + ")"),
        frame.state() + field.name() + "." + i);
  }

  /**
   * {@code blocks.get(i).forward(x)}: module {@code i} (negative counts from the end) applied to {@code x}; a
   * {@link RecordValue} when {@code record} (a form that returns one).
   */
  private Object itemCall(Ast.ItemCall c, boolean record, Frame frame, Scope vars) {
    Scope.LayerRef item = itemRef(c, frame, vars);
    Value arg = argument(c.argument(), frame, vars);
    List<Object> more = more(c.more(), frame, vars);
    iterations.addLast(item.state());
    try {
      Described in = described(arg, describe(c.argument()));
      return record ? layers.lowerRecord(item.init(), item.access(), item.state(), in, more, c.where())
          : layers.lower(item.init(), item.access(), item.state(), in, more, c.where());
    } finally {
      iterations.removeLast();
    }
  }

  /** The module {@code blocks.get(i)} of an item call names. */
  private Scope.LayerRef itemRef(Ast.ItemCall c, Frame frame, Scope vars) {
    ModelSource.LayerField field = frame.layer(c.field());
    List<ModelSource.LayerInit> modules = modules(field, c.where());
    Scalar index = scalars.eval(c.index(), frame, vars);
    if (!index.integral() || !index.size().isConstant()) {
      throw abort(Message.MODULE_LIST, c.index().where(), c.where().text(), "the index `" + c.index().where().text()
          + "` is " + (index.integral() ? "the size " + index.size() + ", known only at run time" : "a double")
          + "; the processor picks the module at compile time, so use an int constant or a counted loop's variable");
    }
    long i = index.size().constantValue();
    long at = i < 0 ? i + modules.size() : i;
    if (at < 0 || at >= modules.size()) {
      throw abort(Message.MODULE_LIST, c.index().where(), c.where().text(), "index " + i + " is out of range for "
          + c.field() + ", which holds " + modules.size() + " modules");
    }
    return item(field, modules, (int) at, frame);
  }

  /** The arguments of a layer call after the first: tensors (attention's key, value, mask), or constant flags. */
  private List<Object> more(List<Ast.Expr> args, Frame frame, Scope vars) {
    List<Object> more = new ArrayList<>();
    for (Ast.Expr m : args) {
      more.add(m instanceof Ast.Literal lit ? lit.value() : argument(m, frame, vars));
    }
    return more;
  }

  private Value argument(Ast.Expr a, Frame frame, Scope vars) {
    return a instanceof Ast.Name n && vars.get(n.name()) == null && isInput(n.name(), frame)
        ? input(n.name(), a.where())
        : expr(a, frame, vars);
  }

  private long loopBound(Ast.Loop l, Ast.Expr e, String which, Frame frame, Scope vars) {
    Scalar s = scalars.eval(e, frame, vars);
    if (!s.integral() || !s.size().isConstant()) {
      throw abort(Message.LOOP_BOUND, e.where(), "for (" + l.var() + " ...)", which, e.where().text(),
          s.integral() ? "the size " + s.size() + ", known only at run time" : "the double " + s.real());
    }
    return s.size().constantValue();
  }

  private static boolean compare(long i, String op, long bound) {
    return switch (op) {
      case "<" -> i < bound;
      case "<=" -> i <= bound;
      case ">" -> i > bound;
      default -> i >= bound;
    };
  }

  /** {@code where} labeled with the unrolled iterations being lowered ({@code i = 2}), for generated comments. */
  SourceRef here(SourceRef where) {
    return where.inIteration(String.join(", ", iterations));
  }

  /** {@code int name = value;} (Java's int arithmetic, sizes symbolic), {@code double name = value;}, or a list. */
  private void let(String name, Ast.Kind kind, Ast.Expr value, Frame frame, Scope vars) {
    switch (kind) {
      case INT -> vars.putScalar(name, Scalar.of(Dim.of(scalars.integer(value, frame, vars, "an int"))));
      case DOUBLE -> vars.putScalar(name, Scalar.of(scalars.real(value, frame, vars)));
      case LIST -> {
        int firstNew = nextId();
        List<Value> parts = splits.list(value, frame, vars);
        for (int i = 0; i < parts.size(); i++) {
          if (parts.get(i).id() >= firstNew) {
            bind(name + i, parts.get(i), firstNew, frame);
          }
        }
        vars.putList(name, parts);
      }
      case RECORD -> {
        int firstNew = nextId();
        RecordValue r = record(value, frame, vars);
        for (int i = 0; i < r.accessors().size(); i++) {   // o.hn() is named oHn
          String a = r.accessors().get(i);
          bind(name + Character.toUpperCase(a.charAt(0)) + a.substring(1), r.values().get(i), firstNew, frame);
        }
        vars.putRecord(name, r);
      }
    }
  }

  /**
   * Whether {@code e} is a record a layer returns: a record local, or a layer call of a form that returns one
   * ({@code lstm.forward(x, h0, c0)}).
   */
  private boolean yieldsRecord(Ast.Expr e, Frame frame, Scope vars) {
    if (e instanceof Ast.Name n) {
      return vars.record(n.name()) != null;
    }
    if (e instanceof Ast.LayerCall c) {
      return Layers.returnsRecord(layerRef(c.field(), frame, vars).init(), c.more().size());
    }
    if (e instanceof Ast.ItemCall c) {
      return Layers.returnsRecord(itemRef(c, frame, vars).init(), c.more().size());
    }
    return false;
  }

  /** The record that {@code e} yields (see {@link #yieldsRecord}). */
  private RecordValue record(Ast.Expr e, Frame frame, Scope vars) {
    if (e instanceof Ast.Name n && vars.record(n.name()) != null) {
      return vars.record(n.name());
    }
    if ((e instanceof Ast.LayerCall || e instanceof Ast.ItemCall) && yieldsRecord(e, frame, vars)) {
      return (RecordValue) layerCall(e, true, frame, vars);
    }
    throw abort(Message.UNSUPPORTED_EXPRESSION, e.where(), "`" + e.where().text() + "` where a layer's record is"
        + " expected (LSTM.Output o = lstm.forward(x, h0, c0), GRU.Output o = gru.forward(x, h0))");
  }

  /** {@code o.hn()}: a component of a record, read with its accessor. */
  private Value component(Ast.MethodCall m, Frame frame, Scope vars) {
    RecordValue r = record(m.target(), frame, vars);
    Value v = m.args().isEmpty() ? r.get(m.method()) : null;
    if (v == null) {
      throw abort(Message.UNSUPPORTED_CALL, m.where(), "`" + m.where().text() + "`", "the accessors of " + r.type() + ", "
          + r.readers(describe(m.target()).replace("`", "")));
    }
    return v;
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

  Value expr(Ast.Expr e, Frame frame, Scope vars) {
    if (e instanceof Ast.Name n) {
      Value v = vars.get(n.name());
      if (v == null && isInput(n.name(), frame)) {
        return input(n.name(), e.where());
      }
      if (v == null && vars.record(n.name()) != null) {
        throw abort(Message.UNSUPPORTED_EXPRESSION, e.where(), "The record `" + n.name() + "` ("
            + vars.record(n.name()).type() + ") where a tensor is expected; read " + vars.record(n.name()).readers(n.name()));
      }
      if (v == null && (vars.scalar(n.name()) != null || vars.list(n.name()) != null)) {
        throw abort(Message.UNSUPPORTED_EXPRESSION, e.where(), "The " + (vars.list(n.name()) != null ? "list" : "number")
            + " `" + n.name() + "` where a tensor is expected");
      }
      if (v == null) {
        throw abort(Message.UNASSIGNED, e.where(), n.name());
      }
      return v;
    }
    if (e instanceof Ast.LayerCall || e instanceof Ast.ItemCall) {
      return (Value) layerCall(e, false, frame, vars);
    }
    if (e instanceof Ast.LayerParam p) {
      Scope.LayerRef ref = layerRef(p.field(), frame, vars);
      return layers.parameter(ref.init(), ref.access(), ref.state(), p.member(), p.where());
    }
    if (e instanceof Ast.MethodCall m && m.method().equals("get") && Splits.isList(m.target(), vars)) {
      return splits.get(m, frame, vars);
    }
    if (e instanceof Ast.MethodCall m && yieldsRecord(m.target(), frame, vars)) {
      return component(m, frame, vars);
    }
    if (e instanceof Ast.MethodCall m) {
      Value target = expr(m.target(), frame, vars);
      return methods.call(described(target, describe(m.target())), m, frame, vars);
    }
    if (e instanceof Ast.StaticCall s) {
      return methods.staticCall(s, frame, vars);
    }
    if (e instanceof Ast.Arith a) {
      throw abort(Message.UNSUPPORTED_EXPRESSION, e.where(), "The operator " + a.op() + " where a tensor is expected (`"
          + e.where().text() + "`): Java operators compute ints and doubles; for tensors call add, sub, mul, div");
    }
    throw abort(Message.UNSUPPORTED_EXPRESSION, e.where(),
        "A " + (e instanceof Ast.IntList ? "list" : "number") + " (`" + e.where().text() + "`) where a tensor is expected");
  }

  /**
   * A call of a layer's forward ({@code fc.forward(x)}, {@code blocks.get(i).forward(x)}): its value, or the
   * {@link RecordValue} of a form that returns a record when {@code record}.
   */
  private Object layerCall(Ast.Expr e, boolean record, Frame frame, Scope vars) {
    if (e instanceof Ast.ItemCall c) {
      return itemCall(c, record, frame, vars);
    }
    Ast.LayerCall c = (Ast.LayerCall) e;
    Scope.LayerRef ref = layerRef(c.field(), frame, vars);
    Value arg = argument(c.argument(), frame, vars);
    Described in = described(arg, describe(c.argument()));
    if (ref.init().type().equals(Layers.MODULE_LIST)) {
      throw abort(Message.MODULE_LIST, c.where(), c.where().text(), "a ModuleList has no forward (as in PyTorch);"
          + " apply its modules: for (Block b : " + c.field() + ") { x = b.forward(x); }");
    }
    List<Object> more = more(c.more(), frame, vars);
    return record ? layers.lowerRecord(ref.init(), ref.access(), ref.state(), in, more, c.where())
        : layers.lower(ref.init(), ref.access(), ref.state(), in, more, c.where());
  }

  /** The layer that {@code name} names: a for-each loop's module, or a @Layer field of the frame's model. */
  private static Scope.LayerRef layerRef(String name, Frame frame, Scope vars) {
    Scope.LayerRef alias = vars.layer(name);
    if (alias != null) {
      return alias;
    }
    ModelSource.LayerField field = frame.layer(name);
    return new Scope.LayerRef(field.init(), frame.access() + name, frame.state() + name);
  }

  /** The tensors of a list expression: a {@code List<Tensor>} local, or a split or chunk. */
  List<Value> splitsOf(Ast.Expr e, Frame frame, Scope vars) {
    return splits.list(e, frame, vars);
  }

  /** Whether {@code name} is a parameter of the top model's forward, which is typed at its first use. */
  private boolean isInput(String name, Frame frame) {
    return frame.top() && frame.access().isEmpty() && model.forward().parameters().contains(name);
  }

  /**
   * The forward parameter {@code name}, typed at its first use: from its {@code @Input}; the first one also from
   * {@code @Model(input)}, or from the first layer that reads it.
   */
  private Value input(String name, SourceRef where) {
    Value known = inputs.get(name);
    if (known != null) {
      return known;
    }
    Ast.Input declared = model.forward().inputs().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    boolean first = declared.name().equals(model.forward().parameter());
    Value v;
    if (!declared.shape().isEmpty()) {
      v = declaredInput(declared, first);
    } else if (first) {
      v = firstInput(where);
    } else {
      throw abort(Message.INPUT_UNDECLARED, declared.where(), name, name);
    }
    inputs.put(name, v);
    return v;
  }

  /** A parameter with {@code @Input}: its whole shape ({@code B} the batch) and dtype as written. */
  private Value declaredInput(Ast.Input in, boolean first) {
    if (first && !model.inputShape().isEmpty()) {
      throw abort(Message.INPUT_INVALID, in.where(), in.name(), "give the first parameter's shape once, in @Model or"
          + " in @Input, not both");
    }
    TensorType.Elem elem = switch (in.dtype()) {
      case "FLOAT" -> TensorType.Elem.FLOAT;
      case "INT64" -> TensorType.Elem.INT64;
      case "BOOL" -> TensorType.Elem.BOOL;
      default -> throw abort(Message.INPUT_INVALID, in.where(), in.name(), "dtype \"" + in.dtype() + "\" is not one of"
          + " \"FLOAT\" (the model's floating dtype), \"INT64\" or \"BOOL\"");
    };
    List<Dim> shape = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String size : in.shape()) {
      if (size.matches("[0-9]{1,10}") && Long.parseLong(size) > 0 && Long.parseLong(size) < DimAlgebra.SYMBOLIC) {
        shape.add(Dim.constant(Integer.parseInt(size)));
      } else if ((size.equals(Dim.BATCH) || isSizeName(size)) && names.add(size)) {
        shape.add(Dim.symbol(size));
      } else {
        throw abort(Message.INPUT_INVALID, in.where(), in.name(), "`" + size + "` is not a size: give numbers from 1 to"
            + " 2^30-1, B for the batch, and names of sizes (capital letters and digits, such as T; each name once)");
      }
    }
    if (first) {
      maxSizes(names);
    }
    return graph.leaf(Leaf.Role.INPUT, in.name(), new TensorType(elem, shape), in.name(), "the input " + in.name());
  }

  /** The first parameter without {@code @Input}: from {@code @Model(input)}, or from the first layer that reads it. */
  private Value firstInput(SourceRef where) {
    ModelSource.LayerInit firstLayer = InputShapes.firstLayer(model);
    List<String> sample = model.inputShape().isEmpty() ? InputShapes.infer(firstLayer, 0) : model.inputShape();
    boolean indices = firstLayer != null && InputShapes.takesIndices(firstLayer, 0);
    if (sample == null || model.inputShape().isEmpty() && sample.contains(InputShapes.SEQUENCE)
        && !isSizeName(InputShapes.SEQUENCE)) {
      throw fallBack(Message.INPUT_SHAPE_NEEDED, where, where.text(), model.compiledName());
    }
    List<Dim> shape = new ArrayList<>();
    shape.add(Dim.symbol(Dim.BATCH));
    Set<String> names = new HashSet<>();
    for (String size : sample.stream().map(ModelSource::sizeName).toList()) {
      if (size.matches("[0-9]{1,10}") && Long.parseLong(size) > 0 && Long.parseLong(size) < DimAlgebra.SYMBOLIC) {
        shape.add(Dim.constant(Integer.parseInt(size)));
      } else if (isSizeName(size) && names.add(size)) {
        shape.add(Dim.symbol(size));
      } else {
        throw abort(Message.INPUT_DIMS_INVALID, model.where(), model.simpleName(), "`" + size + "` is not a size: give"
            + " numbers from 1 to 2^30-1 and names of sizes (capital letters and digits, such as T, other than B"
            + " and the layer fields; each name once)");
      }
    }
    maxSizes(names);
    TensorType type = new TensorType(indices ? TensorType.Elem.INT64 : TensorType.Elem.FLOAT, shape);
    String param = model.forward().parameter();
    return graph.leaf(Leaf.Role.INPUT, param, type, param, "the input");
  }

  /** The declared bounds of sizes ({@code T<=64}): positive ints, on sizes the shape names. */
  private void maxSizes(Set<String> sizes) {
    model.maxSizes().forEach((name, bound) -> {
      if (!sizes.contains(name) || !bound.matches("[0-9]{1,10}") || Long.parseLong(bound) < 1
          || Long.parseLong(bound) >= DimAlgebra.SYMBOLIC) {
        throw abort(Message.INPUT_DIMS_INVALID, model.where(), model.simpleName(), "`" + name + "<=" + bound + "` is not"
            + " a bound: give a named size of the shape and a number from 1 to 2^30-1, such as T<=64");
      }
      maxSizes.put(name, Long.parseLong(bound));
    });
  }

  /**
   * Whether {@code end}, an end along a dim of {@code size} entries, may pass it for some allowed value of the
   * bounded sizes ({@code T<=64}): checked where the dim has a size known at compile time.
   */
  boolean mayExceed(Dim end, Dim size) {
    if (maxSizes.isEmpty() || !size.isConstant() || !maxSizes.keySet().containsAll(end.symbols())) {
      return false;
    }
    Long worst = end.substitute(maxSizes).constantValue();
    return worst != null && worst > size.constantValue();
  }

  /** The bounds of sizes declared in {@code @Model(inputDims)}, as {@code T<=64}. */
  Map<String, Long> maxSizes() {
    return maxSizes;
  }

  /**
   * Whether {@code name} can name a size. Generated code declares it as an int local, so it must not
   * shadow the parameter, a layer field, or a type or constant the code names (CamelCase, or with '_').
   */
  private boolean isSizeName(String name) {
    return name.matches("[A-Z][A-Z0-9]*") && !name.equals(Dim.BATCH) && !model.forward().parameters().contains(name)
        && model.layers().stream().noneMatch(l -> l.name().equals(name));
  }

  /** Attention's causal mask for {@code scores [..., T, S]}: a {@code [T, S]} tensor of 0 and -inf made at run time. */
  Value causalMask(Value scores, SourceRef at) {
    List<Dim> d = scores.type().dims();
    TensorType type = new TensorType(TensorType.Elem.FLOAT, List.of(d.get(d.size() - 2), d.get(d.size() - 1)));
    return graph.leaf(Leaf.Role.COMPUTED, LoweredLayer.LAYER_KERNELS + ".causalMask(%s)", List.of(scores), type,
        "causal", "");
  }

  /** A 0-d tensor of {@code value} in {@code like}'s dtype, made at run time (a maskedFill's fill). */
  Value fill(Value like, double value) {
    String v = Double.isNaN(value) ? "Double.NaN" : Double.isInfinite(value)
        ? (value > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY") : Double.toString(value);
    return graph.leaf(Leaf.Role.COMPUTED, LoweredLayer.LAYER_KERNELS + ".fill(%s, " + v + ")", List.of(like),
        new TensorType(TensorType.Elem.FLOAT, List.of()), "fill", "");
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
      Value out = graph.op(op, inputs, attrs, "t", origin, here(where));
      track(out, inputs, origin);
      return out;
    } catch (ShapeError e) {
      throw shapeError(op, inputs, attrs, names, e, where);
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

  /** {@code v}, the result of a layer's last op, labelled with the layer ({@code fc1: Linear 10→20}). */
  Value withOrigin(Value v, String origin) {
    Value named = graph.withOrigin(v, origin);
    track(named, List.of(), origin);
    return named;
  }

  String topPackage() {
    return model.packageName();
  }

  Value op(Op op, Value x, Attrs attrs, SourceRef where) {
    return op(op, List.of(x), attrs, where, List.of("the input"));
  }

  /** The message for a shape rule's refusal, from the operands' types (the rule's own text as a last resort). */
  private Abort shapeError(Op op, List<Value> in, Attrs attrs, List<String> names, ShapeError e, SourceRef where) {
    String a = in.isEmpty() ? "" : in.get(0).type().shapeText();
    String b = in.size() < 2 ? "" : in.get(1).type().shapeText();
    switch (op) {
      case ADD, SUB, MUL, DIV, WHERE -> {
        List<Dim> x = in.get(0).type().dims();
        List<Dim> y = in.get(1).type().dims();
        for (int i = 1; i <= Math.min(x.size(), y.size()); i++) {
          Dim p = x.get(x.size() - i);
          Dim q = y.get(y.size() - i);
          if (!p.equals(q) && !p.equals(Dim.constant(1)) && !q.equals(Dim.constant(1))) {
            return abort(Message.BROADCAST_MISMATCH, where, where.text(), names.get(0) + " " + a,
                names.get(1) + " " + b, p, q);
          }
        }
      }
      case MATMUL -> {
        if (in.get(0).type().rank() >= 2 && in.get(1).type().rank() >= 2) {
          return abort(Message.MATMUL_MISMATCH, where, names.get(0) + " " + a, names.get(1) + " " + b,
              in.get(0).type().dim(-1), in.get(1).type().dim(-2));
        }
      }
      case RESHAPE -> {
        List<Dim> x = in.get(0).type().dims();
        Dim perSample = x.isEmpty() ? null : in.get(0).type().numel().dividedBy(x.get(0));
        return abort(Message.RESHAPE_MISMATCH, where, where.text(), names.get(0) + " " + a,
            perSample != null && x.get(0).equals(Dim.symbol(Dim.BATCH)) ? perSample : "?",
            new TensorType(TensorType.Elem.FLOAT, attrs.ints(Attrs.SHAPE)).shapeText());
      }
      default -> { }
    }
    return abort(Message.SHAPE_ERROR, where, where.text(), e.getMessage());
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
      throw abort(Message.DIM_OUT_OF_RANGE, where, where.text(), d, x.name() + " " + x.value().type().shapeText(),
          rank, -rank, rank - 1);
    }
    return d < 0 ? d + rank : d;
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
      return value.type().shapeText();
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

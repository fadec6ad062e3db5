package dev.flint.processor.lower;

import dev.flint.layers.LayerArgs;
import dev.flint.layers.LayerSpec;
import dev.flint.layers.Param;
import dev.flint.layers.StateSpec;
import dev.flint.ops.DimAlgebra;
import dev.flint.processor.diag.Message;
import dev.flint.processor.grad.GraphAlgebra;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering.Described;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Replaces each layer call by its {@link LayerSpec}'s forward traced into op-table rows: the same
 * description and math ({@code dev.flint.layers.Composites}) that the eager module runs, so compiled
 * and eager models agree to rounding. Parameters and buffers become leaves read from the layer's
 * public fields (see {@link LoweredLayer}). Sequential and nested {@code @Model}s are containers.
 */
final class Layers {
  static final String NN = "dev.flint.nn.";
  static final String SEQUENTIAL = NN + "Sequential";
  static final String MODULE_LIST = NN + "ModuleList";
  static final String SUPPORTED = Stream.of(LayerSpec.values()).map(LayerSpec::className).collect(Collectors.joining(", "))
      + ", Sequential, and @Model classes in the same package";

  /** Note [Casts in access paths]: {@code {T:a.b.C}} in a leaf's access marks a type the emitter imports. */
  static String cast(String type, String expr) {
    return "(({T:" + type + "}) " + expr + ")";
  }

  private final Lowering low;

  Layers(Lowering low) {
    this.low = low;
  }

  /** The output of layer {@code init} (read as {@code access}, named {@code state} in the state dict) on {@code in}. */
  Value lower(ModelSource.LayerInit init, String access, String state, Described in, SourceRef at) {
    return lower(init, access, state, in, List.of(), at);
  }

  /**
   * As above, for {@code forward(in, more...)}: {@code more} holds the further arguments, values (tensors)
   * or constants ({@code Boolean}), which only a spec that takes them accepts.
   */
  Value lower(ModelSource.LayerInit init, String access, String state, Described in, List<Object> more, SourceRef at) {
    if (init.nested() != null) {
      return nested(init, access, state, in, more, at);
    }
    if (!more.isEmpty() && init.type().equals(SEQUENTIAL)) {
      throw low.abort(Message.UNSUPPORTED_CALL, at, "`" + at.text() + "` (" + init.simpleType() + " takes one tensor)",
          "`" + state + ".forward(x)`");
    }
    if (init.args() == null) {
      throw init.type().startsWith(NN) ? low.abort(Message.UNKNOWN_LAYER_INIT, at, state, init.simpleType())
          : low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType(), SUPPORTED);
    }
    if (init.type().equals(SEQUENTIAL)) {
      Described x = in;
      for (int i = 0; i < init.children().size(); i++) {
        ModelSource.LayerInit child = init.children().get(i);
        Value v = lower(child, cast(child.type(), access + ".get(" + i + ")"), state + "." + i, x, at);
        x = low.described(v, state + "." + i);
      }
      return x.value();
    }
    LayerSpec spec = LayerSpec.forClass(init.type());
    if (spec == null) {
      throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType(), SUPPORTED);
    }
    LayerArgs args = bind(spec, init, state, at);
    String label = state + " (" + describe(init) + ")";
    Value x = checkInput(spec, args, in, label, at);
    Value out = trace(spec, args, new LoweredLayer(low, args, access, state, at), x, more, at);
    return out == x ? out : low.withOrigin(out, state + ": " + describe(init));
  }

  /** Whether {@code forward} with {@code more} further arguments returns a record ({@code LSTM.Output}) for layer {@code init}. */
  static boolean returnsRecord(ModelSource.LayerInit init, int more) {
    LayerSpec spec = init.nested() != null || init.args() == null ? null : LayerSpec.forClass(init.type());
    return spec != null && spec.recordComponents(more) != null;
  }

  /**
   * The record that layer {@code init}'s {@code forward(in, more...)} returns ({@code lstm.forward(x, h0, c0)}):
   * its components traced as the spec's {@link LayerSpec#forwardRecord}. The further arguments are the
   * initial states: tensors in the input's dtype, or null.
   */
  RecordValue lowerRecord(ModelSource.LayerInit init, String access, String state, Described in, List<Object> more,
      SourceRef at) {
    LayerSpec spec = LayerSpec.forClass(init.type());
    LayerArgs args = bind(spec, init, state, at);
    String label = state + " (" + describe(init) + ")";
    Value x = checkInput(spec, args, in, label, at);
    for (Object m : more) {
      if (m instanceof Value v && v.type().elem() != TensorType.Elem.FLOAT) {
        throw low.abort(Message.DTYPE_MISMATCH, at, label, "floating-point states", "`" + at.text() + "`'s state",
            v.type().elem().toString(), "; pass the states in the input's dtype");
      }
    }
    GraphAlgebra ops = new GraphAlgebra(low.graph, low.here(at));
    List<Value> values;
    try {
      values = spec.forwardRecord(ops, new LoweredLayer(low, args, access, state, at), args, x, more);
    } catch (UnsupportedOperationException e) {
      throw low.abort(Message.UNSUPPORTED_CALL, at, "`" + at.text() + "`", e.getMessage());
    } catch (IllegalArgumentException e) {   // a state of the wrong shape
      throw low.abort(Message.SHAPE_ERROR, at, at.text(), e.getMessage());
    }
    List<String> accessors = spec.recordComponents(more.size());
    List<Value> named = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Value v = values.get(i);
      named.add(v == x || more.contains(v) ? v : low.withOrigin(v, state + ": " + describe(init) + " " + accessors.get(i)));
    }
    return new RecordValue(spec.recordType(), accessors, named);
  }

  /** {@code F.gelu(x, ...)} and the other functional forms of layers, with their arguments as constructed. */
  Value functional(LayerSpec spec, List<Object> arguments, boolean training, Described in, SourceRef at) {
    LayerArgs args;
    try {
      args = LayerArgs.bind(spec, arguments);
    } catch (IllegalArgumentException e) {
      throw low.abort(Message.UNSUPPORTED_EXPRESSION, at, "`" + at.text() + "` (" + e.getMessage() + ")");
    }
    return trace(spec, args, LoweredLayer.functional(low, training, at), in.value(), List.of(), at);
  }

  private Value trace(LayerSpec spec, LayerArgs args, LoweredLayer layer, Value x, List<Object> more, SourceRef at) {
    GraphAlgebra ops = new GraphAlgebra(low.graph, low.here(at));
    try {
      return spec.forward(ops, layer, args, x, more);
    } catch (UnsupportedOperationException e) {   // a form of forward the spec does not compile
      throw low.abort(Message.UNSUPPORTED_CALL, at, "`" + at.text() + "`", e.getMessage());
    } catch (IllegalArgumentException e) {   // a ShapeError from an op's rule (a kernel larger than the image)
      throw low.abort(Message.SHAPE_ERROR, at, at.text(), e.getMessage());
    }
  }

  /** The input after the spec's checks: its dtype, its dims, its shape; each failure a diagnostic naming the layer. */
  private Value checkInput(LayerSpec spec, LayerArgs args, Described in, String label, SourceRef at) {
    TensorType.Elem elem = in.value().type().elem();
    if (spec.input() == LayerSpec.Input.FLOATING && elem != TensorType.Elem.FLOAT) {
      throw low.abort(Message.DTYPE_MISMATCH, at, label, "a floating-point input", in.name(), elem + in.from(),
          "; convert it with to(DType.FLOAT32), or feed it to an Embedding");
    }
    if (spec.input() == LayerSpec.Input.INDICES && elem == TensorType.Elem.FLOAT) {
      throw low.abort(Message.DTYPE_MISMATCH, at, label, "INT64 indices", in.name(), "floating point" + in.from(),
          "; pass integer indices (Tensor.of(long[]), or x.to(DType.INT64))");
    }
    for (Param p : spec.params()) {
      if (p.kind() == Param.Kind.DIM) {
        low.dim(args.integer(p.name()), in, at);
      }
    }
    String expected = spec.expects(args, in.value().type().shape());
    if (expected != null) {
      throw low.abort(Message.SHAPE_MISMATCH, at, label, expected, in.name(), in.shape(), in.from());
    }
    return in.value();
  }

  /** A layer's parameter or buffer read directly ({@code fc.weight}), typed from the layer's constructor arguments. */
  Value parameter(ModelSource.LayerInit init, String access, String state, String member, SourceRef at) {
    LayerSpec spec = init.nested() != null || init.args() == null ? null : LayerSpec.forClass(init.type());
    List<String> readable = new ArrayList<>();
    for (LayerSpec s : LayerSpec.values()) {
      if (!s.state(defaults(s)).isEmpty()) {
        readable.add(s.className());
      }
    }
    if (spec == null || !readable.contains(spec.className())) {
      throw low.abort(Message.UNSUPPORTED_EXPRESSION, at, "`" + at.text() + "` (a field of " + init.simpleType()
          + "); parameters can be read from " + String.join(", ", readable) + " layers");
    }
    LayerArgs args = bind(spec, init, state, at);
    LoweredLayer layer = new LoweredLayer(low, args, access, state, at);
    StateSpec s = layer.spec(member);
    if (s == null || s.counts()) {
      throw low.abort(Message.UNSUPPORTED_EXPRESSION, at, "`" + at.text() + "` (" + init.simpleType() + " has no tensor "
          + member + " here); it has " + spec.state(args).stream().filter(x -> !x.counts()).map(StateSpec::field)
              .collect(Collectors.joining(", ")));
    }
    return layer.read(s);
  }

  /** The layer's arguments with only its required ones given (1 each), to list what it can hold. */
  private static LayerArgs defaults(LayerSpec s) {
    List<Object> required = new ArrayList<>();
    for (Param p : s.params()) {
      if (p.defaultValue() == null) {
        required.add(1);
      }
    }
    return LayerArgs.bind(s, required);
  }

  /** A nested @Model inlined: its forward run on {@code in} and the tensors of {@code more}, one per parameter. */
  private Value nested(ModelSource.LayerInit init, String access, String state, Described in, List<Object> more,
      SourceRef at) {
    ModelSource nested = init.nested();
    List<Value> values = new ArrayList<>(List.of(in.value()));
    more.forEach(m -> values.add(m instanceof Value v ? v : null));
    if (nested.forward().inputs().size() != values.size() || values.contains(null)) {
      throw low.abort(Message.UNSUPPORTED_CALL, at, "`" + at.text() + "`", state + ".forward with the "
          + nested.forward().inputs().size() + " tensors of " + init.simpleType() + ".forward("
          + String.join(", ", nested.forward().parameters()) + ")");
    }
    if (!nested.packageName().equals(low.topPackage())) {
      throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType() + " (a @Model in package "
          + nested.packageName() + ", whose @Layer fields the generated code cannot read)", SUPPORTED);
    }
    return low.run(nested.forward(), new Lowering.Frame(nested, access + ".", state + ".", values));
  }

  /** The constructor arguments bound by name; a non-constant one makes the model fall back to eager. */
  private LayerArgs bind(LayerSpec spec, ModelSource.LayerInit init, String state, SourceRef at) {
    List<Object> values = new ArrayList<>();
    for (ModelSource.Arg a : init.args()) {
      if (!a.isConstant()) {
        throw low.fallBack(Message.NON_CONSTANT_ARG, init.where(), a.text(), init.simpleType(), state, low.compiledName());
      }
      if (a.value() instanceof Number n && !(n instanceof Double) && Math.abs(n.longValue()) >= DimAlgebra.SYMBOLIC) {
        // sizes are int codes below 2^30 (Note [Symbolic sizes]); no layer this large fits in memory
        throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType() + " with an argument of " + n
            + " (2^30 or more)", SUPPORTED);
      }
      values.add(a.value());
    }
    try {
      return LayerArgs.bind(spec, values);
    } catch (IllegalArgumentException e) {
      throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType() + " with these arguments (" + e.getMessage()
          + ")", SUPPORTED);
    }
  }

  /** {@code Linear 10→20}: how messages and comments name a layer. */
  static String describe(ModelSource.LayerInit init) {
    List<ModelSource.Arg> a = init.args() == null ? List.of() : init.args();
    List<String> v = a.stream().map(x -> !x.isConstant() ? x.text()
        : x.value() instanceof int[] xs ? java.util.Arrays.toString(xs) : String.valueOf(x.value())).toList();
    if (init.type().equals(SEQUENTIAL)) {
      return init.simpleType() + " of " + init.children().size();
    }
    LayerSpec spec = LayerSpec.forClass(init.type());
    if (spec == null) {
      return v.isEmpty() ? init.simpleType() : init.simpleType() + " " + String.join(", ", v);
    }
    return spec.describe(v);
  }
}

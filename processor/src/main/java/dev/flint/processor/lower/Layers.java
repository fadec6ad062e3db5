package dev.flint.processor.lower;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering.Described;
import dev.flint.processor.parse.ModelSource;
import java.util.Arrays;
import java.util.List;

/**
 * Replaces each layer call by the layer's math in op-table rows, as the layer's eager
 * {@code forward} (through {@code dev.flint.nn.F}) computes it, so that the compiled and eager models
 * agree to rounding. Parameters and buffers become leaves read from the layer's public fields.
 */
final class Layers {
  static final String NN = "dev.flint.nn.";
  static final String LINEAR = NN + "Linear";
  static final String EMBEDDING = NN + "Embedding";
  static final String SUPPORTED = "Linear, ReLU, Sigmoid, Tanh, GELU, LeakyReLU, Softmax, LogSoftmax, Dropout, "
      + "BatchNorm1d, BatchNorm2d, LayerNorm, Conv2d, MaxPool2d, AvgPool2d, Flatten, Embedding, Sequential, "
      + "and @Model classes in the same package";

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
    if (init.nested() != null) {
      return nested(init, access, state, in, at);
    }
    String type = init.type();
    if (!type.startsWith(NN) || init.args() == null) {
      if (init.args() == null && type.startsWith(NN)) {
        throw low.abort(Message.UNKNOWN_LAYER_INIT, at, state, init.simpleType());
      }
      throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType(), SUPPORTED);
    }
    Args args = new Args(init, state, at);
    String label = state + " (" + describe(init) + ")";
    String origin = state + ": " + describe(init);
    switch (init.simpleType()) {
      case "Linear" -> {
        return linear(args.integer(0), args.integer(1), args.bool(2, true), access, state, in, at, label, origin);
      }
      case "ReLU" -> {
        return low.op(Op.RELU, List.of(floating(in, label, at)), Attrs.NONE, at, List.of(in.name()), origin);
      }
      case "Sigmoid" -> {
        return low.op(Op.SIGMOID, List.of(floating(in, label, at)), Attrs.NONE, at, List.of(in.name()), origin);
      }
      case "Tanh" -> {
        return low.op(Op.TANH, List.of(floating(in, label, at)), Attrs.NONE, at, List.of(in.name()), origin);
      }
      case "GELU" -> {
        return gelu(low, in, "tanh".equals(args.text(0, "none")), at);
      }
      case "LeakyReLU" -> {
        return leakyRelu(low, in, args.real(0, 0.01), at);
      }
      case "Softmax", "LogSoftmax" -> {
        int dim = low.dim(args.integer(0), in, at);
        Op op = init.simpleType().equals("Softmax") ? Op.SOFTMAX : Op.LOG_SOFTMAX;
        return low.op(op, List.of(in.value()), Attrs.of(Attrs.DIM, dim), at, List.of(in.name()), origin);
      }
      case "Dropout" -> {
        return dropout(low, in, args.real(0, 0.5), low.training(), at);
      }
      case "Flatten" -> {
        return new TensorMethods(low).flatten(in, args.integer(0, 1), args.integer(1, -1), at, origin);
      }
      case "Sequential" -> {
        Described x = in;
        for (int i = 0; i < init.children().size(); i++) {
          ModelSource.LayerInit child = init.children().get(i);
          String childAccess = cast(child.type(), access + ".get(" + i + ")");
          Value v = lower(child, childAccess, state + "." + i, x, at);
          x = low.described(v, state + "." + i);
        }
        return x.value();
      }
      case "Embedding" -> {
        return embedding(args.integer(0), args.integer(1), access, state, in, at, label, origin);
      }
      case "LayerNorm" -> {
        return Norms.layerNorm(low, args.integers(), args.real(-1, 1e-5), access, state, in, at, label);
      }
      case "BatchNorm1d", "BatchNorm2d" -> {
        return Norms.batchNorm(low, init.simpleType().endsWith("2d"), args.integer(0), args.real(1, 1e-5),
            args.real(2, 0.1), access, state, in, at, label);
      }
      case "Conv2d" -> {
        return conv2d(args, access, state, in, at, label, origin);
      }
      case "MaxPool2d", "AvgPool2d" -> {
        int k = args.integer(0);
        int stride = args.integer(1, k);
        int padding = args.integer(2, 0);
        Op op = init.simpleType().startsWith("Max") ? Op.MAX_POOL2D : Op.AVG_POOL2D;
        if (in.value().type().rank() != 4) {
          throw low.abort(Message.SHAPE_MISMATCH, at, label, "input [N, C, H, W]", in.name(), in.shape(), in.from());
        }
        return low.op(op, List.of(in.value()), Attrs.of(Attrs.KERNEL, pair(k), Attrs.STRIDE, pair(stride),
            Attrs.PADDING, pair(padding)), at, List.of(in.name()), origin);
      }
      default -> throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType(), SUPPORTED);
    }
  }

  /** A layer's parameter or buffer read directly ({@code fc.weight}), typed from the layer's constructor arguments. */
  Value parameter(ModelSource.LayerInit init, String access, String state, String member, SourceRef at) {
    if (init.nested() != null || init.args() == null || !init.type().startsWith(NN)) {
      throw low.abort(Message.UNSUPPORTED_EXPRESSION, at, "`" + at.text() + "` (a field of " + init.simpleType()
          + "); parameters can be read from Linear, Conv2d, Embedding, BatchNorm1d/2d and LayerNorm layers");
    }
    Args args = new Args(init, state, at);
    int[] shape = switch (init.simpleType() + "." + member) {
      case "Linear.weight" -> new int[] {args.integer(1), args.integer(0)};
      case "Linear.bias" -> args.bool(2, true) ? new int[] {args.integer(1)} : null;
      case "Conv2d.weight" -> new int[] {args.integer(1), args.integer(0), args.integer(2), args.integer(2)};
      case "Conv2d.bias" -> args.bool(5, true) ? new int[] {args.integer(1)} : null;
      case "Embedding.weight" -> new int[] {args.integer(0), args.integer(1)};
      case "BatchNorm1d.weight", "BatchNorm1d.bias", "BatchNorm1d.runningMean", "BatchNorm1d.runningVar",
          "BatchNorm2d.weight", "BatchNorm2d.bias", "BatchNorm2d.runningMean", "BatchNorm2d.runningVar" ->
          new int[] {args.integer(0)};
      case "LayerNorm.weight", "LayerNorm.bias" -> args.integers();
      default -> null;
    };
    if (shape == null) {
      throw low.abort(Message.UNSUPPORTED_EXPRESSION, at, "`" + at.text() + "` (" + init.simpleType() + " has no tensor "
          + member + " here); parameters can be read as weight and bias, buffers as runningMean and runningVar");
    }
    boolean buffer = member.startsWith("running");
    String stateName = state + "." + (buffer ? (member.equals("runningMean") ? "running_mean" : "running_var") : member);
    return low.state(buffer ? Leaf.Role.BUFFER : Leaf.Role.PARAM, access + "." + member, TensorType.floating(shape),
        Lowering.hint(state) + Character.toUpperCase(member.charAt(0)) + member.substring(1), stateName);
  }

  private Value nested(ModelSource.LayerInit init, String access, String state, Described in, SourceRef at) {
    ModelSource nested = init.nested();
    if (!nested.packageName().equals(low.topPackage())) {
      throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType() + " (a @Model in package "
          + nested.packageName() + ", whose @Layer fields the generated code cannot read)", SUPPORTED);
    }
    return low.run(nested.forward(), new Lowering.Frame(nested, access + ".", state + ".", in.value()));
  }

  // ------------------------------------------------------------------ the layers' math

  private Value linear(int inF, int outF, boolean bias, String access, String state, Described in, SourceRef at,
      String label, String origin) {
    Value x = floating(in, label, at);
    int[] s = x.type().shape();
    if (s.length < 2 || s[s.length - 1] != inF) {
      throw low.abort(Message.SHAPE_MISMATCH, at, label, s.length < 2 ? "input [B, " + inF + "]" : "last dim " + inF,
          in.name(), in.shape(), in.from());
    }
    String h = Lowering.hint(state);
    Value w = low.state(Leaf.Role.PARAM, access + ".weight", TensorType.floating(outF, inF), h + "Weight", state + ".weight");
    Value wt = low.op(Op.PERMUTE, w, Attrs.of(Attrs.PERM, new int[] {1, 0}), at);
    Value y = low.op(Op.MATMUL, List.of(x, wt), Attrs.NONE, at, List.of(in.name(), state + ".weight"), bias ? "" : origin);
    if (!bias) {
      return y;
    }
    Value b = low.state(Leaf.Role.PARAM, access + ".bias", TensorType.floating(outF), h + "Bias", state + ".bias");
    return low.op(Op.ADD, List.of(y, b), Attrs.NONE, at, List.of("the product", state + ".bias"), origin);
  }

  private Value embedding(int num, int dim, String access, String state, Described in, SourceRef at, String label,
      String origin) {
    if (in.value().type().elem() == TensorType.Elem.FLOAT) {
      throw low.abort(Message.DTYPE_MISMATCH, at, label, "INT64 indices", in.name(), "floating point" + in.from(),
          "; pass integer indices (Tensor.of(long[]), or x.to(DType.INT64))");
    }
    Value w = low.state(Leaf.Role.PARAM, access + ".weight", TensorType.floating(num, dim), Lowering.hint(state) + "Weight",
        state + ".weight");
    int[] s = in.value().type().shape();
    Value flat = low.op(Op.RESHAPE, in.value(), Attrs.of(Attrs.SHAPE, new int[] {-1}), at);
    Value rows = low.op(Op.INDEX_SELECT, List.of(w, flat), Attrs.of(Attrs.DIM, 0), at, List.of(state + ".weight", in.name()));
    int[] out = Arrays.copyOf(s, s.length + 1);
    out[s.length] = dim;
    return low.op(Op.RESHAPE, List.of(rows), Attrs.of(Attrs.SHAPE, out), at, List.of("the rows"), origin);
  }

  private Value conv2d(Args args, String access, String state, Described in, SourceRef at, String label, String origin) {
    int cin = args.integer(0);
    int cout = args.integer(1);
    int k = args.integer(2);
    int stride = args.integer(3, 1);
    int padding = args.integer(4, 0);
    boolean bias = args.bool(5, true);
    Value x = floating(in, label, at);
    int[] s = x.type().shape();
    if (s.length != 4 || s[1] != cin) {
      throw low.abort(Message.SHAPE_MISMATCH, at, label, "input [B, " + cin + ", H, W]", in.name(), in.shape(), in.from());
    }
    String h = Lowering.hint(state);
    Value w = low.state(Leaf.Role.PARAM, access + ".weight", TensorType.floating(cout, cin, k, k), h + "Weight", state + ".weight");
    Value y = low.op(Op.CONV2D, List.of(x, w), Attrs.of(Attrs.STRIDE, pair(stride), Attrs.PADDING, pair(padding)), at,
        List.of(in.name(), state + ".weight"), bias ? "" : origin);
    if (!bias) {
      return y;
    }
    Value b = low.state(Leaf.Role.PARAM, access + ".bias", TensorType.floating(cout), h + "Bias", state + ".bias");
    Value b4 = low.op(Op.RESHAPE, b, Attrs.of(Attrs.SHAPE, new int[] {1, cout, 1, 1}), at);
    return low.op(Op.ADD, List.of(y, b4), Attrs.NONE, at, List.of("the convolution", state + ".bias"), origin);
  }

  private static int[] pair(int v) {
    return new int[] {v, v};
  }

  /** GELU as {@code F.gelu}: exact {@code x/2·(1 + erf(x/√2))}, or PyTorch's tanh approximation. */
  static Value gelu(Lowering low, Described in, boolean tanh, SourceRef at) {
    Value x = in.value();
    Value inner;
    if (tanh) {
      Value cube = low.op(Op.MUL_SCALAR, low.op(Op.POW_SCALAR, x, Attrs.of(Attrs.VALUE, 3.0), at), Attrs.of(Attrs.VALUE, 0.044715), at);
      Value sum = low.op(Op.ADD, List.of(x, cube), Attrs.NONE, at, List.of(in.name(), "x^3"));
      Value scaled = low.op(Op.MUL_SCALAR, sum, Attrs.of(Attrs.VALUE, Math.sqrt(2 / Math.PI)), at);
      inner = low.op(Op.TANH, scaled, Attrs.NONE, at);
    } else {
      Value scaled = low.op(Op.MUL_SCALAR, x, Attrs.of(Attrs.VALUE, Math.sqrt(0.5)), at);
      inner = low.op(Op.ERF, scaled, Attrs.NONE, at);
    }
    Value half = low.op(Op.MUL_SCALAR, x, Attrs.of(Attrs.VALUE, 0.5), at);
    Value onePlus = low.op(Op.ADD_SCALAR, inner, Attrs.of(Attrs.VALUE, 1.0), at);
    return low.op(Op.MUL, List.of(half, onePlus), Attrs.NONE, at, List.of("x/2", "1 + erf"));
  }

  /** Leaky ReLU as {@code F.leakyRelu}: {@code x} times a constant mask of 1 or the slope, taken from the data. */
  static Value leakyRelu(Lowering low, Described in, double slope, SourceRef at) {
    Value x = in.value();
    Value mask = low.graph.leaf(Leaf.Role.COMPUTED, "leakyReluMask(%s, " + slope + ")", List.of(x), x.type(), "slopes", "");
    return low.op(Op.MUL, List.of(x, mask), Attrs.NONE, at, List.of(in.name(), "the slopes"));
  }

  /** Dropout as {@code F.dropout}: in training, {@code x} times a mask drawn from the default generator. */
  static Value dropout(Lowering low, Described in, double p, boolean training, SourceRef at) {
    if (!training || p == 0) {
      return in.value();
    }
    Value x = in.value();
    if (p == 1) {
      return low.op(Op.MUL_SCALAR, x, Attrs.of(Attrs.VALUE, 0.0), at);
    }
    Value mask = low.graph.leaf(Leaf.Role.COMPUTED, "dropoutMask(%s, " + p + ")", List.of(x), x.type(), "keep", "");
    return low.op(Op.MUL, List.of(x, mask), Attrs.NONE, at, List.of(in.name(), "the dropout mask"));
  }

  private Value floating(Described in, String label, SourceRef at) {
    if (in.value().type().elem() != TensorType.Elem.FLOAT) {
      throw low.abort(Message.DTYPE_MISMATCH, at, label, "a floating-point input", in.name(),
          in.value().type().elem() + in.from(), "; convert it with to(DType.FLOAT32), or feed it to an Embedding");
    }
    return in.value();
  }

  /** {@code Linear 10→20}: how messages and comments name a layer. */
  static String describe(ModelSource.LayerInit init) {
    String t = init.simpleType();
    List<ModelSource.Arg> a = init.args() == null ? List.of() : init.args();
    List<String> v = a.stream().map(x -> x.isConstant() ? String.valueOf(x.value()) : x.text()).toList();
    return switch (t) {
      case "Linear", "Embedding" -> v.size() >= 2 ? t + " " + v.get(0) + "→" + v.get(1) : t;
      case "Conv2d" -> v.size() >= 3 ? t + " " + v.get(0) + "→" + v.get(1) + " k" + v.get(2) : t;
      case "Sequential" -> t + " of " + init.children().size();
      default -> v.isEmpty() ? t : t + " " + String.join(", ", v);
    };
  }

  /** A layer's constructor arguments, with defaults and the non-constant warning. */
  private final class Args {
    final ModelSource.LayerInit init;
    final String state;
    final SourceRef at;

    Args(ModelSource.LayerInit init, String state, SourceRef at) {
      this.init = init;
      this.state = state;
      this.at = at;
    }

    Object value(int i) {
      List<ModelSource.Arg> args = init.args();
      int index = i < 0 ? args.size() + i : i;
      if (index < 0 || index >= args.size()) {
        return null;
      }
      ModelSource.Arg a = args.get(index);
      if (!a.isConstant()) {
        throw low.fallBack(Message.NON_CONSTANT_ARG, init.where(), a.text(), init.simpleType(), state, low.compiledName());
      }
      return a.value();
    }

    int integer(int i) {
      Object v = value(i);
      if (!(v instanceof Number n)) {
        throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType() + " with these arguments", SUPPORTED);
      }
      if (Math.abs(n.longValue()) >= dev.flint.ops.DimAlgebra.SYMBOLIC) {
        // sizes are int codes below 2^30 (Note [Symbolic sizes]); no layer this large fits in memory
        throw low.abort(Message.UNSUPPORTED_LAYER, at, state, init.simpleType() + " with an argument of " + n
            + " (2^30 or more)", SUPPORTED);
      }
      return n.intValue();
    }

    int integer(int i, int dflt) {
      return i < init.args().size() ? integer(i) : dflt;
    }

    int[] integers() {
      int n = init.args().size();
      if (n >= 2 && init.args().get(n - 1).value() instanceof Double) {
        n--;   // LayerNorm(int[] shape, double eps)
      }
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = integer(i);
      }
      return out;
    }

    double real(int i, double dflt) {
      Object v = value(i);
      if (i < 0 && !(v instanceof Double)) {
        return dflt;
      }
      return v instanceof Number n ? n.doubleValue() : dflt;
    }

    boolean bool(int i, boolean dflt) {
      Object v = value(i);
      return v instanceof Boolean b ? b : dflt;
    }

    String text(int i, String dflt) {
      Object v = value(i);
      return v instanceof String s ? s : dflt;
    }
  }
}

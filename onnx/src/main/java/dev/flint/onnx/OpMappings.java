package dev.flint.onnx;

import dev.flint.compiled.ForwardGraph.Elem;
import dev.flint.compiled.ForwardGraph.Node;
import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every op of a compiled forward graph and its ONNX form (opset 17), declared once: the rows of the
 * op table ({@link Op}) and the pieces of layers that generated code computes outside it
 * ({@code LayerKernels.*}). An op that cannot appear in an evaluation forward pass, or has no ONNX
 * form yet, has an entry saying so, which export reports with the user's source line.
 * {@code OpMappingsTest} fails when an op row has no entry.
 *
 * <p>Layers need no entries of their own: the processor traces each layer's forward into op rows
 * ({@code dev.flint.layers.Composites}), so a layer exports as the rows it computes (a Linear is
 * Transpose, MatMul, Add; exact GELU is the Erf formula; LayerNorm and BatchNorm in evaluation are
 * their arithmetic with the running statistics as initializers). {@link LayerMappings} lists them.
 */
final class OpMappings {
  private OpMappings() {}

  /** How one op is written to ONNX. */
  @FunctionalInterface
  interface Mapping {
    void translate(GraphTranslation t, Node n);
  }

  /** An op's entry: its mapping, or why it has none. */
  record Entry(Mapping mapping, String unsupported) {}

  private static final String BACKWARD_ONLY = "a row of backward passes only, never in a forward graph";
  private static final Map<String, Entry> TABLE = table();

  /** The entry of {@code op} ({@code "MATMUL"}, {@code "LayerKernels.leakyReluSlopes"}), or null when there is none. */
  static Entry entry(String op) {
    return TABLE.get(op);
  }

  /** Every op name with an entry. */
  static Map<String, Entry> all() {
    return Collections.unmodifiableMap(TABLE);
  }

  private static Map<String, Entry> table() {
    Map<String, Entry> m = new LinkedHashMap<>();
    row(m, Op.ADD, elementwise("Add"));
    row(m, Op.SUB, elementwise("Sub"));
    row(m, Op.MUL, elementwise("Mul"));
    row(m, Op.DIV, elementwise("Div"));
    row(m, Op.NEG, elementwise("Neg"));
    row(m, Op.ADD_SCALAR, withScalar("Add"));
    row(m, Op.MUL_SCALAR, withScalar("Mul"));
    row(m, Op.POW_SCALAR, withScalar("Pow"));
    row(m, Op.EXP, elementwise("Exp"));
    row(m, Op.LOG, elementwise("Log"));
    row(m, Op.SQRT, elementwise("Sqrt"));
    row(m, Op.ABS, elementwise("Abs"));
    row(m, Op.SIGN, elementwise("Sign"));
    row(m, Op.RELU, elementwise("Relu"));
    row(m, Op.SIGMOID, elementwise("Sigmoid"));
    row(m, Op.TANH, elementwise("Tanh"));
    row(m, Op.ERF, elementwise("Erf"));
    row(m, Op.GELU, OpMappings::gelu);
    row(m, Op.SIN, elementwise("Sin"));
    row(m, Op.COS, elementwise("Cos"));
    row(m, Op.FLOOR, elementwise("Floor"));
    row(m, Op.CEIL, elementwise("Ceil"));
    row(m, Op.ROUND, elementwise("Round"));   // half to even, as torch.round
    row(m, Op.GT, compare("Greater", false));
    row(m, Op.LT, compare("Less", false));
    row(m, Op.GE, compare("GreaterOrEqual", false));
    row(m, Op.LE, compare("LessOrEqual", false));
    row(m, Op.EQ, compare("Equal", false));
    row(m, Op.NE, compare("Equal", true));
    row(m, Op.WHERE, OpMappings::where);
    row(m, Op.CLAMP, OpMappings::clamp);
    row(m, Op.MATMUL, elementwise("MatMul"));
    row(m, Op.SUM, OpMappings::sum);
    row(m, Op.SUM_TO, OpMappings::sumTo);
    row(m, Op.EXPAND, OpMappings::expand);
    row(m, Op.RESHAPE, (t, n) -> t.add("Reshape", List.of(n.inputs().get(0), t.shape(GraphTranslation.sizes(n, Attrs.SHAPE))),
        out(n)));
    row(m, Op.PERMUTE, (t, n) -> t.add("Transpose", List.of(n.inputs().get(0)), out(n),
        OnnxProto.intsAttr("perm", longs(GraphTranslation.ints(n, Attrs.PERM)))));
    row(m, Op.NARROW, OpMappings::narrow);
    row(m, Op.SLICE, OpMappings::slice);
    row(m, Op.PAD, OpMappings::pad);
    row(m, Op.CAT, OpMappings::cat);
    row(m, Op.MAX, reduceDim("ReduceMax"));
    row(m, Op.MIN, reduceDim("ReduceMin"));
    row(m, Op.ARGMAX, argReduce("ArgMax"));
    row(m, Op.ARGMIN, argReduce("ArgMin"));
    row(m, Op.SOFTMAX, withAxis("Softmax"));
    row(m, Op.LOG_SOFTMAX, withAxis("LogSoftmax"));
    row(m, Op.CAST, (t, n) -> t.add("Cast", List.of(n.inputs().get(0)), out(n),
        OnnxProto.intAttr("to", t.onnxType((String) n.attr(Attrs.DTYPE), n))));
    row(m, Op.CLONE, (t, n) -> t.add("Identity", List.of(n.inputs().get(0)), out(n)));
    row(m, Op.INDEX_SELECT, (t, n) -> t.add("Gather", n.inputs(), out(n),
        OnnxProto.intAttr("axis", GraphTranslation.integer(n, Attrs.DIM))));
    row(m, Op.GATHER, (t, n) -> t.add("GatherElements", n.inputs(), out(n),
        OnnxProto.intAttr("axis", GraphTranslation.integer(n, Attrs.DIM))));
    row(m, Op.CONV2D, OpMappings::conv2d);
    row(m, Op.MAX_POOL2D, pool("MaxPool"));
    row(m, Op.AVG_POOL2D, pool("AveragePool"));
    row(m, Op.TRIL, trilu(false));
    row(m, Op.TRIU, trilu(true));
    unsupported(m, Op.INDEX_ADD.name(), BACKWARD_ONLY);
    unsupported(m, Op.SCATTER_ADD.name(), BACKWARD_ONLY);
    unsupported(m, Op.SLICE_BACKWARD.name(), BACKWARD_ONLY);
    unsupported(m, Op.CONV2D_INPUT_GRAD.name(), BACKWARD_ONLY);
    unsupported(m, Op.CONV2D_WEIGHT_GRAD.name(), BACKWARD_ONLY);
    unsupported(m, Op.MAX_POOL2D_BACKWARD.name(), BACKWARD_ONLY);
    unsupported(m, Op.AVG_POOL2D_BACKWARD.name(), BACKWARD_ONLY);
    row(m, Op.LSTM_SCAN, Recurrences::lstm);
    row(m, Op.GRU_SCAN, Recurrences::gru);
    unsupported(m, Op.GELU_BACKWARD.name(), BACKWARD_ONLY);
    unsupported(m, Op.SOFTMAX_BACKWARD.name(), BACKWARD_ONLY);
    unsupported(m, Op.LSTM_SCAN_BACKWARD.name(), BACKWARD_ONLY);
    unsupported(m, Op.GRU_SCAN_BACKWARD.name(), BACKWARD_ONLY);
    row(m, Op.LAYER_NORM, (t, n) -> t.add("Div", normalized(t, n), out(n)));
    row(m, Op.LAYER_NORM_AFFINE, OpMappings::layerNormAffine);
    unsupported(m, Op.LAYER_NORM_BACKWARD.name(), BACKWARD_ONLY);
    unsupported(m, Op.LAYER_NORM_AFFINE_BACKWARD.name(), BACKWARD_ONLY);
    unsupported(m, Op.LAYER_NORM_WEIGHT_GRAD.name(), BACKWARD_ONLY);
    row(m, Op.ATTENTION, Attentions::attention);
    unsupported(m, Op.ATTENTION_BACKWARD.name(), BACKWARD_ONLY);
    // the pieces of layers outside the op table (dev.flint.compiled.LayerKernels)
    m.put("LayerKernels.leakyReluSlopes", new Entry(OpMappings::leakyReluSlopes, null));
    m.put("LayerKernels.causalMask", new Entry(OpMappings::causalMask, null));
    m.put("LayerKernels.zeroState", new Entry(OpMappings::zeroState, null));
    m.put("LayerKernels.causalBias", new Entry(OpMappings::causalMask, null));   // MultiheadAttention's isCausal
    m.put("LayerKernels.attentionBias", new Entry(OpMappings::attentionBias, null));
    m.put("LayerKernels.fill", new Entry(OpMappings::fill, null));   // maskedFill's value
    unsupported(m, "LayerKernels.dropoutMask", "dropout's random mask exists in training only; evaluation passes the"
        + " input through");
    return m;
  }

  private static void row(Map<String, Entry> m, Op op, Mapping mapping) {
    m.put(op.name(), new Entry(mapping, null));
  }

  private static void unsupported(Map<String, Entry> m, String op, String why) {
    m.put(op, new Entry(null, why));
  }

  // ------------------------------------------------------------------ the mappings

  private static String out(Node n) {
    return n.output().name();
  }

  private static Elem outElem(Node n) {
    return n.output().elem();
  }

  /** Inputs converted to the output's element kind (Flint promotes; ONNX wants one type), then {@code opType}. */
  private static Mapping elementwise(String opType) {
    return (t, n) -> {
      List<String> in = new ArrayList<>();
      for (int i = 0; i < n.inputs().size(); i++) {
        in.add(t.input(n, i, outElem(n)));
      }
      t.add(opType, in, out(n));
    };
  }

  /** {@code x op value}; the value is a constant, or {@code 1/size} computed from the input's shape. */
  private static Mapping withScalar(String opType) {
    return (t, n) -> {
      String x = t.input(n, 0, outElem(n));
      Object v = n.attr(Attrs.VALUE);
      String scalar;
      if (v instanceof String s && s.startsWith("1/(") && s.endsWith(")")) {
        String size = t.size(SizeExpr.parse(s.substring(3, s.length() - 1)));
        String asFloat = t.temp("size", "Cast", List.of(size), outElem(n), List.of("1"),
            OnnxProto.intAttr("to", t.onnxType(outElem(n))));
        String flat = t.temp("size_scalar", "Reshape", List.of(asFloat, t.ints("scalar_shape")), outElem(n), List.of());
        scalar = t.temp("reciprocal", "Reciprocal", List.of(flat), outElem(n), List.of());
      } else if (v instanceof Number x2) {
        scalar = t.scalar("value", x2.doubleValue(), outElem(n));
      } else {
        throw new OnnxExportException(GraphTranslation.describe(n) + ": the scalar " + v + " is not a number");
      }
      t.add(opType, List.of(x, scalar), out(n));
    };
  }

  private static Mapping compare(String opType, boolean negate) {
    return (t, n) -> {
      Elem common = t.elem(n.inputs().get(0)) == Elem.FLOAT || t.elem(n.inputs().get(1)) == Elem.FLOAT ? Elem.FLOAT
          : t.elem(n.inputs().get(0)) == Elem.INT64 || t.elem(n.inputs().get(1)) == Elem.INT64 ? Elem.INT64 : Elem.BOOL;
      List<String> in = List.of(t.input(n, 0, common), t.input(n, 1, common));
      if (negate) {
        String eq = t.temp("equal", opType, in, Elem.BOOL, n.output().dims());
        t.add("Not", List.of(eq), out(n));
      } else {
        t.add(opType, in, out(n));
      }
    };
  }

  private static void where(GraphTranslation t, Node n) {
    t.add("Where", List.of(t.input(n, 0, Elem.BOOL), t.input(n, 1, outElem(n)), t.input(n, 2, outElem(n))), out(n));
  }

  /** The exact GELU as opset 17 writes it (Gelu is opset 20): {@code x·0.5·(1 + Erf(x·√½))}. */
  private static void gelu(GraphTranslation t, Node n) {
    String x = t.input(n, 0, outElem(n));
    List<String> dims = n.output().dims();
    String scaled = t.temp("gelu_scaled", "Mul", List.of(x, t.scalar("sqrt_half", Math.sqrt(0.5), outElem(n))), outElem(n), dims);
    String erf = t.temp("gelu_erf", "Erf", List.of(scaled), outElem(n), dims);
    String onePlus = t.temp("gelu_one_plus", "Add", List.of(erf, t.scalar("one", 1.0, outElem(n))), outElem(n), dims);
    String half = t.temp("gelu_half", "Mul", List.of(x, t.scalar("half", 0.5, outElem(n))), outElem(n), dims);
    t.add("Mul", List.of(half, onePlus), out(n));
  }

  /**
   * The operands of LAYER_NORM's last step, written as its arithmetic over the last axis: x − mean and
   * {@code √(mean((x − mean)²) + eps)}, to divide. Opset 17's LayerNormalization would need a Scale of ones, and
   * computes the variance in one pass where this keeps two.
   */
  private static List<String> normalized(GraphTranslation t, Node n) {
    Elem e = outElem(n);
    String x = t.input(n, 0, e);
    List<String> dims = n.output().dims();
    List<String> row = new ArrayList<>(dims);
    row.set(row.size() - 1, "1");
    String mean = t.temp("mean", "ReduceMean", List.of(x), e, row, OnnxProto.intsAttr("axes", -1),
        OnnxProto.intAttr("keepdims", 1));
    String centered = t.temp("centered", "Sub", List.of(x, mean), e, dims);
    String squared = t.temp("squared", "Mul", List.of(centered, centered), e, dims);
    String var = t.temp("variance", "ReduceMean", List.of(squared), e, row, OnnxProto.intsAttr("axes", -1),
        OnnxProto.intAttr("keepdims", 1));
    String shifted = t.temp("variance_eps", "Add", List.of(var, t.scalar("eps", ((Number) n.attr(Attrs.EPS)).doubleValue(), e)),
        e, row);
    return List.of(centered, t.temp("std", "Sqrt", List.of(shifted), e, row));
  }

  /** LAYER_NORM_AFFINE: LAYER_NORM's arithmetic, then Mul by the weight and Add the bias. */
  private static void layerNormAffine(GraphTranslation t, Node n) {
    Elem e = outElem(n);
    List<String> dims = n.output().dims();
    String xh = t.temp("normalized", "Div", normalized(t, n), e, dims);
    String scaled = t.temp("scaled", "Mul", List.of(xh, t.input(n, 1, e)), e, dims);
    t.add("Add", List.of(scaled, t.input(n, 2, e)), out(n));
  }

  /** Clip with constant bounds; an infinite bound is left out. */
  private static void clamp(GraphTranslation t, Node n) {
    String x = t.input(n, 0, outElem(n));
    double min = ((Number) n.attr(Attrs.MIN)).doubleValue();
    double max = ((Number) n.attr(Attrs.MAX)).doubleValue();
    String lo = Double.isInfinite(min) ? "" : t.scalar("min", min, outElem(n));
    String hi = Double.isInfinite(max) ? "" : t.scalar("max", max, outElem(n));
    t.add("Clip", List.of(x, lo, hi), out(n));
  }

  /** ReduceSum over the constant axes (an input since opset 13); no axes sums nothing. */
  private static void sum(GraphTranslation t, Node n) {
    String x = t.input(n, 0, outElem(n));
    int[] dims = GraphTranslation.ints(n, Attrs.DIMS);
    if (dims.length == 0) {
      t.add("Identity", List.of(x), out(n));
      return;
    }
    t.add("ReduceSum", List.of(x, t.ints("axes", longs(dims))), out(n),
        OnnxProto.intAttr("keepdims", Boolean.TRUE.equals(n.attr(Attrs.KEEP_DIM)) ? 1 : 0));
  }

  /** Sums over the dims that broadcasting added or stretched, then takes the target shape. */
  private static void sumTo(GraphTranslation t, Node n) {
    String x = n.inputs().get(0);
    List<String> from = t.dims(x);
    List<SizeExpr> to = GraphTranslation.sizes(n, Attrs.SHAPE);
    List<Long> axes = new ArrayList<>();
    int lead = from.size() - to.size();
    for (int i = 0; i < from.size(); i++) {
      boolean added = i < lead;
      SizeExpr target = added ? null : to.get(i - lead);
      if (added || target.constantValue() != null && target.constantValue() == 1 && !from.get(i).equals("1")) {
        axes.add((long) i);
      }
    }
    String summed = x;
    if (!axes.isEmpty()) {
      summed = t.temp("sum", "ReduceSum", List.of(x, t.ints("axes", axes.stream().mapToLong(Long::longValue).toArray())),
          t.elem(x), List.of(), OnnxProto.intAttr("keepdims", 1));
    }
    t.add("Reshape", List.of(summed, t.shape(to)), out(n));
  }

  /** Expand broadcasts, so a kept size (-1, or equal to the input's) becomes 1 and most shapes are constants. */
  private static void expand(GraphTranslation t, Node n) {
    String x = n.inputs().get(0);
    List<String> in = t.dims(x);
    List<SizeExpr> to = GraphTranslation.sizes(n, Attrs.SHAPE);
    List<SizeExpr> shape = new ArrayList<>();
    int lead = to.size() - in.size();
    for (int i = 0; i < to.size(); i++) {
      SizeExpr d = to.get(i);
      boolean kept = d.equals(SizeExpr.constant(-1)) || i >= lead && SizeExpr.parse(in.get(i - lead)).equals(d);
      shape.add(kept ? SizeExpr.constant(1) : d);
    }
    t.add("Expand", List.of(x, t.concatSizes(shape)), out(n));
  }

  /** {@code x.narrow(dim, start, length)}: Slice from start to start + length. */
  private static void narrow(GraphTranslation t, Node n) {
    SizeExpr start = GraphTranslation.sizes(n, Attrs.START).get(0);
    SizeExpr length = GraphTranslation.sizes(n, Attrs.LENGTH).get(0);
    int dim = GraphTranslation.integer(n, Attrs.DIM);
    t.add("Slice", List.of(n.inputs().get(0), t.concatSizes(List.of(start)), t.concatSizes(List.of(start.plus(length))),
        t.ints("axes", dim)), out(n));
  }

  /** {@code length} entries from {@code start} every {@code step}: Slice ends just past the last one. */
  private static void slice(GraphTranslation t, Node n) {
    SizeExpr start = GraphTranslation.sizes(n, Attrs.START).get(0);
    SizeExpr length = GraphTranslation.sizes(n, Attrs.LENGTH).get(0);
    int step = GraphTranslation.integer(n, Attrs.STEP);
    int dim = GraphTranslation.integer(n, Attrs.DIM);
    SizeExpr end = start.plus(length.plus(SizeExpr.constant(-1)).times(step)).plus(SizeExpr.constant(1));
    t.add("Slice", List.of(n.inputs().get(0), t.concatSizes(List.of(start)), t.concatSizes(List.of(end)),
        t.ints("axes", dim), t.ints("steps", step)), out(n));
  }

  /** Zeros before and after along one dim: Pad's begins then ends, one per dim. */
  private static void pad(GraphTranslation t, Node n) {
    String x = n.inputs().get(0);
    int rank = t.dims(x).size();
    int dim = GraphTranslation.integer(n, Attrs.DIM);
    List<SizeExpr> pads = new ArrayList<>();
    for (int i = 0; i < 2 * rank; i++) {
      pads.add(SizeExpr.constant(0));
    }
    pads.set(dim, GraphTranslation.sizes(n, Attrs.BEFORE).get(0));
    pads.set(rank + dim, GraphTranslation.sizes(n, Attrs.AFTER).get(0));
    t.add("Pad", List.of(x, t.concatSizes(pads), t.scalar("zero", 0, t.elem(x))), out(n),
        OnnxProto.stringAttr("mode", "constant"));
  }

  private static void cat(GraphTranslation t, Node n) {
    List<String> in = new ArrayList<>();
    for (int i = 0; i < n.inputs().size(); i++) {
      in.add(t.input(n, i, outElem(n)));
    }
    t.add("Concat", in, out(n), OnnxProto.intAttr("axis", GraphTranslation.integer(n, Attrs.DIM)));
  }

  /** Max or min along one dim (opset 17 takes the axes as an attribute). */
  private static Mapping reduceDim(String opType) {
    return (t, n) -> t.add(opType, List.of(n.inputs().get(0)), out(n),
        OnnxProto.intsAttr("axes", GraphTranslation.integer(n, Attrs.DIM)),
        OnnxProto.intAttr("keepdims", Boolean.TRUE.equals(n.attr(Attrs.KEEP_DIM)) ? 1 : 0));
  }

  /** The first index of the maximum or minimum, as Flint's. */
  private static Mapping argReduce(String opType) {
    return (t, n) -> t.add(opType, List.of(n.inputs().get(0)), out(n),
        OnnxProto.intAttr("axis", GraphTranslation.integer(n, Attrs.DIM)),
        OnnxProto.intAttr("keepdims", Boolean.TRUE.equals(n.attr(Attrs.KEEP_DIM)) ? 1 : 0),
        OnnxProto.intAttr("select_last_index", 0));
  }

  /** Softmax and LogSoftmax along one axis (the opset-13 semantics). */
  private static Mapping withAxis(String opType) {
    return (t, n) -> t.add(opType, List.of(t.input(n, 0, outElem(n))), out(n),
        OnnxProto.intAttr("axis", GraphTranslation.integer(n, Attrs.DIM)));
  }

  /** Conv without bias (Flint adds the bias as its own row); pads are begin (h, w) then end (h, w). */
  private static void conv2d(GraphTranslation t, Node n) {
    List<String> w = t.dims(n.inputs().get(1));
    int[] stride = GraphTranslation.ints(n, Attrs.STRIDE);
    int[] padding = GraphTranslation.ints(n, Attrs.PADDING);
    t.add("Conv", List.of(t.input(n, 0, outElem(n)), t.input(n, 1, outElem(n))), out(n),
        OnnxProto.intsAttr("kernel_shape", Long.parseLong(w.get(2)), Long.parseLong(w.get(3))),
        OnnxProto.intsAttr("strides", longs(stride)),
        OnnxProto.intsAttr("pads", padding[0], padding[1], padding[0], padding[1]));
  }

  /** MaxPool (padding never wins) or AveragePool counting the zero padding, as Flint's. */
  private static Mapping pool(String opType) {
    return (t, n) -> {
      int[] padding = GraphTranslation.ints(n, Attrs.PADDING);
      List<ProtoWriter> attrs = new ArrayList<>(List.of(
          OnnxProto.intsAttr("kernel_shape", longs(GraphTranslation.ints(n, Attrs.KERNEL))),
          OnnxProto.intsAttr("strides", longs(GraphTranslation.ints(n, Attrs.STRIDE))),
          OnnxProto.intsAttr("pads", padding[0], padding[1], padding[0], padding[1])));
      if (opType.equals("AveragePool")) {
        attrs.add(OnnxProto.intAttr("count_include_pad", 1));
      }
      t.add(opType, List.of(n.inputs().get(0)), out(n), attrs.toArray(new ProtoWriter[0]));
    };
  }

  private static Mapping trilu(boolean upper) {
    return (t, n) -> {
      String k = t.scalar("diagonal", GraphTranslation.integer(n, Attrs.DIAGONAL), Elem.INT64);
      t.add("Trilu", List.of(n.inputs().get(0), k), out(n), OnnxProto.intAttr("upper", upper ? 1 : 0));
    };
  }

  /** Leaky ReLU's slopes: 1 where x is positive, else the slope (NaN takes the slope, as Flint's). */
  private static void leakyReluSlopes(GraphTranslation t, Node n) {
    double[] args = (double[]) n.attr("args");
    String x = t.input(n, 0, outElem(n));
    String positive = t.temp("positive", "Greater", List.of(x, t.scalar("zero", 0, outElem(n))), Elem.BOOL,
        n.output().dims());
    t.add("Where", List.of(positive, t.scalar("one", 1, outElem(n)), t.scalar("slope", args[0], outElem(n))), out(n));
  }

  /**
   * Attention's causal mask {@code [T, S]} (also MultiheadAttention's {@code [T, T]}) (its output's shape, sizes read from the input at run time):
   * -inf above the diagonal (key after query), 0 elsewhere, as Where(Trilu(ones, k = 1, upper), -inf, 0).
   */
  private static void causalMask(GraphTranslation t, Node n) {
    List<String> dims = n.output().dims();
    Elem elem = outElem(n);
    List<SizeExpr> shape = dims.stream().map(SizeExpr::parse).toList();
    String ones = t.temp("ones", "ConstantOfShape", List.of(t.concatSizes(shape)), Elem.INT64, dims,
        OnnxProto.tensorAttr("value", OnnxProto.tensor("one", OnnxProto.INT64, new long[] {1},
            new byte[] {1, 0, 0, 0, 0, 0, 0, 0})));
    String above = t.temp("above", "Trilu", List.of(ones, t.scalar("k", 1, Elem.INT64)), Elem.INT64, dims,
        OnnxProto.intAttr("upper", 1));
    String masked = t.as(above, Elem.BOOL);
    t.add("Where", List.of(masked, t.scalar("minus_inf", Double.NEGATIVE_INFINITY, elem), t.scalar("zero", 0, elem)),
        out(n));
  }

  /** maskedFill's value as a 0-d constant of the output's element type. */
  private static void fill(GraphTranslation t, Node n) {
    double[] args = (double[]) n.attr("args");
    t.add("Identity", List.of(t.scalar("fill", args[0], outElem(n))), out(n));
  }

  /** A recurrent layer's zero initial state: zeros of the output's shape ({@code [B, H]}, B read at run time). */
  private static void zeroState(GraphTranslation t, Node n) {
    List<SizeExpr> shape = n.output().dims().stream().map(SizeExpr::parse).toList();
    byte[] zero = new byte[t.onnxType(outElem(n)) == OnnxProto.DOUBLE ? 8 : 4];
    t.add("ConstantOfShape", List.of(t.concatSizes(shape)), out(n),
        OnnxProto.tensorAttr("value", OnnxProto.tensor("zero", t.onnxType(outElem(n)), new long[] {1}, zero)));
  }

  /** A BOOL attention mask (true: may not attend) as scores to add: Where(mask, -inf, 0). */
  private static void attentionBias(GraphTranslation t, Node n) {
    Elem elem = outElem(n);
    t.add("Where", List.of(t.input(n, 0, Elem.BOOL), t.scalar("minus_inf", Double.NEGATIVE_INFINITY, elem),
        t.scalar("zero", 0, elem)), out(n));
  }

  private static long[] longs(int... v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}

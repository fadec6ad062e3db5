package dev.flint.onnx;

import dev.flint.compiled.ForwardGraph;
import dev.flint.compiled.ForwardGraph.Elem;
import dev.flint.compiled.ForwardGraph.Node;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates one {@link ForwardGraph} into an ONNX GraphProto: the inputs with symbolic sizes, the
 * state as initializers named by state-dict key, and each node through its entry in
 * {@link OpMappings}. The mappings call the helpers here to add ONNX nodes, constants, casts, and
 * sizes computed from the input's shape at run time. Helper values are named after the node they
 * serve ({@code t4/shape}), which no Java name or state-dict key can be.
 */
final class GraphTranslation {
  private final ForwardGraph graph;
  private final Map<String, Tensor> state;
  private final DType floatType;
  private final Map<String, ForwardGraph.Value> values = new HashMap<>();
  private final Set<String> names = new HashSet<>();
  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final Map<String, String> sizeCache = new HashMap<>();
  private final Map<String, String> shapeOfInput = new HashMap<>();
  private Node current;

  GraphTranslation(ForwardGraph graph, Map<String, Tensor> state, DType floatType) {
    this.graph = graph;
    this.state = state;
    this.floatType = floatType;
  }

  /** The GraphProto; an {@link OnnxExportException} names the first node that cannot be written. */
  ProtoWriter translate() {
    List<ProtoWriter> inputs = new ArrayList<>();
    for (ForwardGraph.Value v : graph.inputs()) {
      define(v);
      inputs.add(OnnxProto.valueInfo(v.name(), onnxType(v.elem()), dimsOf(v.dims())));
    }
    for (ForwardGraph.State s : graph.states()) {
      define(new ForwardGraph.Value(s.key(), Elem.FLOAT, s.dims()));
      initializers.add(stateTensor(s));
    }
    for (Node n : graph.nodes()) {
      current = n;
      OpMappings.Entry entry = OpMappings.entry(n.op());
      if (entry == null || entry.mapping() == null) {
        throw new OnnxExportException(graph.model() + ": " + describe(n) + " has no ONNX mapping"
            + (entry == null ? " (an op this exporter does not know; add it to dev.flint.onnx.OpMappings)"
                : ": " + entry.unsupported()));
      }
      entry.mapping().translate(this, n);
      define(n.output());
    }
    current = null;
    ForwardGraph.Value out = graph.outputValue();
    String outName = out.name();
    if (!isNodeOutput(outName)) {   // a graph that returns an input or a parameter: ONNX outputs come from nodes
      outName = fresh("output");
      add("Identity", List.of(out.name()), outName);
    }
    ProtoWriter output = OnnxProto.valueInfo(outName, onnxType(out.elem()), dimsOf(out.dims()));
    return OnnxProto.graph(graph.model(), graph.toString(), nodes, initializers, inputs, List.of(output));
  }

  /** {@code the op MATMUL (Mlp.java:13 `fc1.forward(x)`, in fc1: Linear 10→20)}: how errors name a node. */
  static String describe(Node n) {
    String where = n.source();
    String in = n.layer().isEmpty() ? "" : (where.isEmpty() ? "in " : ", in ") + n.layer();
    return "the op " + n.op() + (where.isEmpty() && in.isEmpty() ? "" : " (" + where + in + ")");
  }

  // ------------------------------------------------------------------ what mappings read

  Elem elem(String name) {
    return value(name).elem();
  }

  List<String> dims(String name) {
    return value(name).dims();
  }

  private ForwardGraph.Value value(String name) {
    ForwardGraph.Value v = values.get(name);
    if (v == null) {
      throw new OnnxExportException(graph.model() + ": " + (current == null ? "the output" : describe(current))
          + " reads " + name + ", which its graph does not define before it");
    }
    return v;
  }

  /** Input {@code i} of {@code n} converted to {@code elem} (a Cast node when it differs). */
  String input(Node n, int i, Elem elem) {
    return as(n.inputs().get(i), elem);
  }

  String as(String name, Elem elem) {
    Elem from = elem(name);
    if (from == elem) {
      return name;
    }
    String cast = fresh(name + "/" + elem.name().toLowerCase(java.util.Locale.ROOT));
    add("Cast", List.of(name), cast, OnnxProto.intAttr("to", onnxType(elem)));
    define(new ForwardGraph.Value(cast, elem, dims(name)));
    return cast;
  }

  /** An integer attribute that holds a plain number (a dim index, a constant size). */
  static int integer(Node n, String key) {
    Object v = n.attr(key);
    if (v instanceof Integer i) {
      return i;
    }
    throw new OnnxExportException(describe(n) + ": attribute " + key + " is " + v + ", where a number known at compile"
        + " time was expected");
  }

  static int[] ints(Node n, String key) {
    Object v = n.attr(key);
    if (v instanceof int[] a) {
      return a;
    }
    throw new OnnxExportException(describe(n) + ": attribute " + key + " is " + text(v) + ", where numbers known at"
        + " compile time were expected");
  }

  /** A size attribute ({@code Integer} or its text), or each of an array of them. */
  static List<SizeExpr> sizes(Node n, String key) {
    Object v = n.attr(key);
    List<SizeExpr> out = new ArrayList<>();
    if (v instanceof int[] a) {
      Arrays.stream(a).forEach(x -> out.add(SizeExpr.constant(x)));
    } else if (v instanceof String[] a) {
      Arrays.stream(a).forEach(x -> out.add(SizeExpr.parse(x)));
    } else if (v instanceof Integer i) {
      out.add(SizeExpr.constant(i));
    } else if (v instanceof String s) {
      out.add(SizeExpr.parse(s));
    } else {
      throw new OnnxExportException(describe(n) + ": attribute " + key + " is " + text(v) + ", where sizes were expected");
    }
    return out;
  }

  private static String text(Object v) {
    return v instanceof Object[] a ? Arrays.toString(a) : v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v);
  }

  // ------------------------------------------------------------------ what mappings write

  /** Adds {@code output = opType(inputs)} for the current node. */
  void add(String opType, List<String> inputs, String output, ProtoWriter... attributes) {
    String doc = current == null ? "" : current.source() + (current.layer().isEmpty() ? "" : " in " + current.layer());
    nodes.add(OnnxProto.node(opType, inputs, List.of(output), output, doc, List.of(attributes)));
    names.add(output);
  }

  /** Adds a node with several outputs ({@code Scan}'s final states and stacked outputs). */
  void addMulti(String opType, List<String> inputs, List<String> outputs, ProtoWriter... attributes) {
    String doc = current == null ? "" : current.source() + (current.layer().isEmpty() ? "" : " in " + current.layer());
    nodes.add(OnnxProto.node(opType, inputs, outputs, outputs.get(outputs.size() - 1), doc, List.of(attributes)));
    names.addAll(outputs);
  }

  /** A name no value has yet, from {@code purpose} and the current node ({@code y/h}), for a subgraph's values. */
  String name(String purpose) {
    return fresh(base() + "/" + purpose);
  }

  /** Adds {@code opType(inputs)} with a fresh output named after the current node and {@code purpose}. */
  String temp(String purpose, String opType, List<String> inputs, Elem elem, List<String> dims,
      ProtoWriter... attributes) {
    String out = fresh(base() + "/" + purpose);
    add(opType, inputs, out, attributes);
    define(new ForwardGraph.Value(out, elem, dims));
    return out;
  }

  /** A 1-D INT64 constant. */
  String ints(String purpose, long... v) {
    String name = fresh(base() + "/" + purpose);
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    initializers.add(OnnxProto.tensor(name, OnnxProto.INT64, new long[] {v.length}, b.array()));
    define(new ForwardGraph.Value(name, Elem.INT64, List.of(Integer.toString(v.length))));
    return name;
  }

  /** A 0-d constant of {@code elem} (FLOAT: the model's float type). */
  String scalar(String purpose, double v, Elem elem) {
    String name = fresh(base() + "/" + purpose);
    byte[] raw;
    int type = onnxType(elem);
    if (type == OnnxProto.FLOAT) {
      raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) v).array();
    } else if (type == OnnxProto.DOUBLE) {
      raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array();
    } else if (type == OnnxProto.INT64) {
      raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((long) v).array();
    } else {
      raw = new byte[] {(byte) (v != 0 ? 1 : 0)};
    }
    initializers.add(OnnxProto.tensor(name, type, new long[0], raw));
    define(new ForwardGraph.Value(name, elem, List.of()));
    return name;
  }

  /**
   * A 1-D INT64 tensor of one element holding {@code size}: a constant, or computed from the inputs'
   * shapes (Shape, Gather, Mul, Add) when it names a size known only at run time.
   */
  String size(SizeExpr size) {
    Long c = size.constantValue();
    if (c != null) {
      return ints("size", c);
    }
    String cached = sizeCache.get(size.toString());
    if (cached != null) {
      return cached;
    }
    String sum = null;
    for (Map.Entry<List<String>, Long> term : size.terms().entrySet()) {
      String product = null;
      for (String symbol : term.getKey()) {
        String s = symbol(symbol);
        product = product == null ? s : temp("mul", "Mul", List.of(product, s), Elem.INT64, List.of("1"));
      }
      long k = term.getValue();
      if (product == null) {
        product = ints("size", k);
      } else if (k != 1) {
        product = temp("mul", "Mul", List.of(product, ints("size", k)), Elem.INT64, List.of("1"));
      }
      sum = sum == null ? product : temp("add", "Add", List.of(sum, product), Elem.INT64, List.of("1"));
    }
    sizeCache.put(size.toString(), sum);
    return sum;
  }

  /** The named size {@code symbol} read from its input's shape. */
  private String symbol(String symbol) {
    String cached = sizeCache.get(symbol);
    if (cached != null) {
      return cached;
    }
    for (ForwardGraph.Size s : graph.sizes()) {
      if (s.symbol().equals(symbol)) {
        String shape = shapeOfInput.computeIfAbsent(s.input(), in -> {
          String name = fresh(in + "/shape");
          add("Shape", List.of(in), name);
          define(new ForwardGraph.Value(name, Elem.INT64, List.of(Integer.toString(dims(in).size()))));
          return name;
        });
        String index = ints(symbol + "_index", s.axis());
        String name = fresh(s.input() + "/" + symbol);   // a "/" keeps it apart from the user's names
        add("Gather", List.of(shape, index), name, OnnxProto.intAttr("axis", 0));
        define(new ForwardGraph.Value(name, Elem.INT64, List.of("1")));
        sizeCache.put(symbol, name);
        return name;
      }
    }
    throw new OnnxExportException(graph.model() + ": " + (current == null ? "the output" : describe(current))
        + " needs the size " + symbol + ", which no input's shape gives");
  }

  /**
   * A 1-D INT64 shape tensor for Reshape: a constant when at most one entry is known only at run time
   * (that one becomes -1, which Reshape infers), else the entries concatenated.
   */
  String shape(List<SizeExpr> dims) {
    int symbolic = 0;
    boolean inferred = false;
    for (SizeExpr d : dims) {
      Long c = d.constantValue();
      symbolic += c == null ? 1 : 0;
      inferred |= c != null && c == -1;
    }
    if (symbolic == 0 || symbolic == 1 && !inferred) {
      long[] v = new long[dims.size()];
      for (int i = 0; i < v.length; i++) {
        Long c = dims.get(i).constantValue();
        v[i] = c == null ? -1 : c;
      }
      return ints("shape", v);
    }
    return concatSizes(dims);
  }

  /** The sizes as one 1-D INT64 tensor, each a constant or computed at run time. */
  String concatSizes(List<SizeExpr> sizes) {
    boolean constant = sizes.stream().allMatch(d -> d.constantValue() != null);
    if (constant) {
      return ints("sizes", sizes.stream().mapToLong(SizeExpr::constantValue).toArray());
    }
    List<String> parts = new ArrayList<>();
    sizes.forEach(d -> parts.add(size(d)));
    return temp("sizes", "Concat", parts, Elem.INT64, List.of(Integer.toString(parts.size())),
        OnnxProto.intAttr("axis", 0));
  }

  /** The ONNX element type of {@code elem}: FLOAT is the model's floating dtype. */
  int onnxType(Elem elem) {
    return switch (elem) {
      case FLOAT -> floatType == DType.FLOAT64 ? OnnxProto.DOUBLE : OnnxProto.FLOAT;
      case INT64 -> OnnxProto.INT64;
      case BOOL -> OnnxProto.BOOL;
    };
  }

  /** The ONNX element type of a Flint dtype name ({@code FLOAT32}), for Cast. */
  int onnxType(String dtype, Node n) {
    return switch (dtype) {
      case "FLOAT32" -> OnnxProto.FLOAT;
      case "FLOAT64" -> OnnxProto.DOUBLE;
      case "INT64" -> OnnxProto.INT64;
      case "INT32" -> 6;
      case "BOOL" -> OnnxProto.BOOL;
      default -> throw new OnnxExportException(describe(n) + ": no ONNX type for dtype " + dtype);
    };
  }

  // ------------------------------------------------------------------ internals

  private String base() {
    return current == null ? "graph" : current.output().name();
  }

  private String fresh(String base) {
    String name = base;
    for (int i = 2; names.contains(name) || values.containsKey(name); i++) {
      name = base + "_" + i;
    }
    names.add(name);
    return name;
  }

  private void define(ForwardGraph.Value v) {
    values.put(v.name(), v);
    names.add(v.name());
  }

  private boolean isNodeOutput(String name) {
    return graph.nodes().stream().anyMatch(n -> n.output().name().equals(name));
  }

  private static List<Object> dimsOf(List<String> dims) {
    List<Object> out = new ArrayList<>();
    for (String d : dims) {
      Long c = SizeExpr.parse(d).constantValue();
      out.add(c != null ? (Object) c : d);
    }
    return out;
  }

  /** The state tensor {@code s.key()} as a TensorProto of the model's float type, checked against the graph. */
  private ProtoWriter stateTensor(ForwardGraph.State s) {
    Tensor t = state.get(s.key());
    if (t == null) {
      throw new OnnxExportException(graph.model() + ": the compiled graph reads " + s.key()
          + ", which the model's state dict does not hold (it has " + state.keySet() + ")");
    }
    long[] dims = new long[s.dims().size()];
    for (int i = 0; i < dims.length; i++) {
      Long c = SizeExpr.parse(s.dims().get(i)).constantValue();
      dims[i] = c == null ? -1 : c;
    }
    int[] shape = t.shape();
    if (!Arrays.equals(Arrays.stream(shape).asLongStream().toArray(), dims)) {
      throw new OnnxExportException(graph.model() + ": " + s.key() + " has shape " + Arrays.toString(shape)
          + ", but the compiled graph expects " + s.dims());
    }
    ByteBuffer b;
    if (floatType == DType.FLOAT64) {
      double[] v = t.toDoubleArray();
      b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put(v);
      return OnnxProto.tensor(s.key(), OnnxProto.DOUBLE, dims, b.array());
    }
    float[] v = t.dtype() == DType.FLOAT32 ? t.toFloatArray() : toFloats(t.toDoubleArray());
    b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return OnnxProto.tensor(s.key(), OnnxProto.FLOAT, dims, b.array());
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /** The values defined so far (for tests of mappings). */
  Map<String, ForwardGraph.Value> values() {
    return new LinkedHashMap<>(values);
  }
}

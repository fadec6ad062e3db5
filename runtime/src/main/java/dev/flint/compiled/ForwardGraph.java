package dev.flint.compiled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled model's evaluation-mode forward pass as the processor planned it at compile time, for
 * tools that translate it (ONNX export): the inputs, the parameters and buffers it reads (named by
 * their state-dict keys), and its op-table rows in order, each with its output's name (the user's
 * variable where there is one), element kind and shape, attributes, and the source line it implements.
 * Nothing is traced: the generated {@code forwardGraph()} builds it from constants.
 *
 * <p>Sizes are texts: {@code "784"}, or a polynomial in the named sizes of the inputs ({@code "B"},
 * {@code "B*T"}, {@code "T+2"}) for a size known only at run time; {@link #sizes()} says where each
 * named size is read. Attributes are keyed as the op table's ({@code dev.flint.ops.Attrs}) and are
 * {@code Integer}, {@code int[]}, {@code Double}, {@code Boolean} or {@code String} (a dtype name),
 * except that a size known only at run time is its text: an {@code int} attribute becomes a
 * {@code String}, an {@code int[]} one a {@code String[]} (constants as digits), and a scalar
 * {@code 1/size} (a mean's factor) the {@code String} {@code "1/(B*T)"}.
 *
 * <p>A {@link Node}'s {@code op} is the name of an op-table row ({@code "MATMUL"}, as
 * {@code dev.flint.ops.Op.name()}), or {@code "LayerKernels.<method>"} for a value that the generated
 * code computes outside the op table (leaky ReLU's slopes), whose numeric arguments are the
 * {@code double[]} attribute {@code "args"}.
 */
public final class ForwardGraph {

  /** What the elements of a value are: the model's floating dtype (FLOAT32 or FLOAT64 at run time), INT64, BOOL. */
  public enum Elem {
    FLOAT, INT64, BOOL
  }

  /** A named value: an input or a node's output. */
  public record Value(String name, Elem elem, List<String> dims) {
    public Value {
      Objects.requireNonNull(name);
      Objects.requireNonNull(elem);
      dims = List.copyOf(dims);
    }
  }

  /** A parameter or buffer, named by its state-dict key ({@code fc1.weight}, {@code bn.running_mean}). */
  public record State(String key, boolean buffer, List<String> dims) {
    public State {
      Objects.requireNonNull(key);
      dims = List.copyOf(dims);
    }
  }

  /** Where a named size is read at run time: dim {@code axis} of input {@code input}. */
  public record Size(String symbol, String input, int axis) {}

  /**
   * One step: {@code output = op(inputs; attrs)}.
   *
   * @param inputs the names of inputs, states or earlier outputs
   * @param layer the layer whose result this is ({@code fc1: Linear 10→20}), or empty
   * @param location the user's source line ({@code Mlp.java:13}), or empty
   * @param code the user's source text there ({@code fc1.forward(x)}), or empty
   */
  public record Node(String op, List<String> inputs, Map<String, Object> attrs, Value output, String layer,
      String location, String code) {
    public Node {
      Objects.requireNonNull(op);
      inputs = List.copyOf(inputs);
      Map<String, Object> copy = new LinkedHashMap<>();
      attrs.forEach((k, v) -> copy.put(k, copyOf(v)));
      attrs = Collections.unmodifiableMap(copy);
      Objects.requireNonNull(output);
    }

    /** The attribute {@code key} (arrays copied), or null. */
    public Object attr(String key) {
      return copyOf(attrs.get(key));
    }

    /** {@code Mlp.java:13 `fc1.forward(x)`}, or what part of it is known. */
    public String source() {
      return code.isEmpty() ? location : location.isEmpty() ? "`" + code + "`" : location + " `" + code + "`";
    }
  }

  private final String model;
  private final List<Value> inputs;
  private final List<State> states;
  private final List<Node> nodes;
  private final String output;
  private final List<Size> sizes;

  private ForwardGraph(String model, List<Value> inputs, List<State> states, List<Node> nodes, String output,
      List<Size> sizes) {
    this.model = model;
    this.inputs = List.copyOf(inputs);
    this.states = List.copyOf(states);
    this.nodes = List.copyOf(nodes);
    this.output = output;
    this.sizes = List.copyOf(sizes);
  }

  /** Starts the graph of the generated class {@code model} ({@code CompiledMlp}). */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** The generated class's simple name. */
  public String model() {
    return model;
  }

  public List<Value> inputs() {
    return inputs;
  }

  public List<State> states() {
    return states;
  }

  public List<Node> nodes() {
    return nodes;
  }

  /** The name of the value the forward pass returns (an input, a state or a node's output). */
  public String output() {
    return output;
  }

  /** The named sizes ({@code B}, {@code T}) and where each is read. */
  public List<Size> sizes() {
    return sizes;
  }

  /** The returned value's element kind and shape. */
  public Value outputValue() {
    for (Node n : nodes) {
      if (n.output().name().equals(output)) {
        return n.output();
      }
    }
    for (Value v : inputs) {
      if (v.name().equals(output)) {
        return v;
      }
    }
    for (State s : states) {
      if (s.key().equals(output)) {
        return new Value(s.key(), Elem.FLOAT, s.dims());
      }
    }
    throw new IllegalStateException(model + ": the output " + output + " is not defined in its graph");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(model).append(" forward graph\n");
    inputs.forEach(v -> sb.append("  input ").append(v.name()).append(": ").append(v.elem()).append(v.dims()).append('\n'));
    states.forEach(s -> sb.append("  ").append(s.buffer() ? "buffer " : "parameter ").append(s.key()).append(s.dims())
        .append('\n'));
    for (Node n : nodes) {
      sb.append("  ").append(n.output().name()).append(": ").append(n.output().elem()).append(n.output().dims())
          .append(" = ").append(n.op()).append(n.inputs());
      n.attrs().forEach((k, v) -> sb.append(' ').append(k).append('=').append(text(v)));
      sb.append('\n');
    }
    return sb.append("  return ").append(output).append('\n').toString();
  }

  private static String text(Object v) {
    if (v instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (v instanceof double[] a) {
      return Arrays.toString(a);
    }
    if (v instanceof Object[] a) {
      return Arrays.toString(a);
    }
    return String.valueOf(v);
  }

  private static Object copyOf(Object v) {
    if (v instanceof int[] a) {
      return a.clone();
    }
    if (v instanceof double[] a) {
      return a.clone();
    }
    if (v instanceof String[] a) {
      return a.clone();
    }
    return v;
  }

  /** Collects a graph in definition order; the generated {@code forwardGraph()} calls it. */
  public static final class Builder {
    private final String model;
    private final List<Value> inputs = new ArrayList<>();
    private final List<State> states = new ArrayList<>();
    private final List<NodeBuilder> nodes = new ArrayList<>();
    private final List<Size> sizes = new ArrayList<>();

    private Builder(String model) {
      this.model = Objects.requireNonNull(model);
    }

    /** An input of the forward method. */
    public Builder input(String name, Elem elem, String... dims) {
      inputs.add(new Value(name, elem, List.of(dims)));
      return this;
    }

    /** Named size {@code symbol} is dim {@code axis} of input {@code input}. */
    public Builder size(String symbol, String input, int axis) {
      sizes.add(new Size(symbol, input, axis));
      return this;
    }

    /** A trainable parameter, by its state-dict key. */
    public Builder parameter(String key, String... dims) {
      states.add(new State(key, false, List.of(dims)));
      return this;
    }

    /** A buffer (running statistics), by its state-dict key. */
    public Builder buffer(String key, String... dims) {
      states.add(new State(key, true, List.of(dims)));
      return this;
    }

    /** Starts node {@code output = op(...)}; the returned builder adds its inputs, attributes and source. */
    public NodeBuilder node(String op, String output, Elem elem, String... dims) {
      NodeBuilder n = new NodeBuilder(op, new Value(output, elem, List.of(dims)));
      nodes.add(n);
      return n;
    }

    /** The graph, which returns {@code output}. */
    public ForwardGraph output(String output) {
      List<Node> built = new ArrayList<>();
      nodes.forEach(n -> built.add(n.build()));
      return new ForwardGraph(model, inputs, states, built, output, sizes);
    }
  }

  /** One node being described. */
  public static final class NodeBuilder {
    private final String op;
    private final Value output;
    private final List<String> inputs = new ArrayList<>();
    private final Map<String, Object> attrs = new LinkedHashMap<>();
    private String layer = "";
    private String location = "";
    private String code = "";

    private NodeBuilder(String op, Value output) {
      this.op = op;
      this.output = output;
    }

    public NodeBuilder in(String... names) {
      inputs.addAll(List.of(names));
      return this;
    }

    public NodeBuilder attr(String key, Object value) {
      attrs.put(key, value);
      return this;
    }

    /** The user's source line ({@code Mlp.java:13}) and text that this node implements. */
    public NodeBuilder at(String location, String code) {
      this.location = location;
      this.code = code;
      return this;
    }

    /** The layer whose result this node is ({@code fc1: Linear 10→20}). */
    public NodeBuilder layer(String layer) {
      this.layer = layer;
      return this;
    }

    private Node build() {
      return new Node(op, inputs, attrs, output, layer, location, code);
    }
  }
}

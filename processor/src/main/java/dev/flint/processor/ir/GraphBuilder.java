package dev.flint.processor.ir;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Graph} in definition order, typing each node by a {@link TypeRule} as it is added,
 * so that a shape error surfaces at the node that causes it.
 */
public final class GraphBuilder {
  private final TypeRule types;
  private final List<Leaf> leaves = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Effect> effects = new ArrayList<>();
  private int nextId;

  public GraphBuilder(TypeRule types) {
    this.types = types;
  }

  /** Continues numbering after {@code graph}'s values, to build a graph that reads them (backward). */
  public GraphBuilder(TypeRule types, Graph after) {
    this(types);
    for (Leaf l : after.leaves()) {
      nextId = Math.max(nextId, l.value().id() + 1);
    }
    for (Node n : after.nodes()) {
      nextId = Math.max(nextId, n.out().id() + 1);
    }
  }

  /** The id the next value will get. */
  public int nextId() {
    return nextId;
  }

  /** A fresh value that no node defines (the backward pass's incoming gradient). */
  public Value fresh(String hint, TensorType type, String origin) {
    return new Value(nextId++, hint, type, origin);
  }

  public Value leaf(Leaf.Role role, String access, TensorType type, String hint, String origin) {
    return leaf(role, access, List.of(), type, hint, origin);
  }

  public Value leaf(Leaf.Role role, String access, List<Value> args, TensorType type, String hint, String origin) {
    Value v = fresh(hint, type, origin);
    leaves.add(new Leaf(v, role, access, args));
    return v;
  }

  /** Appends {@code op(inputs; attrs)}; throws the type rule's {@link dev.flint.ops.ShapeError} when they do not fit. */
  public Value op(Op op, List<Value> inputs, Attrs attrs, String hint, String origin, SourceRef where) {
    List<TensorType> in = new ArrayList<>();
    inputs.forEach(v -> in.add(v.type()));
    TensorType type = types.infer(op, in, attrs);
    Value out = fresh(hint, type, origin);
    nodes.add(new Node(op, inputs, attrs, out, where));
    return out;
  }

  /**
   * {@code v} with {@code origin} when it is the output of the last node appended (a composite's result
   * is known only after its last op, which nothing reads yet); else {@code v} unchanged.
   */
  public Value withOrigin(Value v, String origin) {
    int last = nodes.size() - 1;
    if (last < 0 || !nodes.get(last).out().equals(v)) {
      return v;
    }
    Node n = nodes.get(last);
    Value named = new Value(v.id(), v.hint(), v.type(), origin);
    nodes.set(last, new Node(n.op(), n.inputs(), n.attrs(), named, n.where()));
    return named;
  }

  public void effect(String format, List<Value> args, SourceRef where) {
    effects.add(new Effect(format, args, where, nextId));
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  public Graph build(Value output) {
    return new Graph(leaves, nodes, effects, output);
  }
}

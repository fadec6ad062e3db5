package dev.flint.processor.ir;

/**
 * A value that enters the graph from outside: the model input, a parameter, a buffer, or a tensor
 * computed outside the op table (a dropout mask).
 *
 * @param access the Java expression that reads it in the model ({@code x}, {@code fc1.weight},
 *     {@code ((Linear) body.get(0)).bias}); for {@link Role#COMPUTED}, a format whose {@code %s} are
 *     replaced by the names of {@code args}
 * @param args for {@link Role#COMPUTED}: the values the expression reads
 */
public record Leaf(Value value, Role role, String access, java.util.List<Value> args) {

  /** How a leaf relates to gradients. */
  public enum Role {
    /** The forward argument; gets a gradient when it requires one. */
    INPUT,
    /** A trainable parameter; gets a gradient. */
    PARAM,
    /** A buffer (running statistics); a constant for gradients. */
    BUFFER,
    /** A tensor computed by plain Java code outside the op table (a dropout mask); a constant for gradients. */
    COMPUTED
  }

  public Leaf {
    args = java.util.List.copyOf(args);
  }

  public boolean differentiable() {
    return role == Role.INPUT || role == Role.PARAM;
  }
}

package dev.flint.processor.ir;

/**
 * A value of the IR graph, defined once (SSA).
 *
 * @param id unique within its graph, in definition order
 * @param hint the name to give it in generated code: the user's variable, or a short word ({@code t})
 * @param type element kind and shape
 * @param origin what produced it, for messages: {@code fc1: Linear 10→20}, or empty
 */
public record Value(int id, String hint, TensorType type, String origin) {

  @Override
  public boolean equals(Object o) {
    return o instanceof Value v && v.id == id;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(id);
  }

  @Override
  public String toString() {
    return "%" + id + ":" + hint + type;
  }
}

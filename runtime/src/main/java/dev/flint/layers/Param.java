package dev.flint.layers;

/**
 * One constructor parameter of a layer, in declaration order: its name (the Java constructor's), its
 * kind, and its default: null when required, a value, or {@link SameAs} another parameter's value
 * (a pool's stride defaults to its kernel size).
 */
public record Param(String name, Kind kind, Object defaultValue) {
  /** What a parameter holds. */
  public enum Kind {
    /** An {@code int}. */
    INT,
    /** One or more {@code int}s (varargs: LayerNorm's normalized shape). */
    INTS,
    /** A dimension of the input: an {@code int}, negative counting from the end. */
    DIM,
    /** A {@code double} (ints are accepted, as in Java). */
    REAL,
    /** A {@code boolean}. */
    BOOL,
    /** A {@code String}. */
    TEXT
  }

  /** A default that repeats the value of the parameter {@code name}. */
  public record SameAs(String name) {}

  static Param required(String name, Kind kind) {
    return new Param(name, kind, null);
  }

  static Param optional(String name, Kind kind, Object defaultValue) {
    return new Param(name, kind, defaultValue);
  }
}

package dev.flint.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer's constructor arguments by name, bound from the positional arguments of a constructor call
 * ({@code new Conv2d(1, 8, 3)}) with the spec's defaults filled in. Values are {@code Integer},
 * {@code int[]}, {@code Double}, {@code Boolean} or {@code String}.
 */
public final class LayerArgs {
  private final LayerSpec spec;
  private final Map<String, Object> values;

  private LayerArgs(LayerSpec spec, Map<String, Object> values) {
    this.spec = spec;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Binds {@code positional} to {@code spec}'s parameters in order (an INTS parameter takes an
   * {@code int[]} or a run of ints); fails with an {@link IllegalArgumentException} that names the
   * layer and the parameter when an argument is missing, extra, of the wrong kind, or out of range.
   */
  public static LayerArgs bind(LayerSpec spec, List<?> positional) {
    Map<String, Object> v = new LinkedHashMap<>();
    int i = 0;
    for (Param p : spec.params()) {
      if (i < positional.size()) {
        Object a = positional.get(i);
        if (p.kind() == Param.Kind.INTS && !(a instanceof int[])) {
          List<Integer> run = new ArrayList<>();
          while (i < positional.size() && isWhole(positional.get(i))) {
            run.add(((Number) positional.get(i++)).intValue());
          }
          if (run.isEmpty()) {
            throw wrongKind(spec, p, a);
          }
          v.put(p.name(), run.stream().mapToInt(Integer::intValue).toArray());
          continue;
        }
        v.put(p.name(), convert(spec, p, a));
        i++;
      } else if (p.defaultValue() instanceof Param.SameAs same) {
        v.put(p.name(), v.get(same.name()));
      } else if (p.defaultValue() != null) {
        v.put(p.name(), p.defaultValue());
      } else {
        throw new IllegalArgumentException(spec.className() + ": missing argument " + p.name() + " (" + signature(spec) + ")");
      }
    }
    if (i < positional.size()) {
      throw new IllegalArgumentException(spec.className() + ": takes at most " + spec.params().size() + " arguments ("
          + signature(spec) + "), but got " + positional.size());
    }
    LayerArgs args = new LayerArgs(spec, v);
    spec.validate(args);
    return args;
  }

  /** The constructor's parameters as a reader would write them: {@code inFeatures, outFeatures, bias = true}. */
  static String signature(LayerSpec spec) {
    List<String> items = new ArrayList<>();
    for (Param p : spec.params()) {
      Object d = p.defaultValue();
      String dflt = d == null ? "" : " = " + (d instanceof Param.SameAs s ? s.name() : d instanceof String t ? "\"" + t + "\"" : d);
      items.add(p.name() + (p.kind() == Param.Kind.INTS ? "..." : "") + dflt);
    }
    return String.join(", ", items);
  }

  private static boolean isWhole(Object a) {
    return a instanceof Integer || a instanceof Long || a instanceof Short || a instanceof Byte;
  }

  private static Object convert(LayerSpec spec, Param p, Object a) {
    switch (p.kind()) {
      case INT, DIM -> {
        if (isWhole(a) && ((Number) a).longValue() == ((Number) a).intValue()) {
          return ((Number) a).intValue();
        }
      }
      case INTS -> {
        if (a instanceof int[] xs) {
          return xs.clone();
        }
      }
      case REAL -> {
        if (a instanceof Number n) {
          return n.doubleValue();
        }
      }
      case BOOL -> {
        if (a instanceof Boolean) {
          return a;
        }
      }
      case TEXT -> {
        if (a instanceof String) {
          return a;
        }
      }
    }
    throw wrongKind(spec, p, a);
  }

  private static IllegalArgumentException wrongKind(LayerSpec spec, Param p, Object a) {
    String kind = switch (p.kind()) {
      case INT, DIM -> "an int";
      case INTS -> "ints";
      case REAL -> "a double";
      case BOOL -> "a boolean";
      case TEXT -> "a String";
    };
    return new IllegalArgumentException(spec.className() + ": argument " + p.name() + " must be " + kind + ", but got "
        + (a instanceof String s ? "\"" + s + "\"" : a));
  }

  public LayerSpec spec() {
    return spec;
  }

  /** The value of parameter {@code name}. */
  public Object get(String name) {
    if (!values.containsKey(name)) {
      throw new IllegalArgumentException(spec.className() + " has no parameter " + name);
    }
    return values.get(name);
  }

  public int integer(String name) {
    return (Integer) get(name);
  }

  /** An INTS parameter (a copy). */
  public int[] integers(String name) {
    return ((int[]) get(name)).clone();
  }

  public double real(String name) {
    return (Double) get(name);
  }

  public boolean bool(String name) {
    return (Boolean) get(name);
  }

  public String text(String name) {
    return (String) get(name);
  }

  @Override
  public String toString() {
    List<String> items = new ArrayList<>();
    values.forEach((k, v) -> items.add(k + "=" + (v instanceof int[] xs ? java.util.Arrays.toString(xs) : v)));
    return spec.className() + "(" + String.join(", ", items) + ")";
  }
}

package dev.flint.ops;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The non-tensor arguments of an op call (dims, scalars, shapes, a dtype name), immutable and keyed
 * by the names below. Dims stored here are already normalized to {@code [0, rank)}.
 */
public final class Attrs {
  public static final String DIM = "dim";
  public static final String DIMS = "dims";
  public static final String KEEP_DIM = "keepDim";
  public static final String VALUE = "value";
  public static final String MIN = "min";
  public static final String MAX = "max";
  public static final String SHAPE = "shape";
  public static final String PERM = "perm";
  public static final String START = "start";
  public static final String LENGTH = "length";
  public static final String STEP = "step";
  public static final String DIAGONAL = "diagonal";
  public static final String BEFORE = "before";
  public static final String AFTER = "after";
  public static final String DTYPE = "dtype";
  public static final String KERNEL = "kernel";
  public static final String STRIDE = "stride";
  public static final String PADDING = "padding";
  public static final String EPS = "eps";
  public static final String SCALE = "scale";
  public static final String CAUSAL = "causal";

  /** No attributes. */
  public static final Attrs NONE = new Attrs(Collections.emptyMap());

  private final Map<String, Object> values;

  private Attrs(Map<String, Object> values) {
    this.values = values;
  }

  /** Attributes from alternating keys and values: {@code Attrs.of(DIM, 1, KEEP_DIM, true)}. */
  public static Attrs of(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Attrs.of needs key/value pairs, but got " + keysAndValues.length + " items");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object v = keysAndValues[i + 1];
      m.put((String) keysAndValues[i], v instanceof int[] ? ((int[]) v).clone() : v);
    }
    return new Attrs(Collections.unmodifiableMap(m));
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public int integer(String key) {
    return (Integer) get(key);
  }

  public double real(String key) {
    return ((Number) get(key)).doubleValue();
  }

  public boolean bool(String key) {
    return (Boolean) get(key);
  }

  public String text(String key) {
    return (String) get(key);
  }

  /** An int-array attribute (a copy). */
  public int[] ints(String key) {
    return ((int[]) get(key)).clone();
  }

  /** The attribute names in insertion order, for emitters and printing. */
  public java.util.Set<String> keys() {
    return values.keySet();
  }

  /** The raw value of an attribute (int arrays are copied). */
  public Object get(String key) {
    Object v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing op attribute '" + key + "' (have " + values.keySet() + ")");
    }
    return v instanceof int[] ? ((int[]) v).clone() : v;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      Object v = e.getValue();
      sb.append(e.getKey()).append('=').append(v instanceof int[] ? Arrays.toString((int[]) v) : v);
    }
    return sb.append('}').toString();
  }
}

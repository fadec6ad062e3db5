package dev.flint.benchmarks;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object on one line, with fields in insertion order, as {@code pytorch_bench.py} prints
 * them: doubles rounded to 6 significant digits, NaN and infinities as {@code null}.
 */
public final class JsonLine {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  /** Sets a field (String, Number, Boolean, List or null); a field already set keeps its position. */
  public JsonLine put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  /** Sets a field only if it is not set yet. */
  public JsonLine putIfAbsent(String name, Object value) {
    fields.putIfAbsent(name, value);
    return this;
  }

  public Object get(String name) {
    return fields.get(name);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      string(sb, e.getKey());
      sb.append(": ");
      value(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  private static void value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Double || v instanceof Float) {
      sb.append(number(((Number) v).doubleValue()));
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof List) {
      sb.append('[');
      List<?> list = (List<?>) v;
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        value(sb, list.get(i));
      }
      sb.append(']');
    } else {
      string(sb, v.toString());
    }
  }

  /** A double with 6 significant digits in JSON syntax ({@code null} when not finite). */
  static String number(double d) {
    if (!Double.isFinite(d)) {
      return "null";
    }
    if (d == 0) {
      return "0.0";
    }
    BigDecimal b = new BigDecimal(String.format(Locale.ROOT, "%.6g", d)).stripTrailingZeros();
    double abs = Math.abs(d);
    String s = abs >= 1e-4 && abs < 1e16 ? b.toPlainString() : b.toString();
    return s.indexOf('.') < 0 && s.indexOf('E') < 0 ? s + ".0" : s;
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}

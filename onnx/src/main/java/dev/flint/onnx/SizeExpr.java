package dev.flint.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A size as {@code ForwardGraph} writes it: {@code 784}, or a polynomial in named sizes with integer
 * coefficients ({@code B}, {@code B*T*16}, {@code T+2}, {@code B*T-1}). Parsed into its terms, so an
 * exporter can compute it from the input's shape at run time.
 */
final class SizeExpr {
  /** Each monomial (its symbols in order, repeated for powers) to its coefficient. */
  private final TreeMap<String, Long> terms;

  private SizeExpr(TreeMap<String, Long> terms) {
    this.terms = terms;
  }

  static SizeExpr constant(long c) {
    TreeMap<String, Long> t = new TreeMap<>();
    if (c != 0) {
      t.put("", c);
    }
    return new SizeExpr(t);
  }

  /** Reads {@code text}; an unreadable one is an {@link IllegalArgumentException} naming it. */
  static SizeExpr parse(String text) {
    String s = text.replace(" ", "");
    if (s.isEmpty()) {
      throw new IllegalArgumentException("an empty size");
    }
    TreeMap<String, Long> t = new TreeMap<>();
    int i = 0;
    while (i < s.length()) {
      long sign = 1;
      if (s.charAt(i) == '+' || s.charAt(i) == '-') {
        sign = s.charAt(i) == '-' ? -1 : 1;
        i++;
      }
      int end = i;
      while (end < s.length() && s.charAt(end) != '+' && s.charAt(end) != '-') {
        end++;
      }
      String term = s.substring(i, end);
      if (term.isEmpty()) {
        throw new IllegalArgumentException("`" + text + "` is not a size");
      }
      long coefficient = sign;
      List<String> symbols = new ArrayList<>();
      for (String factor : term.split("\\*", -1)) {
        if (factor.matches("[0-9]+")) {
          coefficient = Math.multiplyExact(coefficient, Long.parseLong(factor));
        } else if (factor.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          symbols.add(factor);
        } else {
          throw new IllegalArgumentException("`" + text + "` is not a size");
        }
      }
      symbols.sort(null);
      t.merge(String.join("*", symbols), coefficient, Long::sum);
      i = end;
    }
    t.values().removeIf(c -> c == 0);
    return new SizeExpr(t);
  }

  /** The value when no symbol is left, else null. */
  Long constantValue() {
    if (terms.isEmpty()) {
      return 0L;
    }
    return terms.size() == 1 && terms.containsKey("") ? terms.get("") : null;
  }

  SizeExpr plus(SizeExpr o) {
    TreeMap<String, Long> t = new TreeMap<>(terms);
    o.terms.forEach((m, c) -> t.merge(m, c, Long::sum));
    t.values().removeIf(c -> c == 0);
    return new SizeExpr(t);
  }

  SizeExpr times(long k) {
    TreeMap<String, Long> t = new TreeMap<>();
    terms.forEach((m, c) -> t.put(m, c * k));
    t.values().removeIf(c -> c == 0);
    return new SizeExpr(t);
  }

  /** Each monomial's symbols (empty for the constant) and coefficient. */
  Map<List<String>, Long> terms() {
    Map<List<String>, Long> out = new java.util.LinkedHashMap<>();
    terms.forEach((m, c) -> out.put(m.isEmpty() ? List.of() : List.of(m.split("\\*")), c));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SizeExpr e && e.terms.equals(terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  @Override
  public String toString() {
    if (terms.isEmpty()) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    terms.descendingMap().forEach((m, c) -> {
      if (sb.length() > 0 || c < 0) {
        sb.append(c < 0 ? "-" : "+");
      }
      long a = Math.abs(c);
      sb.append(m.isEmpty() ? Long.toString(a) : a == 1 ? m : m + "*" + a);
    });
    return sb.toString();
  }
}

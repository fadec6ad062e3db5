package dev.flint.nn;

/** Formatting of layer settings as PyTorch prints them ({@code eps=1e-05}, {@code kernel_size=(3, 3)}). */
final class Repr {
  private Repr() {}

  /** A number as Python prints a float: {@code 0.1}, {@code 1e-05}, {@code 1.0}. */
  static String num(double v) {
    if (v != 0 && Math.abs(v) < 1e-4) {
      String s = String.format(java.util.Locale.ROOT, "%.15e", v);
      String mantissa = s.substring(0, s.indexOf('e')).replaceAll("0+$", "").replaceAll("\\.$", "");
      return mantissa + s.substring(s.indexOf('e'));
    }
    return Double.toString(v);
  }

  /** A pair as a Python tuple: {@code (3, 3)}. */
  static String pair(int a, int b) {
    return "(" + a + ", " + b + ")";
  }

  /** A shape as a Python tuple: {@code (64,)}, {@code (2, 3)}. */
  static String tuple(int[] values) {
    if (values.length == 1) {
      return "(" + values[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      sb.append(i > 0 ? ", " : "").append(values[i]);
    }
    return sb.append(')').toString();
  }

  static String bool(boolean b) {
    return b ? "True" : "False";
  }
}

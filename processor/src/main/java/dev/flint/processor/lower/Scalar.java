package dev.flint.processor.lower;

import dev.flint.processor.ir.Dim;

/**
 * The compile-time value of an {@code int} or {@code double} expression of a {@code @Forward} body:
 * an int is a {@link Dim} (a number, or a polynomial in the symbolic sizes such as {@code B} or
 * {@code T*2}), a double is a number. Generated code needs no locals for them: they fold into the
 * attributes of the ops that read them.
 */
record Scalar(Dim size, double real) {
  static Scalar of(Dim size) {
    return new Scalar(size, Double.NaN);
  }

  static Scalar of(double real) {
    return new Scalar(null, real);
  }

  boolean integral() {
    return size != null;
  }

  /** The value as a Java number when it is known at compile time, else null. */
  Double known() {
    if (!integral()) {
      return real;
    }
    Long c = size.constantValue();
    return c == null ? null : (double) c;
  }

  @Override
  public String toString() {
    return integral() ? size.toString() : Double.toString(real);
  }
}

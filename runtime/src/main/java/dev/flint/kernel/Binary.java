package dev.flint.kernel;

/** The binary elementwise functions, in double and in exact integer arithmetic. */
enum Binary {
  ADD { double apply(double a, double b) { return a + b; } long applyLong(long a, long b) { return a + b; } },
  SUB { double apply(double a, double b) { return a - b; } long applyLong(long a, long b) { return a - b; } },
  MUL { double apply(double a, double b) { return a * b; } long applyLong(long a, long b) { return a * b; } },
  DIV { double apply(double a, double b) { return a / b; } long applyLong(long a, long b) { return a / b; } },
  GT { double apply(double a, double b) { return a > b ? 1 : 0; } long applyLong(long a, long b) { return a > b ? 1 : 0; } },
  LT { double apply(double a, double b) { return a < b ? 1 : 0; } long applyLong(long a, long b) { return a < b ? 1 : 0; } },
  GE { double apply(double a, double b) { return a >= b ? 1 : 0; } long applyLong(long a, long b) { return a >= b ? 1 : 0; } },
  LE { double apply(double a, double b) { return a <= b ? 1 : 0; } long applyLong(long a, long b) { return a <= b ? 1 : 0; } },
  EQ { double apply(double a, double b) { return a == b ? 1 : 0; } long applyLong(long a, long b) { return a == b ? 1 : 0; } },
  NE { double apply(double a, double b) { return a != b ? 1 : 0; } long applyLong(long a, long b) { return a != b ? 1 : 0; } };

  abstract double apply(double a, double b);

  abstract long applyLong(long a, long b);

  boolean isComparison() {
    return ordinal() >= GT.ordinal();
  }
}

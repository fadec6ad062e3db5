package dev.flint.kernel;

/**
 * The unary elementwise functions, some with scalar parameters {@code p} and {@code q} (the scalar of
 * ADD_SCALAR, the bounds of CLAMP). {@link #applyLong} is used when input and output are integers.
 */
enum Unary {
  NEG { double apply(double x, double p, double q) { return -x; } long applyLong(long x, double p, double q) { return -x; } },
  EXP { double apply(double x, double p, double q) { return Math.exp(x); } },
  LOG { double apply(double x, double p, double q) { return Math.log(x); } },
  SQRT { double apply(double x, double p, double q) { return Math.sqrt(x); } },
  ABS { double apply(double x, double p, double q) { return Math.abs(x); } long applyLong(long x, double p, double q) { return Math.abs(x); } },
  SIGN { double apply(double x, double p, double q) { return Math.signum(x); } long applyLong(long x, double p, double q) { return Long.signum(x); } },
  RELU { double apply(double x, double p, double q) { return x > 0 ? x : x == x ? 0 : x; } long applyLong(long x, double p, double q) { return Math.max(x, 0); } },
  SIGMOID { double apply(double x, double p, double q) { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); } },
  TANH { double apply(double x, double p, double q) { return Math.tanh(x); } },
  SIN { double apply(double x, double p, double q) { return Math.sin(x); } },
  COS { double apply(double x, double p, double q) { return Math.cos(x); } },
  // On integers the rounding ops are the identity (as PyTorch's), without a detour through double.
  FLOOR { double apply(double x, double p, double q) { return Math.floor(x); } long applyLong(long x, double p, double q) { return x; } },
  CEIL { double apply(double x, double p, double q) { return Math.ceil(x); } long applyLong(long x, double p, double q) { return x; } },
  /** Half to even, as {@code torch.round}: {@code Math.rint}. */
  ROUND { double apply(double x, double p, double q) { return Math.rint(x); } long applyLong(long x, double p, double q) { return x; } },
  ADD_SCALAR { double apply(double x, double p, double q) { return x + p; } long applyLong(long x, double p, double q) { return x + (long) p; } },
  MUL_SCALAR { double apply(double x, double p, double q) { return x * p; } long applyLong(long x, double p, double q) { return x * (long) p; } },
  POW_SCALAR {
    double apply(double x, double p, double q) { return p == 2 ? x * x : p == 1 ? x : p == 0.5 ? Math.sqrt(x) : Math.pow(x, p); }
    long applyLong(long x, double p, double q) { return (long) Math.pow(x, p); }
  },
  CLAMP {
    double apply(double x, double p, double q) { return x != x ? x : Math.min(Math.max(x, p), q); }
    long applyLong(long x, double p, double q) { return (long) Math.min(Math.max(x, p), q); }
  };

  abstract double apply(double x, double p, double q);

  long applyLong(long x, double p, double q) {
    return (long) apply(x, p, q);
  }
}

package dev.flint.processor.ir;

import dev.flint.ops.DimAlgebra;
import dev.flint.ops.ShapeError;

/**
 * The op table's shape rules over {@link Dim} codes (Note [Symbolic sizes]): sizes such as {@code B}
 * and {@code B*T*16} add, multiply and divide as polynomials and print as users read them.
 */
public final class SymbolicDims implements DimAlgebra {
  public static final SymbolicDims INSTANCE = new SymbolicDims();

  private SymbolicDims() {}

  @Override
  public int add(int a, int b) {
    return Dim.of(a).plus(Dim.of(b)).code();
  }

  @Override
  public int subtract(int a, int b) {
    return Dim.of(a).minus(Dim.of(b)).code();
  }

  @Override
  public int multiply(int a, int b) {
    return Dim.of(a).times(Dim.of(b)).code();
  }

  @Override
  public int divide(int a, int b) {
    Dim q = Dim.of(a).dividedBy(Dim.of(b));
    return q == null ? -1 : q.code();
  }

  /** Only when the difference is a positive constant: {@code T} may exceed any number. */
  @Override
  public boolean exceeds(int a, int b) {
    Long d = Dim.of(a).minus(Dim.of(b)).constantValue();
    return d != null && d > 0;
  }

  @Override
  public int known(String op, int d) {
    Long c = Dim.of(d).constantValue();
    if (c == null) {
      throw new ShapeError(op + ": needs a size known at compile time, but got " + Dim.of(d)
          + " (give it in @Model(input) or @Model(inputDims))");
    }
    return (int) (long) c;
  }

  @Override
  public String show(int d) {
    return Dim.of(d).toString();
  }
}

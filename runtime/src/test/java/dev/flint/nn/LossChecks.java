package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.tensor.Tensor;

/** Test helpers for losses: reductions of reference values and comparisons. */
final class LossChecks {
  private LossChecks() {}

  static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }

  static double mean(double[] v) {
    return sum(v) / v.length;
  }

  /** Checks all three reductions of {@code make} against per-element reference values. */
  static void assertReductions(double[] perElement, int[] shape, java.util.function.Function<Reduction, Tensor> make,
      double tol) {
    Tensor none = make.apply(Reduction.NONE);
    assertArrayEquals(shape, none.shape(), "NONE keeps the element shape");
    assertArrayEquals(perElement, none.toDoubleArray(), tol, "NONE");
    Tensor sum = make.apply(Reduction.SUM);
    assertEquals(0, sum.dim(), "SUM is 0-d");
    assertEquals(sum(perElement), sum.item(), tol * Math.max(1, Math.abs(sum(perElement))), "SUM");
    Tensor mean = make.apply(Reduction.MEAN);
    assertEquals(0, mean.dim(), "MEAN is 0-d");
    assertEquals(mean(perElement), mean.item(), tol * Math.max(1, Math.abs(mean(perElement))), "MEAN");
  }
}

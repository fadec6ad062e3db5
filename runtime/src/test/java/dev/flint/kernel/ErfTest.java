package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;

import org.junit.jupiter.api.Test;

class ErfTest {
  @Test
  void matchesTabulatedValues() {
    // Values from Abramowitz & Stegun table 7.1 and CPython's math.erf.
    double[][] table = {
        {0, 0},
        {0.1, 0.1124629160182849},
        {0.5, 0.5204998778130465},
        {1, 0.8427007929497149},
        {1.5, 0.9661051464753108},
        {2, 0.9953222650189527},
        {2.5, 0.9995930479825550},
        {2.999, 0.9999777698314002},
        {3, 0.9999779095030014},
        {4, 0.9999999845827421},
        {5.5, 0.9999999999999927},
        {7, 1},
    };
    for (double[] row : table) {
      assertEquals(row[1], Erf.erf(row[0]), 1e-15, "erf(" + row[0] + ")");
      assertEquals(-row[1], Erf.erf(-row[0]), 1e-15, "erf(-" + row[0] + ")");
    }
    assertEquals(1e-10 * 1.1283791670955126, Erf.erf(1e-10), 1e-26);
    assertEquals(Double.NaN, Erf.erf(Double.NaN));
  }

  @Test
  void kernelKeepsFloat64AndPromotesIntegersToFloat32() {
    assertEquals(DType.FLOAT64, Erf.erf(Tensor.of(new double[] {1})).dtype());
    Tensor ints = Erf.erf(Tensor.of(new long[] {0, 1, -2}));
    assertEquals(DType.FLOAT32, ints.dtype());
    assertArrayEquals(new float[] {0, 0.84270079f, -0.99532227f}, ints.toFloatArray());
  }

  /** The FLOAT32 path is within about two float ulps of the double series everywhere (dense grid over ±7). */
  @Test
  void floatPathIsSinglePrecision() {
    double worst = 0;
    double at = 0;
    for (int i = -700_000; i <= 700_000; i++) {
      double x = i * 1e-5;
      double exact = Erf.erf(x);
      double rel = Math.abs(Erf.erfFloat(x) - exact) / Math.max(Math.abs(exact), 1e-30);
      if (rel > worst) {
        worst = rel;
        at = x;
      }
    }
    assertTrue(worst <= 2.5e-7, "largest relative error " + worst + " at x=" + at);
    assertEquals(1e-10 * 1.1283791670955126, Erf.erfFloat(1e-10), 1e-22);
    assertEquals(-1, Erf.erfFloat(-9));
    assertTrue(Double.isNaN(Erf.erfFloat(Double.NaN)));
    // The tensor kernel rounds it to float: the nearest float to the true value, or its neighbour.
    float[] xs = {-2.75f, -1f, -0.3f, 0.5f, 0.99999f, 1f, 1.7f, 3.2f};
    float[] got = Erf.erf(Tensor.of(xs)).toFloatArray();
    for (int i = 0; i < xs.length; i++) {
      float nearest = (float) Erf.erf(xs[i]);
      assertTrue(Math.abs(got[i] - nearest) <= Math.ulp(nearest), "erf(" + xs[i] + ") = " + got[i] + ", nearest " + nearest);
    }
  }

  @Test
  void derivativeIsTheGaussian() {
    for (double x = -4; x <= 4; x += 0.37) {
      double fd = (Erf.erf(x + 1e-5) - Erf.erf(x - 1e-5)) / 2e-5;
      assertEquals(2 / Math.sqrt(Math.PI) * Math.exp(-x * x), fd, 1e-9, "x=" + x);
    }
  }
}

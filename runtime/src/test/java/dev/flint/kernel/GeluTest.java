package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused exact GELU ({@link Gelu}) against an independent double-precision truth: {@code Φ(x)} from
 * {@link Erf#erf(double)} where {@code 1 + erf} keeps its digits ({@code x ≥ −2}) and from erfc's
 * continued fraction, evaluated here, below. The tensor kernels (the Vector API tier when the module
 * is present: surefire runs this class with and without it) must equal the scalar reference bit for bit.
 */
class GeluTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  /** {@code erfc(z)} for {@code z ≥ 1.4} by its continued fraction, evaluated from the bottom. */
  private static double erfc(double z) {
    double f = z;
    for (int k = 4000; k >= 1; k--) {
      f = z + (k / 2.0) / f;
    }
    return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  }

  /** Φ(x), the standard normal distribution function, in double. */
  private static double cdf(double x) {
    return x >= -2 ? 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) : 0.5 * erfc(-x / Math.sqrt(2));
  }

  private static double exactGelu(double x) {
    return x * cdf(x);
  }

  private static double exactSlope(double x) {
    return cdf(x) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  }

  @Test
  void referenceMatchesTabulatedValues() {
    // CPython: x/2·(1 + math.erf(x/√2)), and 0.5·math.erfc(5/√2) for Φ(−5)
    assertEquals(-0.15865525393145707, exactGelu(-1), 1e-16);
    assertEquals(1.9544997361036416, exactGelu(2), 1e-15);
    assertEquals(2.866515718791939e-07, cdf(-5), 1e-21);
  }

  @Test
  void float32IsWithinFiveAndAHalfUlpsOfTheTruth() {
    double worst = 0;
    double sum = 0;
    float at = 0;
    int count = 0;
    for (int i = -90_000; i <= 90_000; i++) {
      float x = i * 1.7e-4f;
      double exact = exactGelu(x);
      double got = Gelu.geluFloat(x);
      double err = Math.abs(got - exact) / Math.ulp((float) exact);
      sum += err;
      count++;
      if (err > worst) {
        worst = err;
        at = x;
      }
    }
    // the rational tail ratio's nine roundings are most of it; measured 5.46 at x = −8.867, 0.46 on average
    assertTrue(worst <= 5.5, "largest error " + worst + " ulp at x=" + at);
    assertTrue(sum / count <= 0.5, "mean error " + sum / count + " ulp");
  }

  @Test
  void float32HasPyTorchsValuesAtTheEnds() {
    assertEquals(0f, Gelu.geluFloat(0f));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Gelu.geluFloat(-0f)));
    assertEquals(Float.POSITIVE_INFINITY, Gelu.geluFloat(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(Gelu.geluFloat(Float.NEGATIVE_INFINITY)));   // −∞·½(1 + erf(−∞)) = −∞·0
    assertTrue(Float.isNaN(Gelu.geluFloat(Float.NaN)));
    assertEquals(-0f, Gelu.geluFloat(-30f));   // −30·0, as PyTorch's
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Gelu.geluFloat(-3e38f)));
    assertEquals(3e38f, Gelu.geluFloat(3e38f));
    assertEquals(16f, Gelu.geluFloat(16f));
    assertEquals(6f, Gelu.geluFloat(6f));   // Q(6) = 1e-9 is below half an ulp of 1
    // where x·Φ(x) is subnormal: within one ulp (1.4e-45) of −14·Φ(−14) = −1.1216e-43
    assertEquals(exactGelu(-14), Gelu.geluFloat(-14f), Float.MIN_VALUE);
    assertEquals(exactGelu(-13.5), Gelu.geluFloat(-13.5f), Float.MIN_VALUE);
    assertEquals(0.5f, Gelu.geluBackwardFloat(1f, -0f));
    assertEquals(1f, Gelu.geluBackwardFloat(1f, 9f));
    assertEquals(0f, Gelu.geluBackwardFloat(1f, -20f));
    assertTrue(Float.isNaN(Gelu.geluBackwardFloat(1f, Float.POSITIVE_INFINITY)));   // 1 + ∞·φ(∞) = ∞·0, as PyTorch's
    assertTrue(Float.isNaN(Gelu.geluBackwardFloat(1f, Float.NaN)));
  }

  @Test
  void float32SlopeIsWithinTwoTenMillionthsOfTheTruth() {
    double worst = 0;
    double worstUlps = 0;
    float at = 0;
    float atUlps = 0;
    for (int i = -90_000; i <= 90_000; i++) {
      float x = i * 1.7e-4f;
      double exact = exactSlope(x);
      double err = Math.abs(Gelu.geluBackwardFloat(1f, x) - exact);
      if (err > worst) {
        worst = err;
        at = x;
      }
      // relative, away from the slope's zero at −0.7518 (there only the absolute error means anything)
      if (Math.abs(x + 0.7518) > 0.5 && err / Math.ulp((float) exact) > worstUlps) {
        worstUlps = err / Math.ulp((float) exact);
        atUlps = x;
      }
    }
    // |gelu'| <= 1.13: an absolute bound of about two float ulps at 1; measured 1.3e-7 and 4.8 ulps
    assertTrue(worst <= 2e-7, "largest error " + worst + " at x=" + at);
    assertTrue(worstUlps <= 5, "largest error " + worstUlps + " ulp at x=" + atUlps);
    assertEquals(-3f * (float) exactSlope(-0.75), Gelu.geluBackwardFloat(-3f, -0.75f), 4e-7);
  }

  @Test
  void float64KeepsTheCompositionsValues() {
    Tensor x = Tensor.randn(new Generator(3), 257).mul(3).to(DType.FLOAT64);
    double[] got = Kernels.gelu(x).toDoubleArray();
    double[] xs = x.toDoubleArray();
    for (int i = 0; i < xs.length; i++) {
      // the five-kernel composition it replaced: (x·0.5)·(erf(x·√½) + 1)
      assertEquals(xs[i] * 0.5 * (Erf.erf(xs[i] * Math.sqrt(0.5)) + 1), got[i], 0.0, "x=" + xs[i]);
      assertEquals(exactGelu(xs[i]), got[i], 1e-15 * Math.abs(xs[i]) + 1e-300, "x=" + xs[i]);
    }
    double[] g = Kernels.geluBackward(Tensor.ones(DType.FLOAT64, 257), x).toDoubleArray();
    for (int i = 0; i < xs.length; i++) {
      assertEquals(exactSlope(xs[i]), g[i], 1e-15, "x=" + xs[i]);
    }
  }

  /** Special values and a dense grid, at every length modulo the lanes and at an offset. */
  private static float[] inputs() {
    float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f,
        Float.MIN_VALUE, 14.4f, -14.4f, -14.5f, -14.6f, -20f, 100f, -100f, 3e38f, -3e38f};
    float[] x = new float[special.length + 8199];
    System.arraycopy(special, 0, x, 0, special.length);
    for (int i = special.length; i < x.length; i++) {
      x[i] = (i - 4100) * 4.1e-3f;   // [−16.8, 16.8]: past the tail's clamp at 16
    }
    return x;
  }

  private static Tensor at(float[] values, int offset, int n) {
    return Internals.view(Storage.of(values), offset, new int[] {n}, new int[] {1});
  }

  @Test
  void kernelEqualsTheScalarReferenceBitForBit() {
    float[] x = inputs();
    for (int n : new int[] {1, 3, 7, 8, 9, 15, 16, 17, 33, x.length - 5}) {
      float[] got = Kernels.gelu(at(x, 5, n)).toFloatArray();
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToIntBits(Gelu.geluFloat(x[5 + i])), Float.floatToIntBits(got[i]),
            "gelu(" + x[5 + i] + ") at n=" + n);
      }
    }
  }

  @Test
  void backwardKernelEqualsTheScalarReferenceBitForBit() {
    float[] x = inputs();
    float[] g = new float[x.length];
    Generator gen = new Generator(9);
    float[] r = Tensor.randn(gen, g.length).toFloatArray();
    System.arraycopy(r, 0, g, 0, g.length);
    for (int n : new int[] {1, 7, 8, 9, 16, 17, 33, x.length - 3}) {
      float[] got = Kernels.geluBackward(at(g, 3, n), at(x, 2, n)).toFloatArray();
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToIntBits(Gelu.geluBackwardFloat(g[3 + i], x[2 + i])), Float.floatToIntBits(got[i]),
            "g=" + g[3 + i] + ", x=" + x[2 + i] + " at n=" + n);
      }
    }
  }

  @Test
  void backwardBroadcastsAndPromotes() {
    Tensor g = Tensor.of(new float[] {2f, -1f, 0.5f}, 3, 1);
    Tensor x = Tensor.of(new double[] {-1, 0.5}, 2);
    Tensor d = Kernels.geluBackward(g, x);
    assertEquals(DType.FLOAT64, d.dtype());
    double[] v = d.toDoubleArray();
    double[] gs = {2, -1, 0.5};
    double[] xs = {-1, 0.5};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(gs[i] * exactSlope(xs[j]), v[2 * i + j], 1e-15);
      }
    }
    assertEquals(DType.FLOAT32, Kernels.gelu(Tensor.of(new long[] {1, -2})).dtype());
  }
}

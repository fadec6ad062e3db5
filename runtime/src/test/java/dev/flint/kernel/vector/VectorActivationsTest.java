package dev.flint.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flint.kernel.FastMath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lanes of {@link VectorActivations} against their scalar references in {@link FastMath}, bit for bit,
 * over a dense grid and the special values (each branch of the scalar code, both sides of each blend).
 */
class VectorActivationsTest {
  @BeforeAll
  static void vectorModulePresent() {
    assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "no jdk.incubator.vector");
  }

  private static float[] grid() {
    float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f, -0.5f,
        0.49999997f, 1f, -1f, 0.99999994f, -0.99999994f, 1e-30f, -1e-30f, 44f, -44f, 52f, -52f, 89f, -104f, -105f};
    int lanes = VectorActivations.lanes();
    int n = 200_000 + special.length;
    float[] x = new float[n + (lanes - n % lanes) % lanes];
    System.arraycopy(special, 0, x, 0, special.length);
    for (int i = special.length; i < x.length; i++) {
      x[i] = (float) ((i - x.length / 2) * 3e-4);
    }
    return x;
  }

  @Test
  void expEqualsFastMathForNonPositiveArguments() {
    float[] x = grid();
    double[] a = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = -Math.abs(x[i]);
      a[i] = x[i];
    }
    VectorActivations.expInPlace(a, a.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToIntBits(FastMath.exp(x[i])), Float.floatToIntBits((float) a[i]), "exp(" + x[i] + ")");
    }
  }

  @Test
  void sigmoidAndTanhEqualFastMath() {
    float[] x = grid();
    float[] s = new float[x.length];
    float[] t = new float[x.length];
    VectorActivations.activate(x, 0, null, 0, null, 0, s, 0, x.length, false);
    VectorActivations.activate(x, 0, null, 0, null, 0, t, 0, x.length, true);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToIntBits(FastMath.sigmoid(x[i])), Float.floatToIntBits(s[i]), "sigmoid(" + x[i] + ")");
      assertEquals(Float.floatToIntBits(FastMath.tanh(x[i])), Float.floatToIntBits(t[i]), "tanh(" + x[i] + ")");
    }
  }

  /** The gates' inputs are float sums (x + y + bias, rounded after each addition), as the scalar loops add them. */
  @Test
  void sumsOfOperandsAreFloatSums() {
    float[] x = grid();
    float[] y = new float[x.length];
    float[] b = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[(i * 7919) % x.length] * 1e-3f + 1e-8f * i;
      b[i] = (float) Math.sin(i) * 3;
    }
    float[] got = new float[x.length];
    int n = x.length - 3;
    VectorActivations.activate(x, 1, y, 2, b, 3, got, 0, n, false);
    for (int i = 0; i < n; i++) {
      float z = x[1 + i] + y[2 + i] + b[3 + i];
      assertEquals(Float.floatToIntBits(FastMath.sigmoid(z)), Float.floatToIntBits(got[i]), "sigmoid(" + z + ")");
    }
    VectorActivations.activate(x, 1, y, 2, null, 0, got, 0, n, true);
    for (int i = 0; i < n; i++) {
      float z = x[1 + i] + y[2 + i];
      assertEquals(Float.floatToIntBits(FastMath.tanh(z)), Float.floatToIntBits(got[i]), "tanh(" + z + ")");
    }
  }
}

package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FastMath against java.lang.Math, measured in float ulps of the correctly rounded result. */
class FastMathTest {

  private static double ulps(float got, double exact) {
    float want = (float) exact;
    if (want == got) {
      return 0;
    }
    return Math.abs(got - exact) / Math.ulp(want);
  }

  @Test
  void expIsWithinOneUlp() {
    double worst = 0;
    for (int i = 0; i < 2_000_000; i++) {
      float x = (float) (-103 + 191.0 * i / 2_000_000);
      worst = Math.max(worst, ulps(FastMath.exp(x), Math.exp(x)));
    }
    assertTrue(worst <= 1.0, "worst error " + worst + " ulp");
  }

  @Test
  void expSpecialValues() {
    assertEquals(1f, FastMath.exp(0f));
    assertEquals(Float.POSITIVE_INFINITY, FastMath.exp(89f));
    assertEquals(Float.POSITIVE_INFINITY, FastMath.exp(Float.POSITIVE_INFINITY));
    assertEquals(0f, FastMath.exp(Float.NEGATIVE_INFINITY));
    assertEquals(0f, FastMath.exp(-200f));
    assertTrue(Float.isNaN(FastMath.exp(Float.NaN)));
    assertEquals((float) Math.exp(-100), FastMath.exp(-100f), Math.ulp((float) Math.exp(-100)));   // subnormal
    assertEquals((float) Math.exp(88.5), FastMath.exp(88.5f), Math.ulp((float) Math.exp(88.5)));
  }

  @Test
  void sigmoidAndTanhAreAccurate() {
    double worstS = 0;
    double worstT = 0;
    for (int i = 0; i < 400_000; i++) {
      float x = (float) (-30 + 60.0 * i / 400_000);
      worstS = Math.max(worstS, ulps(FastMath.sigmoid(x), 1 / (1 + Math.exp(-(double) x))));
      worstT = Math.max(worstT, ulps(FastMath.tanh(x), Math.tanh(x)));
    }
    assertTrue(worstS <= 2, "sigmoid worst " + worstS + " ulp");
    assertTrue(worstT <= 2, "tanh worst " + worstT + " ulp");
    assertEquals(1f, FastMath.tanh(1000f));
    assertEquals(-1f, FastMath.tanh(-1000f));
    assertEquals(0f, FastMath.sigmoid(-1000f));
    assertTrue(Float.isNaN(FastMath.tanh(Float.NaN)));
  }

  @Test
  void seriesBranchesOfTanhAndSigmoidAreWithinAnUlp() {
    double worst = 0;
    for (int i = -200_000; i <= 200_000; i++) {
      float x = Math.nextDown(0.5f) * i / 200_000;
      worst = Math.max(worst, ulps(FastMath.tanh(x), Math.tanh(x)));
    }
    for (float x = Float.MIN_VALUE; x < 0.5f; x *= 1.7f) {
      worst = Math.max(worst, ulps(FastMath.tanh(-x), Math.tanh(-x)));
    }
    assertTrue(worst <= 1, "tanh below 0.5 worst " + worst + " ulp");
    double worstS = 0;
    for (int i = -200_000; i <= 200_000; i++) {
      float x = Math.nextDown(1f) * i / 200_000;
      worstS = Math.max(worstS, ulps(FastMath.sigmoid(x), 1 / (1 + Math.exp(-(double) x))));
    }
    assertTrue(worstS <= 1, "sigmoid below 1 worst " + worstS + " ulp");
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FastMath.tanh(-0f)), "tanh(-0) is -0");
  }
}

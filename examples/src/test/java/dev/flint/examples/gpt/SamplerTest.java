package dev.flint.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Generator;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final double[] LOGITS = {1.0, 3.0, -2.0, 2.5, 0.0};

  @Test
  void temperatureZeroAndTopOneAreGreedy() {
    assertEquals(1, new Sampler(0, 0, new Generator(1)).sample(LOGITS));
    Sampler top1 = new Sampler(1.5, 1, new Generator(1));
    for (int i = 0; i < 20; i++) {
      assertEquals(1, top1.sample(LOGITS));
    }
  }

  /** softmax(logits / T) restricted to the top k and renormalised, worked out by hand. */
  @Test
  void probabilitiesAreTheTemperedSoftmaxOverTheTopK() {
    double t = 0.5;
    double[] p = new Sampler(t, 3, new Generator(1)).probabilities(LOGITS);
    double z = Math.exp(1.0 / t) + Math.exp(3.0 / t) + Math.exp(2.5 / t);
    assertArrayEquals(new double[] {Math.exp(1.0 / t) / z, Math.exp(3.0 / t) / z, 0, Math.exp(2.5 / t) / z, 0}, p, 1e-15);
  }

  /** 40,000 draws land on each token as often as its probability says (within 5 standard deviations). */
  @Test
  void drawsFollowTheProbabilities() {
    Sampler s = new Sampler(1.3, 0, new Generator(7));
    double[] p = s.probabilities(LOGITS);
    int n = 40_000;
    int[] counts = new int[LOGITS.length];
    for (int i = 0; i < n; i++) {
      counts[s.sample(LOGITS)]++;
    }
    for (int k = 0; k < p.length; k++) {
      double sd = Math.sqrt(n * p[k] * (1 - p[k]));
      assertTrue(Math.abs(counts[k] - n * p[k]) <= 5 * sd + 1, "token " + k + ": " + counts[k] + " draws, expected " + n * p[k]);
    }
  }

  @Test
  void sameSeedSameText() {
    int[] a = new int[50];
    int[] b = new int[50];
    Sampler sa = new Sampler(1, 0, new Generator(11));
    Sampler sb = new Sampler(1, 0, new Generator(11));
    for (int i = 0; i < 50; i++) {
      a[i] = sa.sample(LOGITS);
      b[i] = sb.sample(LOGITS);
    }
    assertArrayEquals(a, b);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sampler(-1, 0, new Generator(1)));
    assertThrows(IllegalArgumentException.class, () -> new Sampler(1, -2, new Generator(1)));
  }
}

package dev.flint.examples.gpt;

import dev.flint.tensor.Generator;

/**
 * Draws the next token from a row of logits as nanoGPT's {@code generate} does: divide by the
 * temperature, keep the {@code topK} largest (0 keeps all), softmax, draw from {@code gen}.
 * Temperature 0 takes the largest logit (greedy).
 */
public final class Sampler {
  private final double temperature;
  private final int topK;
  private final Generator gen;

  public Sampler(double temperature, int topK, Generator gen) {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be a finite number >= 0, but got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top-k must be >= 0 (0 keeps every token), but got " + topK);
    }
    this.temperature = temperature;
    this.topK = topK;
    this.gen = gen;
  }

  /** The probabilities the next draw uses: 0 outside the top k; all of it on the argmax at temperature 0. */
  public double[] probabilities(double[] logits) {
    int n = logits.length;
    double[] p = new double[n];
    if (temperature == 0) {
      p[argmax(logits)] = 1;
      return p;
    }
    double cut = topK == 0 || topK >= n ? Double.NEGATIVE_INFINITY : kthLargest(logits, topK);
    double max = logits[argmax(logits)];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      // Ties at the cut are kept, as torch.topk's threshold in nanoGPT (logits < v[-1] -> -inf) keeps them.
      p[i] = logits[i] < cut ? 0 : Math.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    for (int i = 0; i < n; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** A token drawn from {@link #probabilities(double[])}. */
  public int sample(double[] logits) {
    double[] p = probabilities(logits);
    double u = gen.nextDouble();
    double cumulative = 0;
    int last = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] > 0) {
        cumulative += p[i];
        last = i;
        if (u < cumulative) {
          return i;
        }
      }
    }
    return last;   // u within rounding of 1
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double kthLargest(double[] v, int k) {
    double[] sorted = v.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length - k];
  }
}

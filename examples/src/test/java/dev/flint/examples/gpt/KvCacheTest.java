package dev.flint.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generation from a {@link KvCache} computes what nanoGPT's full recompute computes: for a seeded
 * random {@link Gpt} the logits after every prefix equal those of {@code forward} over the whole
 * context (FLOAT32 within 1e-5 of the row's scale, FLOAT64 within 1e-12), through the block and past
 * it, where the window slides; greedy and sampled generation give the same tokens. The weights are
 * five times nanoGPT's initial scale so that attention is far from uniform and a key at the wrong
 * position changes the logits well beyond those tolerances (as {@link #aPositionOffByOneIsCaught} shows).
 */
class KvCacheTest {
  private static final int LENGTH = 100;   // past the block of 64

  @Test
  void float32LogitsEqualFullRecomputeAfterEveryPrefix() {
    assertStepsMatch(DType.FLOAT32, 1e-5);
  }

  @Test
  void float64LogitsEqualFullRecomputeAfterEveryPrefix() {
    assertStepsMatch(DType.FLOAT64, 1e-12);
  }

  /** The logits after tokens[0 .. n) for n from a 5-token prompt to 100, from the cache and from the full context. */
  private static void assertStepsMatch(DType dtype, double tolerance) {
    Gpt model = randomModel(dtype);
    int[] tokens = randomTokens(LENGTH, 11);
    Generation.NextLogits truth = Generation.recomputing(model, Gpt.BLOCK);
    Generation.NextLogits cached = Generation.cached(model);
    try (var noGrad = Autograd.noGrad()) {
      for (int n = 5; n <= LENGTH; n++) {
        assertClose(truth.after(tokens, n), cached.after(tokens, n), tolerance, dtype + " after " + n + " tokens");
      }
    }
  }

  /** Row i of one causal forward over 64 tokens is the prediction after tokens[0 .. i], which the cache reads one by one. */
  @Test
  void cachedRowsEqualTheRowsOfOneForwardOverTheBlock() {
    Gpt model = randomModel(DType.FLOAT64);
    int[] tokens = randomTokens(Gpt.BLOCK, 3);
    try (var noGrad = Autograd.noGrad()) {
      Tensor all = model.forward(ids(tokens, 0, Gpt.BLOCK));   // [1, 64, 65]
      KvCache cache = model.newCache(1);
      for (int i = 0; i < Gpt.BLOCK; i++) {
        Tensor row = model.forwardCached(ids(tokens, i, i + 1), cache);
        assertEquals(i + 1, cache.length());
        assertClose(all.select(1, i).select(0, 0).toDoubleArray(), row.select(1, 0).select(0, 0).toDoubleArray(), 1e-12,
            "position " + i);
      }
    }
  }

  /** Several new tokens after stored ones (a masked read, not the square causal one), at batch 2. */
  @Test
  void severalNewTokensAfterStoredOnesAtBatchTwo() {
    Gpt model = randomModel(DType.FLOAT64);
    Tensor idx = Tensor.randint(new Generator(8), 0, Gpt.VOCAB, 2, 40);
    try (var noGrad = Autograd.noGrad()) {
      Tensor whole = model.forward(idx);
      KvCache cache = model.newCache(2);
      Tensor first = model.forwardCached(idx.narrow(1, 0, 17), cache);
      Tensor second = model.forwardCached(idx.narrow(1, 17, 23), cache);
      assertEquals(40, cache.length());
      assertClose(whole.narrow(1, 0, 17).contiguous().toDoubleArray(), first.toDoubleArray(), 1e-12, "first 17");
      assertClose(whole.narrow(1, 17, 23).contiguous().toDoubleArray(), second.toDoubleArray(), 1e-12, "next 23");
    }
  }

  /**
   * The check above is sharp: a cache that skipped one token, so that the newest token reads as the
   * one before it, misses the truth by far more than the tolerance.
   */
  @Test
  void aPositionOffByOneIsCaught() {
    Gpt model = randomModel(DType.FLOAT64);
    int[] tokens = randomTokens(30, 5);
    try (var noGrad = Autograd.noGrad()) {
      double[] truth = Generation.recomputing(model, Gpt.BLOCK).after(tokens, 30);
      KvCache cache = model.newCache(1);
      model.forwardCached(ids(tokens, 0, 28), cache);   // token 28 never stored: token 29 reads at position 28
      double[] shifted = model.forwardCached(ids(tokens, 29, 30), cache).select(1, 0).select(0, 0).toDoubleArray();
      assertTrue(maxError(truth, shifted) > 1e-3, "an off-by-one position changes the logits by " + maxError(truth, shifted));
    }
  }

  @Test
  void greedyAndSampledGenerationGiveTheSameTokens() {
    Gpt model = randomModel(DType.FLOAT32);
    int[] prompt = randomTokens(3, 4);
    int[] greedy = Generation.generate(model, Gpt.BLOCK, prompt, LENGTH, new Sampler(0, 0, new Generator(1)));
    assertArrayEquals(greedy, Generation.generateCached(model, prompt, LENGTH, new Sampler(0, 0, new Generator(1))));
    int[] sampled = Generation.generate(model, Gpt.BLOCK, prompt, LENGTH, new Sampler(0.8, 40, new Generator(7)));
    assertArrayEquals(sampled, Generation.generateCached(model, prompt, LENGTH, new Sampler(0.8, 40, new Generator(7))));
    int[] longPrompt = randomTokens(70, 6);   // longer than the block: the first read is the last 64 tokens
    assertArrayEquals(Generation.generate(model, Gpt.BLOCK, longPrompt, 5, new Sampler(0, 0, new Generator(1))),
        Generation.generateCached(model, longPrompt, 5, new Sampler(0, 0, new Generator(1))));
  }

  /** GptSample's default is the cache, and it prints what the full recompute prints. */
  @Test
  void gptSampleUsesTheCacheByDefaultAndPrintsTheSameText() {
    SamplingOptions byDefault = GptSample.parse("--tokens", "90", "--prompt", "ROMEO:").sampling();
    SamplingOptions full = GptSample.parse("--tokens", "90", "--prompt", "ROMEO:", "--full-recompute").sampling();
    assertTrue(byDefault.kvCache());
    assertTrue(!full.kvCache());
    CharVocabulary vocabulary = ShakespeareData.load().vocabulary();
    Gpt model = GptExample.newModel(false, 4);   // CompiledGpt, as GptSample loads it
    String text = GptSample.generate(model, vocabulary, byDefault);
    assertEquals(96, text.length());
    assertEquals(GptSample.generate(model, vocabulary, full), text);
  }

  @Test
  void refusesMisuseWithMessages() {
    Gpt model = randomModel(DType.FLOAT32);
    KvCache cache = model.newCache(1);
    IllegalStateException grad = assertThrows(IllegalStateException.class,
        () -> model.forwardCached(ids(new int[] {1}, 0, 1), cache));
    assertTrue(grad.getMessage().contains("Autograd.noGrad()"), grad.getMessage());
    try (var noGrad = Autograd.noGrad()) {
      model.forwardCached(ids(randomTokens(60, 1), 0, 60), cache);
      IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
          () -> model.forwardCached(ids(randomTokens(5, 2), 0, 5), cache));
      assertTrue(full.getMessage().contains("need 65 positions, but the cache holds at most 64"), full.getMessage());
      assertEquals(60, cache.length(), "a refused read stores nothing");
      IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
          () -> model.forwardCached(Tensor.zeros(DType.INT64, 2, 1), cache));
      assertTrue(batch.getMessage().contains("expects new keys of [1, 4, 1, 32], but got [2, 4, 1, 32]"),
          batch.getMessage());
    }
  }

  @Test
  void maskLetsEachNewQuerySeeTheStoredKeysAndItsPredecessors() {
    KvCache cache = new KvCache(1, 1, 1, 8, 2, DType.FLOAT64);
    assertNull(cache.mask(3), "a first read uses the causal flag");
    cache.advance(2);
    assertNull(cache.mask(1), "one new query sees every key");
    boolean[] expected = {
        true, true, true, false, false,
        true, true, true, true, false,
        true, true, true, true, true};
    Tensor mask = cache.mask(3);
    assertArrayEquals(new int[] {3, 5}, mask.shape());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], mask.getLong(i / 5, i % 5) != 0, "query " + i / 5 + ", key " + i % 5);
    }
  }

  /** nanoGPT's initialisation from a fixed seed with every matrix five times larger. */
  static Gpt randomModel(DType dtype) {
    Gpt model = new Gpt();
    Gpt.initWeights(model, new Generator(42));
    for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
      if (e.getValue().dim() == 2) {
        e.getValue().setData(e.getValue().mul(5).detach());
      }
    }
    model.to(dtype);
    model.eval();
    return model;
  }

  private static int[] randomTokens(int n, long seed) {
    Generator gen = new Generator(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = (int) (gen.nextDouble() * Gpt.VOCAB);
    }
    return t;
  }

  private static Tensor ids(int[] tokens, int from, int to) {
    long[] ids = new long[to - from];
    for (int i = from; i < to; i++) {
      ids[i - from] = tokens[i];
    }
    return Tensor.of(ids, 1, ids.length);
  }

  private static double maxError(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** Equal within {@code relative} times the larger of 1 and the largest magnitude of {@code expected}. */
  private static void assertClose(double[] expected, double[] actual, double relative, String where) {
    assertEquals(expected.length, actual.length, where);
    double scale = 1;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double error = maxError(expected, actual);
    assertTrue(error <= relative * scale, where + ": largest difference " + error + " over scale " + scale);
  }
}

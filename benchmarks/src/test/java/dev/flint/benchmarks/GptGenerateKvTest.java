package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.benchmarks.models.GptSmall;
import dev.flint.benchmarks.models.GptSmallKv;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * gpt_generate_kv computes what gpt_generate computes: the KV cache's logits at every position equal
 * the rows of one causal forward over the whole context (FLOAT32, within 1e-5 of the logits' scale),
 * and greedy generation of 64 tokens gives gpt_generate's tokens.
 */
class GptGenerateKvTest {
  @Test
  void cachedLogitsEqualTheRowsOfOneForward() {
    Generator.seedAll(0);
    GptSmall model = Models.create(GptSmall.class, Models.EAGER);
    model.eval();
    Tensor idx = Tensor.randint(new Generator(3), 0, GptSmall.VOCAB, 1, GptSmall.BLOCK);
    try (var noGrad = Autograd.noGrad()) {
      Tensor whole = model.forward(idx);   // [1, 64, 65]
      GptSmallKv cache = new GptSmallKv(model);
      for (int i = 0; i < GptSmall.BLOCK; i++) {
        double[] expected = whole.select(1, i).select(0, 0).toDoubleArray();
        double[] actual = cache.next(idx.narrow(1, i, 1)).select(0, 0).toDoubleArray();
        double scale = 1;
        double error = 0;
        for (int j = 0; j < expected.length; j++) {
          scale = Math.max(scale, Math.abs(expected[j]));
          error = Math.max(error, Math.abs(expected[j] - actual[j]));
        }
        assertTrue(error <= 1e-5 * scale, "position " + i + ": largest difference " + error + " over scale " + scale);
      }
      assertEquals(GptSmall.BLOCK, cache.length());
      IllegalStateException full = assertThrows(IllegalStateException.class, () -> cache.next(idx.narrow(1, 0, 1)));
      assertTrue(full.getMessage().contains("full (64 positions)"), full.getMessage());
    }
  }

  @Test
  void greedyTokensEqualGptGenerates() {
    for (String impl : new String[] {Models.EAGER, Models.COMPILED}) {
      Generator.seedAll(0);
      GptSmall model = Models.create(GptSmall.class, impl);
      model.eval();
      double[] full = SequenceWorkloads.generate(model, GptSmall.BLOCK).toDoubleArray();
      double[] cached = SequenceWorkloads.generateKv(model, GptSmall.BLOCK).toDoubleArray();
      assertEquals(GptSmall.BLOCK + 1, cached.length);
      assertArrayEquals(full, cached, impl);
    }
  }
}

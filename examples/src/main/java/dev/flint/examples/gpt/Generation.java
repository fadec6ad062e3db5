package dev.flint.examples.gpt;

import dev.flint.autograd.Autograd;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Text from a trained GPT, one token at a time as nanoGPT's {@code generate}: the context (the last
 * {@code block} tokens) runs through the model in eval mode without gradients, and the
 * {@link Sampler} draws the next token from the last position's logits. {@link #generate} reads the
 * whole context again for every token, as nanoGPT does; {@link #generateCached} reads only the newest
 * token, against the keys and values a {@link KvCache} kept, and gives the same logits.
 */
public final class Generation {
  private Generation() {}

  /** The logits of the token after {@code tokens[0 .. n)}. */
  interface NextLogits {
    double[] after(int[] tokens, int n);
  }

  /**
   * {@code count} new tokens after {@code prompt} (at least one token), returned without the prompt;
   * every token runs {@code model.forward} over the last {@code block} tokens.
   */
  public static int[] generate(Module model, int block, int[] prompt, int count, Sampler sampler) {
    return generate(model, recomputing(model, block), prompt, count, sampler);
  }

  /**
   * The same tokens as {@link #generate} with {@link Gpt#BLOCK}, from a {@link KvCache}: while the
   * context fits in the block, each token reads only the newest token through
   * {@link Gpt#forwardCached}. Beyond the block the window slides as in {@link #generate}, which moves
   * every token to a new position (the position embedding changes every stored key), so from then on
   * each token reads the whole window of the last {@link Gpt#BLOCK} tokens again, as {@code generate}
   * does: the cache saves work on the first {@code BLOCK} tokens of the context only.
   */
  public static int[] generateCached(Gpt model, int[] prompt, int count, Sampler sampler) {
    return generate(model, cached(model), prompt, count, sampler);
  }

  /** The whole context, at most {@code block} tokens, through {@code model.forward}. */
  static NextLogits recomputing(Module model, int block) {
    return (tokens, n) -> {
      int from = Math.max(0, n - block);
      Tensor logits = model.forward(ids(tokens, from, n));   // [1, T, vocab]
      return lastRow(logits);
    };
  }

  /** The tokens the cache has not read, through {@code model.forwardCached}; the window again once it is full. */
  static NextLogits cached(Gpt model) {
    KvCache cache = model.newCache(1);
    return (tokens, n) -> {
      int from;
      if (n > cache.capacity() || n < cache.length()) {
        cache.clear();
        from = Math.max(0, n - cache.capacity());
      } else {
        from = cache.length();   // tokens[0 .. length) are stored at their positions
      }
      return lastRow(model.forwardCached(ids(tokens, from, n), cache));
    };
  }

  private static int[] generate(Module model, NextLogits next, int[] prompt, int count, Sampler sampler) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("generate: the prompt needs at least one token");
    }
    boolean wasTraining = model.isTraining();
    model.eval();
    int[] all = Arrays.copyOf(prompt, prompt.length + count);
    try (var noGrad = Autograd.noGrad()) {
      for (int n = prompt.length; n < all.length; n++) {
        all[n] = sampler.sample(next.after(all, n));
      }
    } finally {
      model.train(wasTraining);
    }
    return Arrays.copyOfRange(all, prompt.length, all.length);
  }

  private static Tensor ids(int[] tokens, int from, int to) {
    long[] ids = new long[to - from];
    for (int i = from; i < to; i++) {
      ids[i - from] = tokens[i];
    }
    return Tensor.of(ids, 1, ids.length);
  }

  private static double[] lastRow(Tensor logits) {
    return logits.select(1, logits.size(1) - 1).select(0, 0).toDoubleArray();
  }
}

package dev.flint.examples.gpt;

import dev.flint.autograd.Autograd;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Text from a trained GPT, one token at a time as nanoGPT's {@code generate}: the context (the last
 * {@code block} tokens) runs through the model in eval mode without gradients, and the
 * {@link Sampler} draws the next token from the last position's logits.
 */
public final class Generation {
  private Generation() {}

  /** {@code count} new tokens after {@code prompt} (at least one token), returned without the prompt. */
  public static int[] generate(Module model, int block, int[] prompt, int count, Sampler sampler) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("generate: the prompt needs at least one token");
    }
    boolean wasTraining = model.isTraining();
    model.eval();
    int[] all = Arrays.copyOf(prompt, prompt.length + count);
    try (var noGrad = Autograd.noGrad()) {
      for (int n = prompt.length; n < all.length; n++) {
        int from = Math.max(0, n - block);
        long[] context = new long[n - from];
        for (int i = from; i < n; i++) {
          context[i - from] = all[i];
        }
        Tensor logits = model.forward(Tensor.of(context, 1, context.length));   // [1, T, vocab]
        all[n] = sampler.sample(logits.select(1, context.length - 1).select(0, 0).toDoubleArray());
      }
    } finally {
      model.train(wasTraining);
    }
    return Arrays.copyOfRange(all, prompt.length, all.length);
  }
}

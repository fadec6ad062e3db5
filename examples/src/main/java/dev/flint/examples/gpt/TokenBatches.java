package dev.flint.examples.gpt;

import dev.flint.data.Batch;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches of next-token examples from a token sequence: {@code x} is a window of {@code block}
 * tokens and {@code y} the same window shifted by one, both INT64 {@code [batch, block]}.
 */
public final class TokenBatches {
  private TokenBatches() {}

  /** {@code batch} windows at random offsets drawn from {@code gen} (nanoGPT's {@code get_batch}). */
  public static Batch random(int[] tokens, int batch, int block, Generator gen) {
    int starts = tokens.length - block;
    if (starts < 1) {
      throw new IllegalArgumentException("need more than " + block + " tokens for a window of " + block + ", but got " + tokens.length);
    }
    int[] offsets = new int[batch];
    for (int b = 0; b < batch; b++) {
      offsets[b] = (int) gen.nextLong(starts);
    }
    return at(tokens, offsets, block);
  }

  /**
   * The windows at offsets {@code 0, block, 2·block, …} that have a next token, every
   * {@code every}-th of them, in batches of {@code batch}: a fixed evaluation set
   * ({@code every = 1}: every token of {@code tokens} but the first is predicted once).
   */
  public static List<Batch> consecutive(int[] tokens, int batch, int block, int every) {
    int windows = (tokens.length - 1) / block;
    List<Integer> chosen = new ArrayList<>();
    for (int w = 0; w < windows; w += every) {
      chosen.add(w * block);
    }
    List<Batch> out = new ArrayList<>();
    for (int from = 0; from < chosen.size(); from += batch) {
      int n = Math.min(batch, chosen.size() - from);
      int[] offsets = new int[n];
      for (int b = 0; b < n; b++) {
        offsets[b] = chosen.get(from + b);
      }
      out.add(at(tokens, offsets, block));
    }
    return out;
  }

  private static Batch at(int[] tokens, int[] offsets, int block) {
    long[] x = new long[offsets.length * block];
    long[] y = new long[offsets.length * block];
    for (int b = 0; b < offsets.length; b++) {
      for (int t = 0; t < block; t++) {
        x[b * block + t] = tokens[offsets[b] + t];
        y[b * block + t] = tokens[offsets[b] + t + 1];
      }
    }
    return new Batch(Tensor.of(x, offsets.length, block), Tensor.of(y, offsets.length, block));
  }
}

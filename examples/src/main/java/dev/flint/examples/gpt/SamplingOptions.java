package dev.flint.examples.gpt;

import dev.flint.tensor.Generator;

/**
 * How to generate text: {@code tokens} new characters after {@code prompt}, drawn by a
 * {@link Sampler} with {@code temperature} and {@code topK} from a generator seeded with {@code seed}.
 *
 * @param tokens characters to generate
 * @param temperature the softmax temperature; 0 is greedy
 * @param topK draw only from the k most likely characters (0: all)
 * @param seed the sampling generator's seed
 * @param prompt the text to continue
 * @param kvCache generate from a {@link KvCache} ({@link Generation#generateCached}, the same text,
 *     faster) rather than recomputing the whole context for every character
 */
public record SamplingOptions(int tokens, double temperature, int topK, long seed, String prompt, boolean kvCache) {
  /** A sampler with these settings and a fresh generator. */
  public Sampler sampler() {
    return new Sampler(temperature, topK, new Generator(seed));
  }

  static String usage() {
    return String.format("sampling options:%n"
        + "  --tokens N         characters to generate (default 500)%n"
        + "  --temperature T    softmax temperature, 0 is greedy (default 0.8)%n"
        + "  --top-k K          draw from the K most likely characters only, 0 for all (default 40)%n"
        + "  --sample-seed S    seed of the sampling (default: the run's seed)%n"
        + "  --prompt TEXT      the text to continue (default a newline)%n"
        + "  --full-recompute   read the whole context for every character, as nanoGPT (default: a KV cache)");
  }

  /** Collects the sampling flags of a command line. */
  static final class Builder {
    private int tokens = 500;
    private double temperature = 0.8;
    private int topK = 40;
    private Long seed;
    private String prompt = "\n";
    private boolean kvCache = true;

    /** Reads {@code flag}'s value when it is a sampling flag; false when it is not one. */
    boolean accept(String flag, Args a) {
      switch (flag) {
        case "--tokens" -> tokens = a.intValue(flag, 0);
        case "--temperature" -> temperature = a.doubleValue(flag, 0);
        case "--top-k" -> topK = a.intValue(flag, 0);
        case "--sample-seed" -> seed = a.longValue(flag);
        case "--prompt" -> prompt = a.value(flag);
        case "--full-recompute" -> kvCache = false;
        default -> {
          return false;
        }
      }
      return true;
    }

    SamplingOptions build(long defaultSeed) {
      if (prompt.isEmpty()) {
        throw new Args.UsageException("--prompt needs at least one character");
      }
      return new SamplingOptions(tokens, temperature, topK, seed == null ? defaultSeed : seed, prompt, kvCache);
    }
  }
}

package dev.flint.examples.gpt;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The GPT example's command line (see {@link #usage()}).
 *
 * @param steps optimizer steps (the cosine's horizon) when {@code minutes} is 0
 * @param minutes train for this many minutes of training time instead (0: use {@code steps})
 * @param batch sequences per step
 * @param lr the peak learning rate
 * @param evalEvery steps between validation estimates, checkpoints and points of the loss curve
 * @param out the directory for loss.svg and checkpoint.safetensors
 * @param seed seeds the initial weights, the batches and the sampling
 * @param eager run the model op by op instead of through its compiled class
 * @param threads threads for Flint's kernels (0: one per core, Flint's default)
 * @param sampling how to generate the text printed at the end
 */
public record GptOptions(int steps, double minutes, int batch, double lr, int evalEvery, Path out, long seed, boolean eager,
    int threads, SamplingOptions sampling) {
  /** Steps of the default run: about a minute on a 2-core machine. */
  public static final int DEFAULT_STEPS = 200;

  /** The options of {@code args}. */
  public static GptOptions parse(String... args) {
    Args a = new Args(usage(), args);
    int steps = DEFAULT_STEPS;
    double minutes = 0;
    int batch = 32;
    double lr = 2e-3;
    int evalEvery = 50;
    Path out = Path.of("runs", "gpt");
    long seed = 0;
    boolean eager = false;
    int threads = 0;
    SamplingOptions.Builder sampling = new SamplingOptions.Builder();
    while (a.hasNext()) {
      String flag = a.next();
      switch (flag) {
        case "--steps" -> steps = a.intValue(flag, 1);
        case "--minutes" -> minutes = a.doubleValue(flag, 0);
        case "--batch" -> batch = a.intValue(flag, 1);
        case "--lr" -> lr = a.doubleValue(flag, 0);
        case "--eval-every" -> evalEvery = a.intValue(flag, 1);
        case "--out" -> out = Path.of(a.value(flag));
        case "--seed" -> seed = a.longValue(flag);
        case "--eager" -> eager = true;
        case "--threads" -> threads = a.intValue(flag, 0);
        default -> {
          if (!sampling.accept(flag, a)) {
            throw a.unknown(flag);
          }
        }
      }
    }
    return new GptOptions(steps, minutes, batch, lr, evalEvery, out, seed, eager, threads, sampling.build(seed));
  }

  public static String usage() {
    return String.format(Locale.ROOT, "usage: GptExample [--steps N | --minutes M] [--batch B] [--lr LR] [--eval-every K]%n"
        + "                  [--out DIR] [--seed S] [--eager] [--threads N] [sampling options]%n"
        + "  --steps N       optimizer steps; the cosine schedule ends at N (default %d)%n"
        + "  --minutes M     train for M minutes instead, evaluation excluded; the schedule's end is%n"
        + "                  estimated from the speed of the warm-up steps (e.g. --minutes 5)%n"
        + "  --batch B       sequences of 64 characters per step (default 32)%n"
        + "  --lr LR         peak learning rate of AdamW (default 0.002)%n"
        + "  --eval-every K  steps between validation estimates, checkpoints and curve points (default 50)%n"
        + "  --out DIR       where loss.svg and checkpoint.safetensors go (default runs/gpt)%n"
        + "  --seed S        seed of the initial weights, the batches and the sampling (default 0)%n"
        + "  --eager         run the model op by op instead of through its compiled class%n"
        + "  --threads N     threads of Flint's kernels (default: one per core)%n"
        + "%s", DEFAULT_STEPS, SamplingOptions.usage());
  }
}

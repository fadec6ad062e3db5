package dev.flint.examples.gpt;

import dev.flint.Flint;
import dev.flint.autograd.Autograd;
import dev.flint.checkpoint.Checkpoint;
import dev.flint.data.Batch;
import dev.flint.examples.training.Training;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.Module;
import dev.flint.optim.AdamW;
import dev.flint.optim.GradClip;
import dev.flint.optim.LambdaLR;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import dev.flint.train.LossCurve;
import dev.flint.train.ProgressBar;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A character-level GPT trained on tinyshakespeare, nanoGPT's {@code shakespeare_char} recipe at the
 * size of the PyTorch benchmark's {@code Gpt}: AdamW (betas 0.9/0.99, weight decay 0.1), linear warm-up
 * then a cosine down to a tenth of the peak rate, gradient norm clipped to 1, random windows of 64
 * characters. Every {@code --eval-every} steps it estimates the validation loss on a fixed tenth of the
 * validation windows, adds a point to {@code loss.svg} and saves {@code checkpoint.safetensors}
 * (atomically); at the end it scores every validation window and prints generated text.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.flint.examples.gpt.GptExample
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.flint.examples.gpt.GptExample -Dexec.args="--minutes 5"
 * </pre>
 *
 * {@link GptSample} generates text from the saved checkpoint.
 */
public final class GptExample {
  /** Warm-up steps of a long run (a tenth of a short one). */
  static final int WARMUP = 100;
  /** The cosine ends at this fraction of the peak rate. */
  static final double FLOOR = 0.1;
  /** Windows per evaluation batch. */
  static final int EVAL_BATCH = 64;
  /** The periodic estimate reads every 13th validation window (134 of 1742). */
  static final int EVAL_EVERY_WINDOW = 13;
  /** The checkpoint's file name in the output directory. */
  public static final String CHECKPOINT = "checkpoint.safetensors";

  private GptExample() {}

  /**
   * What a run produced.
   *
   * @param curve the mean train loss and the validation estimate at each evaluation step
   * @param steps the optimizer steps taken
   * @param trainSeconds the time spent in training steps (evaluation and checkpoints excluded)
   * @param validLoss the loss over every validation window at the end
   * @param sample the generated text printed at the end
   * @param checkpoint the saved checkpoint
   * @param mode "compiled" or "eager"
   */
  public record Result(LossCurve curve, int steps, double trainSeconds, double validLoss, String sample, Path checkpoint,
      String mode) {}

  public static void main(String[] args) {
    GptOptions options;
    try {
      options = GptOptions.parse(args);
    } catch (Args.UsageException e) {
      boolean help = args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"));
      (help ? System.out : System.err).println(e.getMessage());
      if (!help) {
        System.exit(2);
      }
      return;
    }
    run(options);
  }

  /** A fresh GPT with nanoGPT's initialisation from {@code seed}: compiled, or eager (op by op) when {@code eager}. */
  static Gpt newModel(boolean eager, long seed) {
    Gpt model = eager ? new Gpt() : new CompiledGpt();
    Gpt.initWeights(model, new Generator(seed));
    return model;
  }

  /** Trains, evaluates, checkpoints and samples as the options say; prints progress and results. */
  public static Result run(GptOptions options) {
    if (options.threads() > 0) {
      Flint.setNumThreads(options.threads());
    }
    Generator.seedAll(options.seed());
    ShakespeareData data = ShakespeareData.load();
    if (data.vocabulary().size() != Gpt.VOCAB) {
      throw new IllegalStateException("the text has " + data.vocabulary().size() + " distinct characters, but Gpt.VOCAB is "
          + Gpt.VOCAB);
    }
    Gpt model = newModel(options.eager(), options.seed());
    String mode = Training.mode(model);
    System.out.printf(Locale.ROOT, "gpt: %,d train and %,d validation characters, vocabulary of %d; %s model, "
        + "%,d parameters; %d threads%n", data.train().length, data.valid().length, Gpt.VOCAB, mode, model.numParameters(),
        Flint.getNumThreads());

    boolean timed = options.minutes() > 0;
    int warmup = timed ? WARMUP : Math.min(WARMUP, Math.max(1, options.steps() / 10));
    WarmupCosine schedule = new WarmupCosine(warmup, options.steps(), FLOOR);
    AdamW optimizer = new AdamW(model.parameters(), options.lr()).betas(0.9, 0.99).weightDecay(0.1);
    LambdaLR scheduler = new LambdaLR(optimizer, schedule::factor);
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Generator batches = new Generator(options.seed() + 1);
    List<Batch> estimateSet = TokenBatches.consecutive(data.valid(), EVAL_BATCH, Gpt.BLOCK, EVAL_EVERY_WINDOW);
    Path checkpoint = options.out().resolve(CHECKPOINT);
    LossCurve curve = new LossCurve("gpt on tinyshakespeare: cross-entropy loss (nats/char)", "step");
    double budget = options.minutes() * 60;

    double trainSeconds = 0;
    double warmupTail = 0;
    int step = 0;
    boolean done = false;
    while (!done) {
      int intervalEnd = timed ? step + options.evalEvery() : Math.min(options.steps(), step + options.evalEvery());
      try (ProgressBar bar = ProgressBar.create(String.format(Locale.ROOT, "step %5d", intervalEnd), intervalEnd - step)) {
        model.train();
        while (step < intervalEnd && !done) {
          long t0 = System.nanoTime();
          Batch batch = TokenBatches.random(data.train(), options.batch(), Gpt.BLOCK, batches);
          double loss = trainStep(model, batch, lossFn, optimizer, scheduler);
          double seconds = (System.nanoTime() - t0) / 1e9;
          trainSeconds += seconds;
          step++;
          bar.step(loss);
          if (timed && step > warmup / 2 && step <= warmup) {
            warmupTail += seconds;
          }
          if (timed && step == warmup) {
            // The cosine ends where the time runs out at the speed of the warm-up's second half.
            double perStep = warmupTail / (warmup - warmup / 2);
            schedule.setHorizon(warmup + (int) Math.max(0, (budget - trainSeconds) / perStep));
          }
          done = timed ? trainSeconds >= budget : step >= options.steps();
        }
        double validEstimate = meanLoss(model, estimateSet, lossFn);
        curve.add(step, bar.meanLoss(), validEstimate);
        save(checkpoint, model, optimizer, step, data.vocabulary());
        String stopped = step < intervalEnd ? String.format(Locale.ROOT, " (time is up at step %d)", step) : "";
        bar.close(String.format(Locale.ROOT, "valid_loss=%.4f lr=%.2e%s", validEstimate, scheduler.lastLr(), stopped));
      }
    }
    curve.writeSvg(options.out().resolve("loss.svg"));
    double validLoss = meanLoss(model, TokenBatches.consecutive(data.valid(), EVAL_BATCH, Gpt.BLOCK, 1), lossFn);
    System.out.printf(Locale.ROOT, "%d steps in %.1f s of training (%.1f steps/s, %s model); "
        + "validation loss over all %d windows: %.4f%n", step, trainSeconds, step / trainSeconds, mode,
        (data.valid().length - 1) / Gpt.BLOCK, validLoss);
    System.out.printf("wrote %s and %s (cosine horizon: step %d)%n", options.out().resolve("loss.svg"), checkpoint,
        schedule.horizon());
    String sample = GptSample.generate(model, data.vocabulary(), options.sampling());
    return new Result(curve, step, trainSeconds, validLoss, sample, checkpoint, mode);
  }

  /** One optimizer step on {@code batch}; returns its loss. */
  static double trainStep(Module model, Batch batch, CrossEntropyLoss lossFn, AdamW optimizer, LambdaLR scheduler) {
    Tensor loss = loss(model, batch, lossFn);
    optimizer.zeroGrad();
    loss.backward();
    GradClip.clipGradNorm(model.parameters(), 1.0);
    optimizer.step();
    scheduler.step();
    double value = loss.item();
    if (!Double.isFinite(value)) {
      throw new IllegalStateException("the training loss became " + value + " at step " + scheduler.lastEpoch()
          + "; lower the learning rate (--lr)");
    }
    return value;
  }

  /** The mean next-character cross-entropy of {@code batch}: logits {@code [B, T, V]} against targets {@code [B, T]}. */
  static Tensor loss(Module model, Batch batch, CrossEntropyLoss lossFn) {
    Tensor logits = model.forward(batch.x());
    int n = batch.y().numel();
    return lossFn.forward(logits.reshape(n, logits.size(-1)), batch.y().reshape(n));
  }

  /** The mean loss over {@code batches} (weighted by their windows), in eval mode without gradients. */
  static double meanLoss(Module model, List<Batch> batches, CrossEntropyLoss lossFn) {
    boolean wasTraining = model.isTraining();
    model.eval();
    double sum = 0;
    long count = 0;
    try (var noGrad = Autograd.noGrad()) {
      for (Batch b : batches) {
        sum += loss(model, b, lossFn).item() * b.y().numel();
        count += b.y().numel();
      }
    } finally {
      model.train(wasTraining);
    }
    return sum / count;
  }

  /** Saves the model, the optimizer, the step and what {@link GptSample} needs to rebuild the model, atomically. */
  static void save(Path file, Module model, AdamW optimizer, int step, CharVocabulary vocabulary) {
    try {
      java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the directory of " + file + ": " + e.getMessage(), e);
    }
    Checkpoint.of(model, optimizer, step)
        .withMetadata("vocabulary", vocabulary.chars())
        .withMetadata("sizes", Gpt.sizes())
        .save(file);
  }
}

package dev.flint.benchmarks;

import dev.flint.autograd.Autograd;
import dev.flint.benchmarks.models.GptSmall;
import dev.flint.benchmarks.models.GptSmallKv;
import dev.flint.benchmarks.models.LstmSmall;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.Loss;
import dev.flint.nn.Reduction;
import dev.flint.optim.Adam;
import dev.flint.optim.AdamW;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Index;
import dev.flint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sequence-model workloads of {@code pytorch_bench.py} for one implementation: gpt_train_small (batch 16 of 64
 * tokens, AdamW 3e-4, cross-entropy over every position), gpt_generate (64 new tokens at batch 1 from a one-token
 * prompt, greedy, the whole context recomputed per token as nanoGPT's generate does, eval mode, no-grad) and
 * lstm_train_small (batch 64 of 8 steps of 8 features, Adam 1e-3). Same models and batches as the Python script.
 * gpt_generate_kv is Flint's own (the script has no such row): gpt_generate's tokens from a KV cache
 * ({@link GptSmallKv}), each token one row through the model against the stored keys and values.
 */
final class SequenceWorkloads {
  private final Reporter rep;
  private final BlockTimer timer;
  private final double budget;

  SequenceWorkloads(Reporter rep, BlockTimer timer, double budget) {
    this.rep = rep;
    this.timer = timer;
    this.budget = budget;
  }

  /** Cross-entropy of logits [B, T, V] against token ids [B, T], as {@code ce(out.reshape(-1, V), y.reshape(-1))}. */
  static final class TokenCrossEntropy extends Loss {
    private final CrossEntropyLoss ce = new CrossEntropyLoss();

    TokenCrossEntropy() {
      super(Reduction.MEAN);
    }

    @Override
    public Tensor forward(Tensor logits, Tensor targets) {
      int vocab = logits.size(-1);
      return ce.forward(logits.reshape(-1, vocab), targets.reshape(-1));
    }
  }

  static TrainStep gptTrainSmall(String impl, int batch) {
    Generator.seedAll(0);
    GptSmall model = Models.create(GptSmall.class, impl);
    Generator gen = new Generator(1);
    Tensor[] xs = new Tensor[4];
    Tensor[] ys = new Tensor[4];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Tensor.randint(gen, 0, GptSmall.VOCAB, batch, GptSmall.BLOCK);
      ys[i] = Tensor.randint(gen, 0, GptSmall.VOCAB, batch, GptSmall.BLOCK);
    }
    return new TrainStep(model, new TokenCrossEntropy(), new AdamW(model.parameters(), 3e-4), xs, ys);
  }

  static TrainStep lstmTrainSmall(String impl, int batch) {
    Generator.seedAll(0);
    LstmSmall model = Models.create(LstmSmall.class, impl);
    Generator gen = new Generator(1);
    Tensor[] xs = new Tensor[4];
    Tensor[] ys = new Tensor[4];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = Tensor.rand(gen, batch, 8, 8);
      ys[i] = Tensor.randint(gen, 0, 10, batch);
    }
    return new TrainStep(model, new CrossEntropyLoss(), new Adam(model.parameters(), 1e-3), xs, ys);
  }

  void train(String workload, String impl) {
    boolean gpt = workload.equals("gpt_train_small");
    int batch = gpt ? 16 : 64;
    TrainStep step = gpt ? gptTrainSmall(impl, batch) : lstmTrainSmall(impl, batch);
    Timing t = timer.measure(step, budget);
    double loss = step.lastLoss();
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException(workload + " (" + impl + "): the loss became " + loss);
    }
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("samples_per_s", batch * 1000.0 / t.msMedian());
    if (gpt) {
      x.put("tokens_per_s", batch * GptSmall.BLOCK * 1000.0 / t.msMedian());
    }
    x.put("last_loss", loss);
    rep.emit(workload, impl, batch, t, x);
  }

  /** Greedy generation of {@code newTokens} tokens from token 0; returns the sequence [1, 1 + newTokens]. */
  static Tensor generate(GptSmall model, int newTokens) {
    try (Autograd.Scope s = Autograd.noGrad()) {
      Tensor idx = Tensor.zeros(DType.INT64, 1, 1);
      for (int i = 0; i < newTokens; i++) {
        int t = idx.size(1);
        Tensor context = t <= GptSmall.BLOCK ? idx : idx.index(Index.all(), Index.from(t - GptSmall.BLOCK));
        Tensor logits = model.forward(context);
        Tensor next = logits.index(Index.all(), Index.at(-1)).argmax(-1, true);
        idx = Tensor.cat(1, idx, next);
      }
      return idx;
    }
  }

  /**
   * {@link #generate(GptSmall, int)}'s tokens from a KV cache: each new token reads only the newest token against the
   * keys and values the cache kept; {@code newTokens} at most 64, so the context never leaves the block.
   */
  static Tensor generateKv(GptSmall model, int newTokens) {
    try (Autograd.Scope s = Autograd.noGrad()) {
      GptSmallKv cache = new GptSmallKv(model);
      Tensor idx = Tensor.zeros(DType.INT64, 1, 1);
      Tensor last = idx;
      for (int i = 0; i < newTokens; i++) {
        Tensor next = cache.next(last).argmax(-1, true);   // [1, 1]
        idx = Tensor.cat(1, idx, next);
        last = next;
      }
      return idx;
    }
  }

  /** gpt_generate_kv: the KV-cache forward is eager over the model's weights, so it runs for the eager model only. */
  void generateKv() {
    Generator.seedAll(0);
    GptSmall model = Models.create(GptSmall.class, Models.EAGER);
    model.eval();
    Timing t = timer.measure(() -> generateKv(model, GptSmall.BLOCK), budget);
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("new_tokens", GptSmall.BLOCK);
    x.put("tokens_per_s", GptSmall.BLOCK * 1000.0 / t.msMedian());
    x.put("kv_cache", true);
    rep.emit("gpt_generate_kv", Models.EAGER, 1, t, x);
  }

  void generate(String impl) {
    Generator.seedAll(0);
    GptSmall model = Models.create(GptSmall.class, impl);
    model.eval();
    Timing t = timer.measure(() -> generate(model, GptSmall.BLOCK), budget);
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("new_tokens", GptSmall.BLOCK);
    x.put("tokens_per_s", GptSmall.BLOCK * 1000.0 / t.msMedian());
    rep.emit("gpt_generate", impl, 1, t, x);
  }
}

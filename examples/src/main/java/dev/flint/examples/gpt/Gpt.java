package dev.flint.examples.gpt;

import dev.flint.autograd.GradMode;
import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Embedding;
import dev.flint.nn.LayerNorm;
import dev.flint.nn.Module;
import dev.flint.nn.ModuleList;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A small character-level GPT, the shape of the PyTorch benchmark's {@code Gpt}: token and position
 * embeddings, 4 pre-norm {@link GptBlock}s (4 heads, width 128), a final layer norm and a head tied to
 * the token embedding. {@code idx: INT64 [B, T] with T ≤ 64 -> logits [B, T, 65]}; the compiled
 * class sizes its buffers for T = 64 and refuses a longer T. {@link #forwardCached} reads new tokens
 * after the keys and values a {@link KvCache} kept, for generation.
 */
@Model(inputDims = {"T<=64"})
public class Gpt extends Module {
  /** Characters of tinyshakespeare. */
  public static final int VOCAB = 65;
  /** The longest context. */
  public static final int BLOCK = 64;
  public static final int LAYERS = 4;
  public static final int HEADS = 4;
  public static final int WIDTH = 128;

  @Layer Embedding tok = new Embedding(VOCAB, WIDTH);
  @Layer Embedding pos = new Embedding(BLOCK, WIDTH);
  @Layer ModuleList<GptBlock> blocks = ModuleList.of(IntStream.range(0, LAYERS).mapToObj(i -> new GptBlock()).toList());
  @Layer LayerNorm lnF = new LayerNorm(WIDTH);

  @Forward
  @Override
  public Tensor forward(Tensor idx) {
    int t = idx.size(1);
    Tensor x = tok.forward(idx).add(pos.weight.narrow(0, 0, t));
    for (GptBlock b : blocks) {
      x = b.forward(x);
    }
    return lnF.forward(x).matmul(tok.weight.t());
  }

  /** An empty {@link KvCache} for this model's layers, {@code batch} sequences and {@link #BLOCK} positions. */
  public KvCache newCache(int batch) {
    return new KvCache(LAYERS, batch, HEADS, BLOCK, WIDTH / HEADS, tok.weight.dtype());
  }

  /**
   * The logits {@code [B, t, 65]} of new tokens {@code idx: INT64 [B, t]} that follow the
   * {@code cache.length()} positions {@code cache} holds: rows {@code length .. length + t - 1} of
   * {@link #forward} over the whole context, computing only the new rows (each layer's earlier keys
   * and values come from the cache, which then holds the new ones too). The context must fit in
   * {@link #BLOCK} positions. Eager op by op (also in {@code CompiledGpt}, over the same weights),
   * for inference: it refuses to run while gradients are recorded ({@code Autograd.noGrad()}).
   */
  public Tensor forwardCached(Tensor idx, KvCache cache) {
    if (GradMode.isEnabled()) {
      throw new IllegalStateException("Gpt.forwardCached is for inference: the cache keeps no gradients; "
          + "call it inside Autograd.noGrad()");
    }
    if (idx.dim() != 2) {
      throw new IllegalArgumentException("Gpt.forwardCached expects token ids [B, t], but got " + idx.dim() + " dims "
          + Arrays.toString(idx.shape()));
    }
    int t = idx.size(1);
    int start = cache.length();
    cache.checkRoom(t);
    Tensor x = tok.forward(idx).add(pos.weight.narrow(0, start, t));
    int layer = 0;
    for (GptBlock b : blocks) {
      x = b.forwardCached(x, cache, layer++);
    }
    cache.advance(t);
    return lnF.forward(x).matmul(tok.weight.t());
  }

  /** The sizes, as a checkpoint records them: {@code vocab=65 block=64 layers=4 heads=4 width=128}. */
  public static String sizes() {
    return String.format(Locale.ROOT, "vocab=%d block=%d layers=%d heads=%d width=%d", VOCAB, BLOCK, LAYERS, HEADS, WIDTH);
  }

  /**
   * nanoGPT's initialisation, drawn from {@code gen}: every matrix (embeddings and linear weights)
   * normal with standard deviation 0.02, the residual projections ({@code proj}, {@code fc2}) with
   * 0.02/√(2·layers), linear biases zero, layer norms one and zero. (PyTorch's default N(0, 1)
   * embedding would make the tied head's first logits about √width large.)
   */
  public static void initWeights(Module model, Generator gen) {
    for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
      String name = e.getKey();
      Tensor p = e.getValue();
      if (p.dim() == 2) {
        boolean residual = name.endsWith("proj.weight") || name.endsWith("fc2.weight");
        double std = residual ? 0.02 / Math.sqrt(2.0 * LAYERS) : 0.02;
        p.setData(Tensor.randn(gen, p.shape()).mul(std).to(p.dtype()));
      } else if (name.endsWith(".bias") && !name.contains("ln")) {
        p.setData(Tensor.zeros(p.dtype(), p.shape()));
      }
    }
  }
}

package dev.flint.examples.gpt;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.LayerNorm;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.List;

/**
 * A pre-norm transformer block as in nanoGPT: causal multi-head self-attention, then a GELU MLP,
 * each added to the residual stream. {@code x: [B, T, 128] -> [B, T, 128]} with T ≤ 64.
 */
@Model(inputDims = {"T<=64", "128"})
public class GptBlock extends Module {
  static final int C = Gpt.WIDTH;
  static final int NH = Gpt.HEADS;
  @Layer LayerNorm ln1 = new LayerNorm(C);
  @Layer Linear qkv = new Linear(C, 3 * C);
  @Layer Linear proj = new Linear(C, C);
  @Layer LayerNorm ln2 = new LayerNorm(C);
  @Layer Linear fc = new Linear(C, 4 * C);
  @Layer Linear fc2 = new Linear(4 * C, C);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    int b = x.size(0);
    int t = x.size(1);
    int c = x.size(2);
    List<Tensor> parts = qkv.forward(ln1.forward(x)).split(C, 2);
    Tensor q = parts.get(0).reshape(b, t, NH, c / NH).transpose(1, 2);   // [B, heads, T, head size]
    Tensor k = parts.get(1).reshape(b, t, NH, c / NH).transpose(1, 2);
    Tensor v = parts.get(2).reshape(b, t, NH, c / NH).transpose(1, 2);
    Tensor y = F.scaledDotProductAttention(q, k, v, true);
    y = y.transpose(1, 2).contiguous().view(b, t, c);
    x = x.add(proj.forward(y));
    return x.add(fc2.forward(F.gelu(fc.forward(ln2.forward(x)))));
  }

  /**
   * {@link #forward} of {@code t} new positions {@code x: [B, t, 128]} that follow the positions
   * {@code cache} holds: their queries attend to the stored keys and values of layer {@code layer}
   * and to their own (causally), whose keys and values the cache stores. Eager, for inference.
   */
  Tensor forwardCached(Tensor x, KvCache cache, int layer) {
    int b = x.size(0);
    int t = x.size(1);
    int c = x.size(2);
    List<Tensor> parts = qkv.forward(ln1.forward(x)).split(C, 2);
    Tensor q = parts.get(0).reshape(b, t, NH, c / NH).transpose(1, 2);   // [B, heads, t, head size]
    Tensor k = parts.get(1).reshape(b, t, NH, c / NH).transpose(1, 2);
    Tensor v = parts.get(2).reshape(b, t, NH, c / NH).transpose(1, 2);
    Tensor mask = cache.mask(t);
    boolean causal = cache.length() == 0 && t > 1;   // a first read: the square causal mask
    Tensor[] kv = cache.append(layer, k, v);        // [B, heads, stored + t, head size]
    Tensor y = F.scaledDotProductAttention(q, kv[0], kv[1], mask, 0, causal);
    y = y.transpose(1, 2).contiguous().view(b, t, c);
    x = x.add(proj.forward(y));
    return x.add(fc2.forward(F.gelu(fc.forward(ln2.forward(x)))));
  }
}

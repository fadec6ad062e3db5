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
 * each added to the residual stream. {@code x: [B, T, 128] -> [B, T, 128]}.
 */
@Model(inputDims = {"T", "128"})
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
}

package dev.flint.benchmarks.models;

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
 * One block of {@link GptSmall}, as pytorch_bench.py's {@code Block}: causal self-attention over 4 heads from one
 * q/k/v projection, then a GELU MLP of width 512; pre-norm, residuals. x: [B, T, 128] -> [B, T, 128].
 */
@Model(inputDims = {"T<=64", "128"})
public class GptSmallBlock extends Module {
  static final int WIDTH = 128;
  static final int HEADS = 4;
  @Layer LayerNorm ln1 = new LayerNorm(WIDTH);
  @Layer Linear qkv = new Linear(WIDTH, 3 * WIDTH);
  @Layer Linear proj = new Linear(WIDTH, WIDTH);
  @Layer LayerNorm ln2 = new LayerNorm(WIDTH);
  @Layer Linear fc = new Linear(WIDTH, 4 * WIDTH);
  @Layer Linear fc2 = new Linear(4 * WIDTH, WIDTH);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    int b = x.size(0);
    int t = x.size(1);
    List<Tensor> parts = qkv.forward(ln1.forward(x)).split(WIDTH, 2);
    Tensor q = parts.get(0).reshape(b, t, HEADS, WIDTH / HEADS).transpose(1, 2);
    Tensor k = parts.get(1).reshape(b, t, HEADS, WIDTH / HEADS).transpose(1, 2);
    Tensor v = parts.get(2).reshape(b, t, HEADS, WIDTH / HEADS).transpose(1, 2);
    Tensor y = F.scaledDotProductAttention(q, k, v, true).transpose(1, 2).contiguous().view(b, t, WIDTH);
    x = x.add(proj.forward(y));
    return x.add(fc2.forward(F.gelu(fc.forward(ln2.forward(x)))));
  }
}

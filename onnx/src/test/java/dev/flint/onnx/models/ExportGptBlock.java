package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.List;

/** A nanoGPT block: causal self-attention through F.scaledDotProductAttention, then an MLP with GELU; residuals. */
@Model(inputDims = {"T", "12"})
public class ExportGptBlock extends Module {
  static final int C = 12;
  static final int NH = 3;
  @Layer LayerNorm ln1 = new LayerNorm(C);
  @Layer Linear attn = new Linear(C, 3 * C);
  @Layer Linear proj = new Linear(C, C);
  @Layer LayerNorm ln2 = new LayerNorm(C);
  @Layer Linear fc = new Linear(C, 4 * C);
  @Layer Linear fc2 = new Linear(4 * C, C);

  @Forward
  public Tensor forward(Tensor x) {
    int b = x.size(0);
    int t = x.size(1);
    int c = x.size(2);
    List<Tensor> qkv = attn.forward(ln1.forward(x)).split(C, 2);
    Tensor q = qkv.get(0).reshape(b, t, NH, c / NH).transpose(1, 2);
    Tensor k = qkv.get(1).reshape(b, t, NH, c / NH).transpose(1, 2);
    Tensor v = qkv.get(2).reshape(b, t, NH, c / NH).transpose(1, 2);
    Tensor y = F.scaledDotProductAttention(q, k, v, true);
    y = y.transpose(1, 2).contiguous().view(b, t, c);
    x = x.add(proj.forward(y));
    return x.add(fc2.forward(F.gelu(fc.forward(ln2.forward(x)))));
  }
}

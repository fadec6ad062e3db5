package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.List;

/**
 * A transformer encoder block over token ids (B and T symbolic): embedding, pre-norm two-head
 * self-attention with a residual, a GELU MLP with a residual, and a head over the vocabulary.
 */
@Model
public class Encoder extends Module {
  static final int C = 32;
  static final int NH = 2;
  @Layer Embedding tokens = new Embedding(16, C);
  @Layer LayerNorm ln1 = new LayerNorm(C);
  @Layer Linear qkv = new Linear(C, 3 * C);
  @Layer Linear proj = new Linear(C, C);
  @Layer LayerNorm ln2 = new LayerNorm(C);
  @Layer Linear fc1 = new Linear(C, 4 * C);
  @Layer Linear fc2 = new Linear(4 * C, C);
  @Layer Linear head = new Linear(C, 16);

  @Forward
  public Tensor forward(Tensor ids) {
    Tensor x = tokens.forward(ids);
    int b = x.size(0);
    int t = x.size(1);
    List<Tensor> parts = qkv.forward(ln1.forward(x)).chunk(3, -1);
    Tensor q = parts.get(0).reshape(b, t, NH, C / NH).transpose(1, 2);
    Tensor k = parts.get(1).reshape(b, t, NH, C / NH).transpose(1, 2);
    Tensor v = parts.get(2).reshape(b, t, NH, C / NH).transpose(1, 2);
    Tensor att = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(C / NH)).softmax(-1);
    Tensor y = att.matmul(v).transpose(1, 2).reshape(b, t, C);
    x = x.add(proj.forward(y));
    Tensor m = fc2.forward(F.gelu(fc1.forward(ln2.forward(x))));
    x = x.add(m);
    return head.forward(x);
  }
}

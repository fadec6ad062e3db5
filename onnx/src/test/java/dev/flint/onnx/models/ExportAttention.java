package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.LayerNorm;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A sequence of T steps (symbolic, as B): multi-head self-attention written out as in nanoGPT, with
 * reshapes over B and T, a LayerNorm, a division by T and a mean over the steps.
 */
@Model(inputDims = {"T", "12"})
public class ExportAttention extends Module {
  static final int C = 12;
  static final int NH = 3;
  @Layer Linear qkv = new Linear(C, 3 * C);
  @Layer LayerNorm norm = new LayerNorm(C);
  @Layer Linear head = new Linear(C, 4);

  @Forward
  public Tensor forward(Tensor x) {
    int b = x.size(0);
    int t = x.size(1);
    int hs = C / NH;
    Tensor all = qkv.forward(x);
    Tensor q = all.narrow(2, 0, C).reshape(b, t, NH, hs).transpose(1, 2);
    Tensor k = all.narrow(2, C, C).reshape(b, t, NH, hs).transpose(1, 2);
    Tensor v = all.narrow(2, 2 * C, C).reshape(b, t, NH, hs).transpose(1, 2);
    Tensor att = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(hs)).softmax(-1);
    Tensor y = att.matmul(v).transpose(1, 2).reshape(b * t, C).view(b, t, C);
    Tensor h = norm.forward(y.add(x)).div(t);
    return head.forward(h.mean(1));
  }
}

package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * Multi-head self-attention written as in nanoGPT, with int locals read from the input's sizes
 * (B and T symbolic), constant arithmetic for the head size and scale, and narrow into q, k, v.
 */
@Model(inputDims = {"T", "12"})
public class Heads extends Module {
  static final int C = 12;
  static final int NH = 3;
  @Layer Linear qkv = new Linear(C, 3 * C);
  @Layer Linear proj = new Linear(C, C);

  @Forward
  public Tensor forward(Tensor x) {
    int b = x.size(0);
    int t = x.shape()[1];
    int c = x.size(-1);
    int hs = C / NH;
    double scale = 1.0 / Math.sqrt(hs);
    Tensor all = qkv.forward(x);
    Tensor q = all.narrow(2, 0, c).reshape(b, t, NH, hs).transpose(1, 2);
    Tensor k = all.narrow(2, c, c).reshape(b, t, NH, c / NH).transpose(1, 2);
    Tensor v = all.narrow(-1, 2 * c, C).reshape(new int[] {b, t, NH, hs}).transpose(1, 2);
    Tensor att = q.matmul(k.transpose(-2, -1)).mul(scale).softmax(-1);
    Tensor y = att.matmul(v).transpose(1, 2).reshape(b * t, c).view(b, -1, (int) (hs * (double) NH));
    return proj.forward(y).div(t).add(x.mul(-scale / 2));
  }
}

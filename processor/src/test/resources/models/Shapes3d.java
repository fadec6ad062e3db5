package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A sequence model: Linear over the last dim of [B, T, F], permutes, squeeze/unsqueeze, view, matmul. */
@Model(input = {4, 6})
public class Shapes3d extends Module {
  @Layer Linear proj = new Linear(6, 6);
  @Layer Tanh act = new Tanh();

  @Forward
  public Tensor forward(Tensor x) {
    Tensor q = act.forward(proj.forward(x));
    Tensor scores = q.matmul(x.transpose(1, 2)).mul(0.4);
    Tensor attn = scores.softmax(-1);
    Tensor mixed = attn.matmul(x);
    Tensor flat = mixed.unsqueeze(1).squeeze(1).view(x.size(0), 24);
    return flat.mul(flat).add(1.0).sqrt().add(flat.pow(2.0).add(1.0).log()).sum(1, true);
  }
}

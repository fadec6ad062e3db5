package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A sequence of T steps of 6 features (two symbolic sizes, B and T): self-attention scores
 * [B, T, T], a mean over the steps (1/T), a LayerNorm over features and a flatten of B and T.
 */
@Model(inputDims = {"T", "6"})
public class Attend extends Module {
  @Layer Linear proj = new Linear(6, 8);
  @Layer LayerNorm norm = new LayerNorm(8);
  @Layer Linear head = new Linear(8, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = F.tanh(proj.forward(x));
    Tensor scores = h.matmul(h.transpose(1, 2)).softmax(2);
    Tensor context = norm.forward(scores.matmul(h).add(h));
    Tensor steps = context.reshape(-1, 8).sum(1).reshape(x.size(0), x.size(1), 1);
    Tensor pooled = context.mul(steps).mean(1);
    return head.forward(pooled);
  }
}

package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.BatchNorm1d;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Residual blocks and elementwise math: add, sub, mul, div, neg, exp, log, sqrt, abs, pow, clamp, matmul, t(). */
@Model
public class ExportResidual extends Module {
  @Layer Linear fc1 = new Linear(8, 8);
  @Layer BatchNorm1d bn = new BatchNorm1d(8);
  @Layer Linear fc2 = new Linear(8, 8);
  @Layer Linear head = new Linear(8, 4);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = x.add(F.relu(bn.forward(fc1.forward(x))));
    Tensor r = h.add(fc2.forward(h).tanh());
    Tensor m = r.mul(r.sigmoid()).div(r.abs().add(1).sqrt()).sub(r.neg().exp().mul(0.1));
    Tensor c = m.clamp(-2, 2).pow(2.0).add(m.abs().add(1).log());
    Tensor gram = c.t().matmul(c).div(8);
    return head.forward(c.matmul(gram).add(r));
  }
}

package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Model;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

@Model(input = {3, 4})
public class TensorOps extends Module {
  static final double SCALE = 0.5;

  @Forward
  public Tensor forward(Tensor x) {
    Tensor y = x.mul(x).add(x.exp().mul(SCALE));
    Tensor z = y.transpose(1, 2).reshape(-1, 12);
    Tensor s = z.softmax(1).add(z.tanh().pow(2.0));
    return s.sum(1).add(z.mean(1)).sub(1.5);
  }
}

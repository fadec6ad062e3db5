package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Two branches concatenated along the features, and a stack. */
@Model
public class Branches extends Module {
  @Layer Linear left = new Linear(5, 3);
  @Layer Linear right = new Linear(5, 4);
  @Layer Linear out = new Linear(7, 2);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor a = F.relu(left.forward(x));
    Tensor b = right.forward(x).mul(2.0).sub(0.5);
    Tensor both = Tensor.cat(1, a, b);
    Tensor y = out.forward(both);
    Tensor s = Tensor.stack(0, y, y.neg());
    return s.sum(0).add(y.abs()).mul(y);
  }
}

package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

@Model
public class Mlp extends Module {
  @Layer Linear fc1 = new Linear(10, 20);
  @Layer Linear fc2 = new Linear(20, 5);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = F.relu(fc1.forward(x));
    return fc2.forward(h);
  }
}

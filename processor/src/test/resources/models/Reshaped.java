package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** The input is reshaped before its first layer, so the input's gradient is a view of a product's result. */
@Model(input = {2, 5})
public class Reshaped extends Module {
  @Layer Linear fc1 = new Linear(10, 8);
  @Layer Linear fc2 = new Linear(8, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor f = x.reshape(x.size(0), 10);
    return fc2.forward(F.relu(fc1.forward(f)));
  }
}

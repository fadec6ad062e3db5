package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Linear layers without bias, a ReLU layer, and a sigmoid, with a constant from another class. */
@Model
public class NoBias extends Module {
  static final int HIDDEN = 2 * 3;
  @Layer Linear fc1 = new Linear(3, HIDDEN, false);
  @Layer ReLU relu = new ReLU();
  @Layer Linear fc2 = new Linear(HIDDEN, 2, false);
  @Layer Sigmoid sigmoid = new Sigmoid();

  @Forward
  public Tensor forward(Tensor x) {
    return sigmoid.forward(fc2.forward(relu.forward(fc1.forward(x))));
  }
}

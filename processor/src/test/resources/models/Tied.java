package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Parameters read directly: an output layer tied to the input layer's weight, F.linear and F.maxPool2d. */
@Model(input = {1, 4, 4})
public class Tied extends Module {
  @Layer Linear enc = new Linear(4, 3);
  @Layer Linear dec = new Linear(3, 4);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor p = F.maxPool2d(x, 2).reshape(-1, 4);
    Tensor h = F.tanh(enc.forward(p));
    Tensor back = h.matmul(enc.weight).add(dec.bias);
    return F.linear(back, enc.weight, enc.bias);
  }
}

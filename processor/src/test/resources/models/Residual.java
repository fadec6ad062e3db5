package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A residual block: h + fc2(relu(fc1(h))), then a sigmoid head. */
@Model
public class Residual extends Module {
  @Layer Linear in = new Linear(6, 8);
  @Layer Linear fc1 = new Linear(8, 8);
  @Layer Linear fc2 = new Linear(8, 8);
  @Layer Linear head = new Linear(8, 2);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = F.tanh(in.forward(x));
    Tensor r = fc2.forward(F.relu(fc1.forward(h)));
    h = h.add(r);
    return F.sigmoid(head.forward(h));
  }
}

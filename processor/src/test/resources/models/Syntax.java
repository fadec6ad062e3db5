package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** The statement forms: var, this.field, a layer applied twice (shared weights), dead values, late assignment. */
@Model
public class Syntax extends Module {
  static final int WIDTH = 5;
  @Layer Linear shared = new Linear(WIDTH, WIDTH);

  @Forward
  public Tensor forward(Tensor input) {
    var a = this.shared.forward(input);
    Tensor unused = a.exp();
    Tensor b;
    if (!isTraining()) {
      b = (shared.forward(F.relu(a)));
    } else {
      b = shared.forward(F.sigmoid(a)).mul(0.5);
    }
    Tensor t1 = b.add(input);
    return t1.div(2.0);
  }
}

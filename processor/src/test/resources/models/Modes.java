package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Different code in training and evaluation, with F.dropout and a batch-norm over features. */
@Model
public class Modes extends Module {
  @Layer Linear fc1 = new Linear(6, 8);
  @Layer BatchNorm1d bn = new BatchNorm1d(8);
  @Layer Linear fc2 = new Linear(8, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = bn.forward(fc1.forward(x));
    if (isTraining()) {
      h = F.dropout(F.relu(h), 0.3, isTraining());
    } else {
      h = F.relu(h).mul(1.0);
    }
    return fc2.forward(h).logSoftmax(1);
  }
}

package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Linear;
import dev.flint.tensor.Tensor;

/** Children in the order eager registration gives: the superclass's layer first, then this class's in declaration order. */
@Model(input = {4})
public class Inherited extends InheritedBase {
  @Layer Linear mid = new Linear(4, 3);
  @Layer Linear head = new Linear(3, 2);

  @Forward
  public Tensor forward(Tensor x) {
    return head.forward(mid.forward(stem.forward(x).relu()));
  }
}

package dev.flint.spark;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Another model, whose weights do not fit {@link TinyNet}. */
@Model
public class OtherNet extends Module {
  @Layer Linear head = new Linear(4, 3);

  @Forward
  public Tensor forward(Tensor x) {
    return head.forward(x);
  }
}

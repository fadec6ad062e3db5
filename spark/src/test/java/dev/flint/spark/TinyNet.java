package dev.flint.spark;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A small classifier for the tests: 4 features in, 3 logits out; compiled as {@code CompiledTinyNet}. */
@Model
public class TinyNet extends Module {
  @Layer Linear fc1 = new Linear(4, 8);
  @Layer Linear fc2 = new Linear(8, 3);

  @Forward
  public Tensor forward(Tensor x) {
    return fc2.forward(F.tanh(fc1.forward(x)));
  }
}

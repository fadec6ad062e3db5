package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Model;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A model that returns its input: the compiled output is a copy carrying the autograd node. */
@Model(input = {3})
public class Identity extends Module {
  @Forward
  public Tensor forward(Tensor x) {
    return x;
  }
}

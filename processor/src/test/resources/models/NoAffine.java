package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Norm layers built without weight and bias or without running statistics, and a tanh-approximated GELU. */
@Model
public class NoAffine extends Module {
  @Layer BatchNorm1d bn = new BatchNorm1d(6, 1e-5, 0.2, false, true);
  @Layer BatchNorm1d batchOnly = new BatchNorm1d(6, 1e-3, 0.1, true, false);
  @Layer LayerNorm norm = new LayerNorm(new int[] {6}, 1e-5, false);
  @Layer GELU gelu = new GELU("tanh");
  @Layer LeakyReLU leaky = new LeakyReLU(0.2);

  @Forward
  public Tensor forward(Tensor x) {
    return leaky.forward(gelu.forward(norm.forward(batchOnly.forward(bn.forward(x)))));
  }
}

package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A nested model: a residual block with layer norm, used twice by Nested. */
@Model
public class Block extends Module {
  @Layer LayerNorm norm = new LayerNorm(8);
  @Layer Linear fc = new Linear(8, 8);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = F.gelu(fc.forward(norm.forward(x)));
    return x.add(h);
  }
}

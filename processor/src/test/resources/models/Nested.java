package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Nested @Model fields, inlined by the compiler. */
@Model
public class Nested extends Module {
  @Layer Linear in = new Linear(4, 8);
  @Layer Block b1 = new Block();
  @Layer Block b2 = new Block();
  @Layer Linear out = new Linear(8, 1);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = in.forward(x);
    h = b2.forward(b1.forward(h));
    return out.forward(h);
  }
}

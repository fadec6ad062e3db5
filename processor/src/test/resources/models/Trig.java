package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** sin, cos and the rounding ops (zero gradient) in a compiled forward. */
@Model(input = {3})
public class Trig extends Module {
  @Layer Linear fc = new Linear(3, 4);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = fc.forward(x);
    Tensor waves = h.sin().mul(h.cos().add(2));
    Tensor steps = h.mul(3).round().add(h.floor()).sub(h.ceil());
    return waves.add(steps.mul(0.1));
  }
}

package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Elementwise functions beyond the activations: sin, cos, floor, ceil, round (half to even), contiguous. */
@Model
public class ExportMath extends Module {
  @Layer Linear fc = new Linear(5, 5);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = fc.forward(x).mul(3);
    Tensor waves = h.sin().add(h.cos().mul(0.5));
    Tensor steps = h.floor().add(h.ceil()).sub(h.mul(2).round());
    return waves.add(steps.mul(0.1)).transpose(0, 1).contiguous().transpose(0, 1);
  }
}

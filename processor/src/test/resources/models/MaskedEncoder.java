package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Input;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A ModuleList of nested models that take the padding mask too: b.forward(h, pad) in a for-each loop. */
@Model(inputDims = {"T", "8"})
public class MaskedEncoder extends Module {
  @Layer ModuleList<MaskedBlock> blocks = ModuleList.of(new MaskedBlock(), new MaskedBlock());
  @Layer Linear out = new Linear(8, 3);

  public Tensor forward(Tensor x) {
    throw new UnsupportedOperationException("MaskedEncoder takes a padding mask and a bias too");
  }

  @Forward
  public Tensor forward(Tensor x, @Input(value = {"B", "T"}, dtype = "BOOL") Tensor pad, @Input({"B", "T", "3"}) Tensor bias) {
    Tensor h = x;
    for (MaskedBlock b : blocks) {
      h = b.forward(h, pad);
    }
    return out.forward(h).add(bias);
  }
}

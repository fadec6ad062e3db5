package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Input;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A nested model of two tensors: attention over the keys a padding mask keeps, with a residual. */
@Model(inputDims = {"T", "8"})
public class MaskedBlock extends Module {
  @Layer LayerNorm norm = new LayerNorm(8);
  @Layer Linear qk = new Linear(8, 8);

  public Tensor forward(Tensor x) {
    throw new UnsupportedOperationException("MaskedBlock takes a padding mask too");
  }

  @Forward
  public Tensor forward(Tensor x, @Input(value = {"B", "T"}, dtype = "BOOL") Tensor pad) {
    Tensor h = norm.forward(x);
    Tensor att = qk.forward(h).matmul(h.transpose(1, 2)).maskedFill(pad.unsqueeze(1), Double.NEGATIVE_INFINITY);
    return x.add(att.softmax(-1).matmul(h));
  }
}

package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Input;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.List;

/**
 * Three forward parameters: a sequence, a BOOL padding mask per sample (true = a padded key, filled with -inf
 * before the softmax) and a second floating input added to the output; tril of the weights.
 */
@Model(inputDims = {"T", "8"})
public class Masked extends Module {
  static final int C = 8;
  @Layer Linear qk = new Linear(C, 2 * C);
  @Layer Linear out = new Linear(C, 3);

  public Tensor forward(Tensor x) {
    throw new UnsupportedOperationException("Masked takes a padding mask and a bias too");
  }

  @Forward
  public Tensor forward(Tensor x, @Input(value = {"B", "T"}, dtype = "BOOL") Tensor pad, @Input({"B", "T", "3"}) Tensor bias) {
    List<Tensor> parts = qk.forward(x).chunk(2, 2);
    Tensor att = parts.get(0).matmul(parts.get(1).transpose(1, 2)).div(Math.sqrt(C));
    att = att.maskedFill(pad.unsqueeze(1), Double.NEGATIVE_INFINITY).softmax(-1).tril(0);
    return out.forward(att.matmul(x)).add(bias.mul(bias));
  }
}

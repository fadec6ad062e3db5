package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * The output is a view (transpose) of a reshape that must copy (its input is transposed), so the output
 * shares storage with a value the compiled forward could keep from call to call.
 */
@Model(input = {3, 4})
public class ViewOut extends Module {
  @Layer Linear fc = new Linear(4, 4);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor y = fc.forward(x);
    Tensor flat = y.transpose(1, 2).reshape(x.size(0), 12);
    return flat.transpose(0, 1);
  }
}

package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A convolutional Sequential (conv, batch norm, leaky ReLU, pooling) and a flatten head written with x.size(0). */
@Model(input = {2, 8, 8})
public class ConvSeq extends Module {
  @Layer Sequential features = new Sequential(
      new Conv2d(2, 3, 3, 1, 1), new BatchNorm2d(3), new LeakyReLU(0.2), new AvgPool2d(2),
      new Conv2d(3, 4, 2, 2, 0, false), new Tanh());
  @Layer Linear fc = new Linear(4 * 2 * 2, 2);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = features.forward(x);
    Tensor flat = h.reshape(x.size(0), -1);
    return fc.forward(F.dropout(flat, 0.5, isTraining()));
  }
}

package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.AvgPool2d;
import dev.flint.nn.BatchNorm2d;
import dev.flint.nn.Conv2d;
import dev.flint.nn.Dropout;
import dev.flint.nn.F;
import dev.flint.nn.Flatten;
import dev.flint.nn.Linear;
import dev.flint.nn.MaxPool2d;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A CNN: convolutions with padding and stride, batch norm, max and average pooling, dropout, flatten. */
@Model(input = {2, 12, 12})
public class ExportCnn extends Module {
  @Layer Conv2d conv1 = new Conv2d(2, 4, 3, 1, 1);
  @Layer BatchNorm2d bn1 = new BatchNorm2d(4);
  @Layer MaxPool2d pool = new MaxPool2d(2);
  @Layer Conv2d conv2 = new Conv2d(4, 6, 3, 2, 1);
  @Layer AvgPool2d avg = new AvgPool2d(2, 1, 1);
  @Layer Flatten flatten = new Flatten();
  @Layer Dropout drop = new Dropout(0.25);
  @Layer Linear fc = new Linear(6 * 4 * 4, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = pool.forward(F.relu(bn1.forward(conv1.forward(x))));
    h = avg.forward(F.relu(conv2.forward(h)));
    return fc.forward(drop.forward(flatten.forward(h)));
  }
}

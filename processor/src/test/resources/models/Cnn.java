package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A CNN with batch norm, dropout, max and average pooling. */
@Model(input = {1, 12, 12})
public class Cnn extends Module {
  @Layer Conv2d conv1 = new Conv2d(1, 4, 3, 1, 1);
  @Layer BatchNorm2d bn1 = new BatchNorm2d(4);
  @Layer MaxPool2d pool = new MaxPool2d(2);
  @Layer Conv2d conv2 = new Conv2d(4, 6, 3, 2, 0);
  @Layer AvgPool2d avg = new AvgPool2d(2, 1);
  @Layer Flatten flatten = new Flatten();
  @Layer Dropout drop = new Dropout(0.25);
  @Layer Linear fc = new Linear(6 * 1 * 1, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = pool.forward(F.relu(bn1.forward(conv1.forward(x))));
    h = avg.forward(F.relu(conv2.forward(h)));
    return fc.forward(drop.forward(flatten.forward(h)));
  }
}

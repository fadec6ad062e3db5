package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Conv2d;
import dev.flint.nn.F;
import dev.flint.nn.Flatten;
import dev.flint.nn.Linear;
import dev.flint.nn.MaxPool2d;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * The benchmarks' cnn_train_small model: Conv2d(1, 8, 3, p1) - ReLU - MaxPool2d(2) - Conv2d(8, 16, 3, p1) - ReLU - MaxPool2d(2)
 * - Flatten - Linear(784, 10); x: [B, 1, 28, 28] -> [B, 10].
 */
@Model(input = {1, 28, 28}) // a Conv2d first: the sample shape cannot be inferred
public class CnnSmall extends Module {
  @Layer Conv2d conv1 = new Conv2d(1, 8, 3, 1, 1);
  @Layer MaxPool2d pool1 = new MaxPool2d(2);
  @Layer Conv2d conv2 = new Conv2d(8, 16, 3, 1, 1);
  @Layer MaxPool2d pool2 = new MaxPool2d(2);
  @Layer Flatten flatten = new Flatten();
  @Layer Linear fc = new Linear(16 * 7 * 7, 10);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    Tensor h1 = pool1.forward(F.relu(conv1.forward(x)));
    Tensor h2 = pool2.forward(F.relu(conv2.forward(h1)));
    return fc.forward(flatten.forward(h2));
  }
}

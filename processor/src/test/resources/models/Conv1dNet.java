package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Two 1-D convolutions over 16 steps of 2 channels (padding, stride 2, no bias), batch norm, then a head. */
@Model(input = {2, 16})
public class Conv1dNet extends Module {
  @Layer Conv1d conv1 = new Conv1d(2, 4, 3, 1, 1);
  @Layer BatchNorm1d bn = new BatchNorm1d(4);
  @Layer Conv1d conv2 = new Conv1d(4, 3, 3, 2, 0, false);
  @Layer Flatten flatten = new Flatten();
  @Layer Linear head = new Linear(3 * 7, 2);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = F.relu(bn.forward(conv1.forward(x)));
    return head.forward(flatten.forward(F.tanh(conv2.forward(h))));
  }
}

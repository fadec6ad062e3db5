package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Conv1d;
import dev.flint.nn.F;
import dev.flint.nn.Flatten;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** 1-D convolutions over 10 steps of 4 channels (padding, then stride 2), flattened into a linear head. */
@Model(input = {4, 10})
public class ExportConv1d extends Module {
  @Layer Conv1d conv1 = new Conv1d(4, 6, 3, 1, 1);
  @Layer Conv1d conv2 = new Conv1d(6, 2, 3, 2, 0);
  @Layer Flatten flatten = new Flatten();
  @Layer Linear head = new Linear(2 * 4, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = F.relu(conv1.forward(x));
    return head.forward(flatten.forward(conv2.forward(h)));
  }
}

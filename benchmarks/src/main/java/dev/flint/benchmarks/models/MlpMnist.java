package dev.flint.benchmarks.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** mlp_mnist: Linear(784, 512) - ReLU - Linear(512, 256) - ReLU - Linear(256, 10); x: [B, 784] -> [B, 10]. */
@Model
public class MlpMnist extends Module {
  @Layer Linear fc1 = new Linear(784, 512);
  @Layer Linear fc2 = new Linear(512, 256);
  @Layer Linear fc3 = new Linear(256, 10);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    Tensor h1 = F.relu(fc1.forward(x));
    Tensor h2 = F.relu(fc2.forward(h1));
    return fc3.forward(h2);
  }
}

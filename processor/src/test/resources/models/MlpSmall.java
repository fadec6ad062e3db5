package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** The benchmarks' mlp_train_small model: Linear(117, 64) - ReLU - Linear(64, 32) - ReLU - Linear(32, 1); x: [B, 117] -> [B, 1]. */
@Model
public class MlpSmall extends Module {
  @Layer Linear fc1 = new Linear(117, 64);
  @Layer Linear fc2 = new Linear(64, 32);
  @Layer Linear fc3 = new Linear(32, 1);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    Tensor h1 = F.relu(fc1.forward(x));
    Tensor h2 = F.relu(fc2.forward(h1));
    return fc3.forward(h2);
  }
}

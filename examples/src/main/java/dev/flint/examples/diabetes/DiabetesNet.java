package dev.flint.examples.diabetes;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A Linear-ReLU-Linear regression network for the diabetes data: ten standardized baseline variables in, the
 * (standardized) disease progression out. {@code x: [batch, 10] -> [batch, 1]}.
 *
 * <p>The same class runs eagerly ({@code new DiabetesNet()}), op by op with a tape, or compiled
 * ({@code new CompiledDiabetesNet()}), through the code the annotation processor generates from
 * the {@link Forward} method below.
 */
@Model
public class DiabetesNet extends Module {
  @Layer Linear fc1 = new Linear(10, 32);
  @Layer Linear fc2 = new Linear(32, 1);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    Tensor h = F.relu(fc1.forward(x));
    return fc2.forward(h);
  }
}

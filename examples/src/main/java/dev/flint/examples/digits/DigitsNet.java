package dev.flint.examples.digits;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A multilayer perceptron for 8×8 handwritten digits: 64 pixel intensities in, 10 class scores
 * (logits) out. {@code x: [batch, 64] -> [batch, 10]}.
 *
 * <p>Runs eagerly as {@code new DigitsNet()} or compiled as {@code new CompiledDigitsNet()}, the
 * class the annotation processor writes from the {@link Forward} method.
 */
@Model
public class DigitsNet extends Module {
  @Layer Linear fc1 = new Linear(64, 128);
  @Layer Linear fc2 = new Linear(128, 64);
  @Layer Linear fc3 = new Linear(64, 10);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    Tensor h1 = F.relu(fc1.forward(x));
    Tensor h2 = F.relu(fc2.forward(h1));
    return fc3.forward(h2);
  }
}

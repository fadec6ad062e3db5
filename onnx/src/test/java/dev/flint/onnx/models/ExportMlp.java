package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.GELU;
import dev.flint.nn.LeakyReLU;
import dev.flint.nn.Linear;
import dev.flint.nn.LogSoftmax;
import dev.flint.nn.Module;
import dev.flint.nn.ReLU;
import dev.flint.nn.Sigmoid;
import dev.flint.nn.Tanh;
import dev.flint.tensor.Tensor;

/** An MLP through every activation: ReLU, exact and tanh GELU, Tanh, Sigmoid, leaky ReLU, log-softmax. */
@Model
public class ExportMlp extends Module {
  @Layer Linear fc1 = new Linear(6, 16);
  @Layer ReLU relu = new ReLU();
  @Layer GELU gelu = new GELU();
  @Layer Linear fc2 = new Linear(16, 12);
  @Layer Tanh tanh = new Tanh();
  @Layer Sigmoid sigmoid = new Sigmoid();
  @Layer LeakyReLU leaky = new LeakyReLU(0.1);
  @Layer Linear fc3 = new Linear(12, 5);
  @Layer LogSoftmax logSoftmax = new LogSoftmax(1);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = gelu.forward(fc1.forward(x)).add(relu.forward(x.sum(1, true)));
    Tensor g = fc2.forward(F.gelu(h, "tanh"));
    Tensor a = tanh.forward(g).mul(sigmoid.forward(g));
    return logSoftmax.forward(fc3.forward(leaky.forward(a.sub(0.25))));
  }
}

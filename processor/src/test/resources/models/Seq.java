package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A Sequential field, unrolled by the compiler, with GELU and LeakyReLU. */
@Model
public class Seq extends Module {
  @Layer Sequential body = new Sequential(new Linear(6, 10), new GELU(), new Linear(10, 10), new LeakyReLU(0.1));
  @Layer Sequential head = new Sequential(new Linear(10, 3), new LogSoftmax(1));

  @Forward
  public Tensor forward(Tensor x) {
    return head.forward(body.forward(x));
  }
}

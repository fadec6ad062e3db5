package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.stream.IntStream;

/**
 * Loops over ModuleList fields, unrolled: nested @Model blocks with residuals (built with IntStream), a list of
 * Linear layers read by index in a counted loop and iterated with for-each.
 */
@Model(input = {4})
public class Stack extends Module {
  static final int DEPTH = 3;
  @Layer Linear in = new Linear(4, 8);
  @Layer ModuleList<Block> blocks = ModuleList.of(IntStream.range(0, DEPTH).mapToObj(i -> new Block()).toList());
  @Layer ModuleList<Linear> gates = ModuleList.of(new Linear(8, 8), new Linear(8, 8));
  @Layer Linear out = new Linear(8, 2);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = in.forward(x);
    for (Block b : blocks) {
      h = h.add(b.forward(h).mul(0.5));
    }
    for (int i = 0; i < gates.size(); i++) {
      h = h.add(F.tanh(gates.get(i).forward(h)));
    }
    for (Linear g : gates) {
      h = h.mul(F.sigmoid(g.forward(h))).add(g.bias);
    }
    return out.forward(h).add(blocks.get(-1).forward(h).sum(1, true));
  }
}

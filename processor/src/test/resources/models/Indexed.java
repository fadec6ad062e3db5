package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Index;
import dev.flint.tensor.Tensor;

/** Basic indexing in a compiled forward: x[:, -1], x[..., ::2], b[:, 1:, None, 0]. */
@Model(input = {4, 6})
public class Indexed extends Module {
  @Layer Linear fc = new Linear(6, 8);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor last = x.index(Index.all(), Index.at(-1));
    Tensor even = x.index(Index.ellipsis(), Index.slice(0, 6, 2));
    Tensor picked = even.index(Index.all(), Index.from(1), Index.newAxis(), Index.at(0));
    Tensor h = fc.forward(last);
    return h.add(picked.flatten(1).sum(1, true));
  }
}

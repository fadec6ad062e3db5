package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Index;
import dev.flint.tensor.Tensor;
import java.util.List;

/** cat, stack, split, narrow, basic indexing, reshape/view, permute, unsqueeze/squeeze, sum, mean. */
@Model(input = {4, 6})
public class ExportJoin extends Module {
  @Layer Linear fc = new Linear(6, 6);
  @Layer Linear head = new Linear(12, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = fc.forward(x);
    Tensor both = Tensor.cat(2, h, x);
    Tensor stacked = Tensor.stack(1, h, x, h.mul(x));
    List<Tensor> halves = both.split(6, 2);
    Tensor mixed = halves.get(1).sub(halves.get(0).narrow(1, 1, 3).sum(1, true));
    Tensor last = x.index(Index.all(), Index.at(-1));
    Tensor even = x.index(Index.ellipsis(), Index.slice(0, 6, 2));
    Tensor picked = even.index(Index.all(), Index.from(1), Index.newAxis(), Index.at(0));
    Tensor pooled = stacked.sum(1).permute(0, 2, 1).reshape(-1, 24).view(-1, 4, 6).mean(1);
    Tensor flat = mixed.mean(1).unsqueeze(1).squeeze(1);
    Tensor features = Tensor.cat(1, pooled, flat.add(last).add(picked.flatten(1).sum(1, true)));
    return head.forward(features);
  }
}

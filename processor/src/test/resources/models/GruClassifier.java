package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Index;
import dev.flint.tensor.Tensor;

/** A two-layer GRU over 6 steps of 4 features; the last step's output feeds the head. */
@Model(input = {6, 4})
public class GruClassifier extends Module {
  @Layer GRU gru = new GRU(4, 5, 2);
  @Layer Linear head = new Linear(5, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor out = gru.forward(x);
    return head.forward(out.index(Index.all(), Index.at(-1)));
  }
}

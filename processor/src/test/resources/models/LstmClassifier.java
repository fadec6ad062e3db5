package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Index;
import dev.flint.tensor.Tensor;

/** A two-layer LSTM over 7 steps of 5 features; the last step's output feeds the head. */
@Model(input = {7, 5})
public class LstmClassifier extends Module {
  @Layer LSTM lstm = new LSTM(5, 6, 2);
  @Layer Linear head = new Linear(6, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor out = lstm.forward(x);
    return head.forward(out.index(Index.all(), Index.at(-1)));
  }
}

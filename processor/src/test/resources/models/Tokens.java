package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Token ids of any sequence length T, typed [B, T] from the Embedding that reads them (no annotation). */
@Model
public class Tokens extends Module {
  @Layer Embedding emb = new Embedding(10, 6);
  @Layer Linear fc = new Linear(6, 4);

  @Forward
  public Tensor forward(Tensor tokens) {
    Tensor e = emb.forward(tokens);
    return fc.forward(F.relu(e)).mean(1);
  }
}

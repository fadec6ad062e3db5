package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Embedding of token indices, a mean over the sequence, and a softmax head. */
@Model(input = {5})
public class Embed extends Module {
  @Layer Embedding emb = new Embedding(10, 6);
  @Layer Linear fc = new Linear(6, 4);
  @Layer Softmax softmax = new Softmax(-1);

  @Forward
  public Tensor forward(Tensor tokens) {
    Tensor e = emb.forward(tokens);
    Tensor pooled = e.mean(1);
    return softmax.forward(fc.forward(pooled));
  }
}

package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Embedding;
import dev.flint.nn.LayerNorm;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.nn.Softmax;
import dev.flint.tensor.Tensor;

/** Token ids [B, T] of any length T: Embedding (Gather), LayerNorm, a linear head and a softmax. */
@Model
public class ExportTokens extends Module {
  @Layer Embedding emb = new Embedding(10, 8);
  @Layer LayerNorm norm = new LayerNorm(8);
  @Layer Linear fc = new Linear(8, 5);
  @Layer Softmax softmax = new Softmax(-1);

  @Forward
  public Tensor forward(Tensor tokens) {
    Tensor e = norm.forward(emb.forward(tokens));
    return softmax.forward(fc.forward(e));
  }
}

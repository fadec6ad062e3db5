package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.stream.IntStream;

/**
 * A nanoGPT-style GPT: token and position embeddings (positions as the first T rows of the table), a ModuleList of
 * blocks, a final layer norm and a head tied to the token embedding. T is at most the block size 8.
 */
@Model(inputDims = {"T<=8"})
public class Gpt extends Module {
  static final int VOCAB = 10;
  static final int C = 12;
  static final int BLOCK = 8;
  static final int LAYERS = 2;
  @Layer Embedding tok = new Embedding(VOCAB, C);
  @Layer Embedding pos = new Embedding(BLOCK, C);
  @Layer Dropout drop = new Dropout(0.1);
  @Layer ModuleList<GptBlock> blocks = ModuleList.of(IntStream.range(0, LAYERS).mapToObj(i -> new GptBlock()).toList());
  @Layer LayerNorm lnF = new LayerNorm(C);

  @Forward
  public Tensor forward(Tensor idx) {
    int t = idx.size(1);
    Tensor x = drop.forward(tok.forward(idx).add(pos.weight.narrow(0, 0, t)));
    for (GptBlock b : blocks) {
      x = b.forward(x);
    }
    return lnF.forward(x).matmul(tok.weight.t());
  }
}

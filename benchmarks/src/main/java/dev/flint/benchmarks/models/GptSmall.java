package dev.flint.benchmarks.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Embedding;
import dev.flint.nn.LayerNorm;
import dev.flint.nn.Module;
import dev.flint.nn.ModuleList;
import dev.flint.tensor.Tensor;
import java.util.stream.IntStream;

/**
 * gpt_small: pytorch_bench.py's {@code Gpt}: vocabulary 65, block 64, 4 pre-norm blocks of width 128 with 4 heads,
 * a final layer norm and a head tied to the token embedding; idx: INT64 [B, T] with T up to 64 -> logits [B, T, 65].
 */
@Model(inputDims = {"T<=64"})
public class GptSmall extends Module {
  public static final int VOCAB = 65;
  public static final int BLOCK = 64;
  static final int LAYERS = 4;
  @Layer Embedding tok = new Embedding(VOCAB, GptSmallBlock.WIDTH);
  @Layer Embedding pos = new Embedding(BLOCK, GptSmallBlock.WIDTH);
  @Layer ModuleList<GptSmallBlock> blocks =
      ModuleList.of(IntStream.range(0, LAYERS).mapToObj(i -> new GptSmallBlock()).toList());
  @Layer LayerNorm lnF = new LayerNorm(GptSmallBlock.WIDTH);

  @Forward
  @Override
  public Tensor forward(Tensor idx) {
    int t = idx.size(1);
    Tensor x = tok.forward(idx).add(pos.weight.narrow(0, 0, t));
    for (GptSmallBlock b : blocks) {
      x = b.forward(x);
    }
    return lnF.forward(x).matmul(tok.weight.t());
  }
}

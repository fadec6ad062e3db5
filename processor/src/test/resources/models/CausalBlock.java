package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A pre-norm decoder block over a length T known only at run time: causal multi-head self-attention and an MLP. */
@Model(inputDims = {"T", "8"})
public class CausalBlock extends Module {
  @Layer LayerNorm ln1 = new LayerNorm(8);
  @Layer MultiheadAttention attn = new MultiheadAttention(8, 2);
  @Layer LayerNorm ln2 = new LayerNorm(8);
  @Layer Linear up = new Linear(8, 16);
  @Layer Linear down = new Linear(16, 8);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor n = ln1.forward(x);
    Tensor h = x.add(attn.forward(n, n, n, true));
    return h.add(down.forward(F.gelu(up.forward(ln2.forward(h)))));
  }
}

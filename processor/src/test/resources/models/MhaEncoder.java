package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A pre-norm transformer encoder block over T steps (B and T symbolic): LayerNorm, multi-head
 * self-attention and a residual, then LayerNorm, an MLP with GELU and dropout, and a residual.
 */
@Model(inputDims = {"T", "8"})
public class MhaEncoder extends Module {
  @Layer LayerNorm ln1 = new LayerNorm(8);
  @Layer MultiheadAttention attn = new MultiheadAttention(8, 2);
  @Layer LayerNorm ln2 = new LayerNorm(8);
  @Layer Linear up = new Linear(8, 16);
  @Layer Linear down = new Linear(16, 8);
  @Layer Dropout drop = new Dropout(0.1);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = x.add(attn.forward(ln1.forward(x)));
    return h.add(drop.forward(down.forward(F.gelu(up.forward(ln2.forward(h))))));
  }
}

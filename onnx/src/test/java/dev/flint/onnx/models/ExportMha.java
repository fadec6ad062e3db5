package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Dropout;
import dev.flint.nn.F;
import dev.flint.nn.LayerNorm;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.nn.MultiheadAttention;
import dev.flint.tensor.Tensor;

/** A pre-norm encoder block around nn.MultiheadAttention (2 heads over width 8), B and T symbolic. */
@Model(inputDims = {"T", "8"})
public class ExportMha extends Module {
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

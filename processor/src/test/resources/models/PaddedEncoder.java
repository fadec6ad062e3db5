package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Input;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A transformer encoder block over padded sequences of 5 steps: self-attention that ignores the
 * padding keys (PyTorch's key_padding_mask, BOOL true = padding), then self-attention with the padding mask
 * and a floating [5, 5] bias (a third input, which gets a gradient); LayerNorm, residuals and an MLP.
 */
@Model(input = {5, 8})
public class PaddedEncoder extends Module {
  @Layer LayerNorm ln1 = new LayerNorm(8);
  @Layer MultiheadAttention attn = new MultiheadAttention(8, 2);
  @Layer LayerNorm ln2 = new LayerNorm(8);
  @Layer MultiheadAttention attn2 = new MultiheadAttention(8, 4);
  @Layer Linear up = new Linear(8, 16);
  @Layer Linear down = new Linear(16, 8);

  public Tensor forward(Tensor x) {
    throw new UnsupportedOperationException("PaddedEncoder takes a padding mask and a score bias too");
  }

  @Forward
  public Tensor forward(Tensor x, @Input(value = {"B", "5"}, dtype = "BOOL") Tensor pad, @Input({"5", "5"}) Tensor bias) {
    Tensor n = ln1.forward(x);
    Tensor h = x.add(attn.forward(n, n, n, pad, null));
    Tensor m = ln2.forward(h);
    h = h.add(attn2.forward(m, m, m, pad, bias));
    return h.add(down.forward(F.gelu(up.forward(h))));
  }
}

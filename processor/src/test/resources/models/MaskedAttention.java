package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * Self-attention with masks over 5 steps: a learned [T, T] bias added to the scores (a Linear's weight as
 * the floating attnMask, so it gets a gradient), then causal attention, each with a residual.
 */
@Model(input = {5, 8})
public class MaskedAttention extends Module {
  @Layer Linear rel = new Linear(5, 5);
  @Layer MultiheadAttention attn = new MultiheadAttention(8, 2);
  @Layer LayerNorm norm = new LayerNorm(8);
  @Layer MultiheadAttention causal = new MultiheadAttention(8, 4);
  @Layer Linear head = new Linear(8, 3);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = x.add(attn.forward(x, x, x, null, rel.weight));   // no key padding mask
    Tensor n = norm.forward(h);
    h = h.add(causal.forward(n, n, n, true));
    return head.forward(h.mean(1));
  }
}

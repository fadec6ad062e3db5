package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Input;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A decoder block's cross-attention: queries from the target {@code [B, T, 8]} attend over a memory input
 * {@code [B, S, 8]} of another length (key and value the same tensor) with a floating score bias per memory
 * step (PyTorch's key_padding_mask as floats, an input that gets a gradient); then attention whose key and
 * value differ (the value projected from the memory); LayerNorm and residuals.
 */
@Model(inputDims = {"T", "8"})
public class CrossAttention extends Module {
  @Layer LayerNorm ln = new LayerNorm(8);
  @Layer MultiheadAttention cross = new MultiheadAttention(8, 2);
  @Layer MultiheadAttention again = new MultiheadAttention(8, 4);
  @Layer Linear proj = new Linear(8, 8);

  public Tensor forward(Tensor x) {
    throw new UnsupportedOperationException("CrossAttention takes a memory and its score bias too");
  }

  @Forward
  public Tensor forward(Tensor x, @Input({"B", "S", "8"}) Tensor memory, @Input({"B", "S"}) Tensor memoryBias) {
    Tensor n = ln.forward(x);
    Tensor h = x.add(cross.forward(n, memory, memory, memoryBias, null));
    Tensor v = proj.forward(memory);
    return h.add(again.forward(h, memory, v, false));
  }
}

package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A sequence whose length T is a named size (B and T symbolic): a Linear on every step, a GRU, then an
 * LSTM over the GRU's outputs plus a residual, and the mean over the steps into the head.
 */
@Model(inputDims = {"T", "4"})
public class ExportRecurrent extends Module {
  @Layer Linear embed = new Linear(4, 5);
  @Layer GRU gru = new GRU(5, 5);
  @Layer LSTM lstm = new LSTM(5, 5, 2);
  @Layer Linear head = new Linear(5, 2);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor e = F.tanh(embed.forward(x));
    Tensor h = gru.forward(e);
    Tensor out = lstm.forward(h).add(e);
    return head.forward(out.mean(1));
  }
}

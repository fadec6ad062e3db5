package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Input;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A seq2seq pair of LSTMs: the encoder reads the source of length T from given initial states (inputs, which
 * get gradients), and its final (h_n, c_n) start the decoder over a target of another length S; the head reads
 * the decoder's outputs and final states, and the encoder's first step.
 */
@Model(inputDims = {"T", "4"})
public class Seq2Seq extends Module {
  @Layer LSTM encoder = new LSTM(4, 6, 2);
  @Layer LSTM decoder = new LSTM(3, 6, 2);
  @Layer Linear head = new Linear(6, 2);

  public Tensor forward(Tensor src) {
    throw new UnsupportedOperationException("Seq2Seq takes a target and the encoder's initial states too");
  }

  @Forward
  public Tensor forward(Tensor src, @Input({"B", "S", "3"}) Tensor tgt, @Input({"2", "B", "6"}) Tensor h0,
      @Input({"2", "B", "6"}) Tensor c0) {
    LSTM.Output enc = encoder.forward(src, h0, c0);
    LSTM.Output dec = decoder.forward(tgt, enc.hn(), enc.cn());
    Tensor last = dec.hn().add(F.tanh(dec.cn())).mean(0);
    Tensor first = enc.output().narrow(1, 0, 1).squeeze(1);
    return head.forward(dec.output().mean(1).add(last)).add(head.forward(first));
  }
}

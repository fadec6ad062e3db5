package dev.flint.benchmarks.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.LSTM;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Index;
import dev.flint.tensor.Tensor;

/**
 * lstm_small: pytorch_bench.py's {@code LstmClassifier}: digits read row by row, 8 steps of 8 pixels, LSTM(8, 64)
 * batch first, the last step's hidden state -> Linear(64, 10); x: [B, 8, 8] -> [B, 10].
 */
@Model(input = {8, 8})
public class LstmSmall extends Module {
  @Layer LSTM lstm = new LSTM(8, 64);
  @Layer Linear fc = new Linear(64, 10);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    Tensor out = lstm.forward(x);
    return fc.forward(out.index(Index.all(), Index.at(-1)));
  }
}

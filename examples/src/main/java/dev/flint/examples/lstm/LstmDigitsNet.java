package dev.flint.examples.lstm;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.LSTM;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Index;
import dev.flint.tensor.Tensor;

/**
 * Reads an 8×8 digit row by row: an 8-step sequence of 8 pixels through {@code LSTM(8, 64)} (batch
 * first), and the last step's hidden state to 10 class scores. {@code x: [batch, 64] -> [batch, 10]};
 * the same network as {@code LstmClassifier} in the PyTorch benchmark.
 *
 * <p>Runs eagerly as {@code new LstmDigitsNet()} or compiled as {@code new CompiledLstmDigitsNet()}.
 */
@Model(input = {64})
public class LstmDigitsNet extends Module {
  /** Rows of an image: the sequence length. */
  public static final int STEPS = 8;
  /** Pixels per row: the features of one step. */
  public static final int ROW = 8;
  /** Hidden units of the LSTM. */
  public static final int HIDDEN = 64;

  @Layer LSTM lstm = new LSTM(ROW, HIDDEN);
  @Layer Linear fc = new Linear(HIDDEN, 10);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    int b = x.size(0);
    Tensor rows = x.reshape(b, STEPS, ROW);   // [B, 8 steps, 8 pixels]
    Tensor out = lstm.forward(rows);          // [B, 8, 64]: the hidden state of every step
    return fc.forward(out.index(Index.all(), Index.at(-1)));
  }
}

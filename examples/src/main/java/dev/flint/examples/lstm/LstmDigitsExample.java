package dev.flint.examples.lstm;

import dev.flint.examples.digits.DigitsExample;
import dev.flint.examples.training.Console;
import dev.flint.examples.training.RunOptions;

/**
 * The digits read row by row by an LSTM ({@link LstmDigitsNet}): the same data, split, loop,
 * checkpoint and test as {@link DigitsExample}, with a recurrent network instead of the MLP.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.flint.examples.lstm.LstmDigitsExample
 * </pre>
 *
 * Writes {@code loss.svg}, {@code best.safetensors} and {@code predictions.csv} into
 * {@code runs/lstm-digits/} (or {@code --out}).
 */
public final class LstmDigitsExample {
  /** The example's name: its default output directory is {@code runs/lstm-digits}. */
  public static final String NAME = "lstm-digits";
  /** The default number of epochs. */
  public static final int EPOCHS = 30;
  /** Adam's learning rate. */
  static final double LR = 3e-3;

  /** The network, its description and learning rate, for {@link DigitsExample#run(RunOptions, DigitsExample.Setup)}. */
  public static final DigitsExample.Setup SETUP =
      new DigitsExample.Setup(NAME, "LSTM(8, 64) over 8 rows of 8 pixels", LstmDigitsExample::newModel, LR);

  private LstmDigitsExample() {}

  /** A fresh network: compiled by default, eager (op by op) when {@code eager}. */
  static LstmDigitsNet newModel(boolean eager) {
    return eager ? new LstmDigitsNet() : new CompiledLstmDigitsNet();
  }

  public static void main(String[] args) {
    Console.launch(NAME, EPOCHS, args, LstmDigitsExample::run);
  }

  /** Trains, keeps the best model, reloads it and tests it; prints progress and results. */
  public static DigitsExample.Result run(RunOptions options) {
    return DigitsExample.run(options, SETUP);
  }
}

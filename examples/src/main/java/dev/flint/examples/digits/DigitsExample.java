package dev.flint.examples.digits;

import dev.flint.autograd.Autograd;
import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.examples.training.Console;
import dev.flint.examples.training.Predictions;
import dev.flint.examples.training.RunOptions;
import dev.flint.examples.training.Training;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.Module;
import dev.flint.optim.Adam;
import dev.flint.tensor.Generator;
import dev.flint.train.BestCheckpoint;
import dev.flint.train.EarlyStopping;
import dev.flint.train.Evaluation;
import dev.flint.train.LossCurve;
import dev.flint.train.ProgressBar;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Classification of 8×8 handwritten digits with an MLP, CrossEntropyLoss and Adam: train, keep
 * the epoch with the best validation loss on disk, reload it and report test accuracy.
 *
 * <pre>
 * mvn -q -pl examples exec:java                       (this is the examples' default main class)
 * mvn -q -pl examples exec:java -Dexec.args="--epochs 30 --out runs/digits"
 * </pre>
 *
 * Writes {@code loss.svg}, {@code best.safetensors} and {@code predictions.csv} into the output
 * directory ({@code runs/digits/} by default).
 */
public final class DigitsExample {
  /** The example's name: its default output directory is {@code runs/digits}. */
  public static final String NAME = "digits";
  /** The default number of epochs. */
  public static final int EPOCHS = 30;
  static final int BATCH_SIZE = 32;
  static final double LR = 1e-3;

  /** The MLP of this example, trained with Adam at {@link #LR}. */
  public static final Setup MLP = new Setup(NAME, "an MLP", DigitsExample::newModel, LR);

  private DigitsExample() {}

  /**
   * What differs between the programs that classify the digits (this MLP, the LSTM example): the
   * output name, how the network is described, how a fresh network is made, the learning rate.
   *
   * @param name the example's name: the default output directory is {@code runs/<name>}
   * @param description the network in words, printed at the start
   * @param newModel a fresh network: compiled, or eager when given {@code true}
   * @param lr Adam's learning rate
   */
  public record Setup(String name, String description, Function<Boolean, Module> newModel, double lr) {}

  /**
   * What a run produced.
   *
   * @param curve the train and valid cross-entropy per epoch
   * @param bestEpoch the epoch (1-based) with the lowest validation loss, whose weights were saved
   * @param bestValidLoss that lowest validation loss
   * @param reloadedValidLoss the validation loss of the model reloaded from disk (equals bestValidLoss)
   * @param validAccuracy the reloaded model's accuracy on the validation set
   * @param testAccuracy the reloaded model's accuracy on the test set
   * @param testSamples the number of test samples
   * @param seconds the wall time of the training epochs
   * @param out the directory holding loss.svg, best.safetensors and predictions.csv
   * @param mode how the model ran: "compiled" or "eager"
   */
  public record Result(LossCurve curve, int bestEpoch, double bestValidLoss, double reloadedValidLoss,
      double validAccuracy, double testAccuracy, int testSamples, double seconds, Path out, String mode) {}

  public static void main(String[] args) {
    Console.launch(NAME, EPOCHS, args, DigitsExample::run);
  }

  /** A fresh network: compiled by default, eager (op by op) when {@code eager}. */
  static DigitsNet newModel(boolean eager) {
    return eager ? new DigitsNet() : new CompiledDigitsNet();
  }

  /** Trains the MLP, keeps the best model, reloads it and tests it; prints progress and results. */
  public static Result run(RunOptions options) {
    return run(options, MLP);
  }

  /** Trains {@code setup}'s network, keeps the best model, reloads it and tests it; prints progress and results. */
  public static Result run(RunOptions options, Setup setup) {
    Generator.seedAll(options.seed());
    DigitsData data = DigitsData.load(options.seed());

    DataLoader trainLoader = DataLoader.builder(data.train()).batchSize(BATCH_SIZE).shuffle(true).seed(options.seed()).build();
    DataLoader validLoader = new DataLoader(data.valid(), 256);
    DataLoader testLoader = new DataLoader(data.test(), 256);

    Module model = setup.newModel().apply(options.eager());
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Adam optimizer = new Adam(model.parameters(), setup.lr());
    System.out.printf(Locale.ROOT, "%s: %s on %d train, %d valid, %d test images of 8x8 pixels; %s model%n",
        setup.name(), setup.description(), data.train().size(), data.valid().size(), data.test().size(),
        Training.mode(model));
    // A compiled model prints the processor's report: shapes, parameters, FLOPs, saved bytes.
    System.out.println(model instanceof CompiledDigitsNet compiled ? compiled.summary() : model);

    BestCheckpoint best = new BestCheckpoint(options.out().resolve("best.safetensors"));
    EarlyStopping stop = options.patience() > 0 ? new EarlyStopping(options.patience()) : null;
    LossCurve curve = new LossCurve(setup.name() + ": cross-entropy loss");
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      try (ProgressBar bar = ProgressBar.forEpoch(epoch, options.epochs(), trainLoader.size())) {
        double trainLoss = Training.trainEpoch(model, trainLoader, lossFn, optimizer, bar);
        double validLoss = Evaluation.meanLoss(model, validLoader, lossFn);
        double validAccuracy = Evaluation.accuracy(model, validLoader);
        curve.add(trainLoss, validLoss);
        boolean improved = best.update(epoch, validLoss, model); // saved atomically when it is the best so far
        bar.close(String.format(Locale.ROOT, "valid_loss=%.4f valid_acc=%.1f%%%s",
            validLoss, 100 * validAccuracy, improved ? " *saved*" : ""));
        if (stop != null && stop.update(validLoss)) {
          System.out.printf("early stop: no better valid_loss in %d epochs%n", options.patience());
          break;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    curve.writeSvg(options.out().resolve("loss.svg"));

    Module reloaded = setup.newModel().apply(options.eager());
    best.restore(reloaded);
    double reloadedValid = Evaluation.meanLoss(reloaded, validLoader, lossFn);
    double validAccuracy = Evaluation.accuracy(reloaded, validLoader);
    System.out.printf(Locale.ROOT, "best epoch %d: valid_loss=%.6f; reloaded from %s: valid_loss=%.6f%n",
        best.bestEpoch(), best.bestValue(), best.file(), reloadedValid);

    long[][] test = predict(reloaded, testLoader, data.test().size());
    int[] rows = data.test().indices();
    double[] rowColumn = new double[rows.length];
    double[] labels = new double[rows.length];
    double[] predicted = new double[rows.length];
    int correct = 0;
    for (int i = 0; i < rows.length; i++) {
      rowColumn[i] = rows[i];
      labels[i] = test[0][i];
      predicted[i] = test[1][i];
      correct += test[0][i] == test[1][i] ? 1 : 0;
    }
    Path csv = options.out().resolve("predictions.csv");
    Predictions.writeCsv(csv, List.of("row", "label", "predicted"), rowColumn, labels, predicted);
    double testAccuracy = (double) correct / rows.length;
    System.out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d/%d)  (%d epochs in %.1f s)%n",
        100 * testAccuracy, correct, rows.length, curve.epochs(), seconds);
    System.out.printf("wrote %s, %s, %s%n", options.out().resolve("loss.svg"), best.file(), csv);
    return new Result(curve, best.bestEpoch(), best.bestValue(), reloadedValid, validAccuracy, testAccuracy, rows.length,
        seconds, options.out(), Training.mode(model));
  }

  /** The labels and predicted classes of {@code n} samples: {@code {labels, predicted}}; eval mode, no grad. */
  static long[][] predict(Module model, DataLoader loader, int n) {
    model.eval();
    long[] labels = new long[n];
    long[] predicted = new long[n];
    int at = 0;
    try (var noGrad = Autograd.noGrad()) {
      for (Batch batch : loader) {
        long[] p = model.forward(batch.x()).argmax(1).toLongArray();
        long[] y = batch.y().toLongArray();
        System.arraycopy(y, 0, labels, at, y.length);
        System.arraycopy(p, 0, predicted, at, p.length);
        at += y.length;
      }
    }
    return new long[][] {labels, predicted};
  }
}

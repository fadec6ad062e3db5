package dev.flint.examples.diabetes;

import dev.flint.autograd.Autograd;
import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.examples.training.Console;
import dev.flint.examples.training.Predictions;
import dev.flint.examples.training.RunOptions;
import dev.flint.examples.training.Training;
import dev.flint.nn.MSELoss;
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.train.BestCheckpoint;
import dev.flint.train.EarlyStopping;
import dev.flint.train.Evaluation;
import dev.flint.train.LossCurve;
import dev.flint.train.ProgressBar;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Regression on the diabetes data, the PyTorch tutorial's workflow end to end: Dataset and
 * DataLoader, a train/valid/test split, a Linear-ReLU network, MSELoss, SGD with momentum,
 * validation in eval mode under no-grad, the best model kept on disk, reloaded, and its test
 * predictions written to CSV.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.flint.examples.diabetes.DiabetesExample -Dexec.args="--epochs 60"
 * </pre>
 *
 * Writes {@code loss.svg}, {@code best.safetensors} and {@code predictions.csv} into the output
 * directory ({@code runs/diabetes/} by default).
 */
public final class DiabetesExample {
  /** The example's name: its default output directory is {@code runs/diabetes}. */
  public static final String NAME = "diabetes";
  /** The default number of epochs. */
  public static final int EPOCHS = 60;
  static final int BATCH_SIZE = 32;
  static final double LR = 0.003;
  static final double MOMENTUM = 0.9;
  static final double WEIGHT_DECAY = 1e-3;

  private DiabetesExample() {}

  /**
   * What a run produced.
   *
   * @param curve the train and valid loss per epoch (MSE of the standardized target)
   * @param bestEpoch the epoch (1-based) with the lowest validation loss, whose weights were saved
   * @param bestValidLoss that lowest validation loss
   * @param reloadedValidLoss the validation loss of the model reloaded from disk (equals bestValidLoss)
   * @param testMse the test mean squared error in disease-progression units
   * @param testR2 the test coefficient of determination R²
   * @param seconds the wall time of the training epochs
   * @param out the directory holding loss.svg, best.safetensors and predictions.csv
   * @param mode how the model ran: "compiled" or "eager"
   */
  public record Result(LossCurve curve, int bestEpoch, double bestValidLoss, double reloadedValidLoss,
      double testMse, double testR2, double seconds, Path out, String mode) {}

  public static void main(String[] args) {
    Console.launch(NAME, EPOCHS, args, DiabetesExample::run);
  }

  /** A fresh network: compiled by default, eager (op by op) when {@code eager}. */
  static DiabetesNet newModel(boolean eager) {
    return eager ? new DiabetesNet() : new CompiledDiabetesNet();
  }

  /** Trains, keeps the best model, reloads it and tests it; prints progress and results. */
  public static Result run(RunOptions options) {
    Generator.seedAll(options.seed()); // the initial weights
    DiabetesData data = DiabetesData.load(options.seed());

    DataLoader trainLoader = DataLoader.builder(data.train()).batchSize(BATCH_SIZE).shuffle(true).seed(options.seed()).build();
    DataLoader validLoader = new DataLoader(data.valid(), 64);
    DataLoader testLoader = new DataLoader(data.test(), 64);

    DiabetesNet model = newModel(options.eager());
    MSELoss lossFn = new MSELoss();
    SGD optimizer = new SGD(model.parameters(), LR).momentum(MOMENTUM).weightDecay(WEIGHT_DECAY);
    System.out.printf(Locale.ROOT, "diabetes: %d train, %d valid, %d test samples; %s model%n",
        data.train().size(), data.valid().size(), data.test().size(), Training.mode(model));
    // A compiled model prints the processor's report: shapes, parameters, FLOPs, saved bytes.
    System.out.println(model instanceof CompiledDiabetesNet compiled ? compiled.summary() : model);

    BestCheckpoint best = new BestCheckpoint(options.out().resolve("best.safetensors"));
    EarlyStopping stop = options.patience() > 0 ? new EarlyStopping(options.patience()) : null;
    LossCurve curve = new LossCurve("diabetes: MSE of the standardized target");
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      try (ProgressBar bar = ProgressBar.forEpoch(epoch, options.epochs(), trainLoader.size())) {
        double trainLoss = Training.trainEpoch(model, trainLoader, lossFn, optimizer, bar);
        double validLoss = Evaluation.meanLoss(model, validLoader, lossFn);
        curve.add(trainLoss, validLoss);
        boolean improved = best.update(epoch, validLoss, model); // atomic: a crash mid-save keeps the previous best
        bar.close(String.format(Locale.ROOT, "valid_loss=%.4f%s", validLoss, improved ? " *saved*" : ""));
        if (stop != null && stop.update(validLoss)) {
          System.out.printf("early stop: no better valid_loss in %d epochs%n", options.patience());
          break;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    curve.writeSvg(options.out().resolve("loss.svg"));

    // Reload the best weights into a fresh model, as a later program would.
    DiabetesNet reloaded = newModel(options.eager());
    best.restore(reloaded);
    double reloadedValid = Evaluation.meanLoss(reloaded, validLoader, lossFn);
    System.out.printf(Locale.ROOT, "best epoch %d: valid_loss=%.6f; reloaded from %s: valid_loss=%.6f%n",
        best.bestEpoch(), best.bestValue(), best.file(), reloadedValid);

    double[][] test = predict(reloaded, testLoader, data);
    int[] rows = data.test().indices();
    double[] rowColumn = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      rowColumn[i] = rows[i];
    }
    Path csv = options.out().resolve("predictions.csv");
    Predictions.writeCsv(csv, List.of("row", "target", "prediction"), rowColumn, test[0], test[1]);
    double mse = meanSquaredError(test[0], test[1]);
    double r2 = rSquared(test[0], test[1]);
    System.out.printf(Locale.ROOT, "test: MSE=%.1f  RMSE=%.1f  R²=%.3f  (%d samples, %d epochs in %.1f s)%n",
        mse, Math.sqrt(mse), r2, rows.length, curve.epochs(), seconds);
    System.out.printf("wrote %s, %s, %s%n", options.out().resolve("loss.svg"), best.file(), csv);
    return new Result(curve, best.bestEpoch(), best.bestValue(), reloadedValid, mse, r2, seconds, options.out(),
        Training.mode(model));
  }

  /** The targets and predictions of the test samples ({@code loader} runs over them), in disease-progression units: {@code {targets, predictions}}. */
  static double[][] predict(DiabetesNet model, DataLoader loader, DiabetesData data) {
    model.eval();
    int n = data.test().size();
    double[] targets = new double[n];
    double[] predictions = new double[n];
    int at = 0;
    try (var noGrad = Autograd.noGrad()) {
      for (Batch batch : loader) {
        double[] y = batch.y().toDoubleArray();
        double[] p = model.forward(batch.x()).toDoubleArray();
        for (int i = 0; i < y.length; i++, at++) {
          targets[at] = data.target().inverse(0, y[i]);
          predictions[at] = data.target().inverse(0, p[i]);
        }
      }
    }
    return new double[][] {targets, predictions};
  }

  static double meanSquaredError(double[] y, double[] p) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += (y[i] - p[i]) * (y[i] - p[i]);
    }
    return s / y.length;
  }

  /** The coefficient of determination {@code 1 - SS_res / SS_tot}. */
  static double rSquared(double[] y, double[] p) {
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    double res = 0;
    double tot = 0;
    for (int i = 0; i < y.length; i++) {
      res += (y[i] - p[i]) * (y[i] - p[i]);
      tot += (y[i] - mean) * (y[i] - mean);
    }
    return 1 - res / tot;
  }
}

package dev.flint.spark.example;

import dev.flint.autograd.Autograd;
import dev.flint.data.Sample;
import dev.flint.data.Subset;
import dev.flint.examples.digits.CompiledDigitsNet;
import dev.flint.examples.digits.DigitsData;
import dev.flint.examples.digits.DigitsNet;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.Module;
import dev.flint.optim.Adam;
import dev.flint.spark.SparkScorer;
import dev.flint.spark.SparkTrainer;
import dev.flint.spark.TrainingResult;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The digits classifier of the examples module trained on Spark with data-parallel workers, then
 * used to score a Parquet file of digits: the same model, data split, optimizer, batch size and
 * epochs as {@code DigitsExample}, and, as there, the weights of the epoch with the lowest
 * validation loss are kept.
 *
 * <pre>
 * mvn -q -pl spark test-compile exec:exec                                  (local[2], 2 workers)
 * mvn -q -pl spark test-compile exec:exec -Dflint.args="--workers 1 --epochs 10"
 * </pre>
 *
 * Options: {@code --master URL} (default {@code local[2]}), {@code --workers N} (2),
 * {@code --epochs N} (30), {@code --local-sgd K} (off: synchronous), {@code --seed S} (0),
 * {@code --out DIR} ({@code runs/spark-digits}, for the Parquet files and the weights).
 */
public final class SparkDigits {
  static final int BATCH_SIZE = 32;
  static final double LR = 1e-3;

  private SparkDigits() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    String master = o.getOrDefault("master", "local[2]");
    int workers = Integer.parseInt(o.getOrDefault("workers", "2"));
    int epochs = Integer.parseInt(o.getOrDefault("epochs", "30"));
    int localSgd = Integer.parseInt(o.getOrDefault("local-sgd", "0"));
    long seed = Long.parseLong(o.getOrDefault("seed", "0"));
    Path out = Path.of(o.getOrDefault("out", "runs/spark-digits")).toAbsolutePath();
    Files.createDirectories(out);

    SparkSession spark = SparkSession.builder().master(master).appName("flint-spark-digits")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      Generator.seedAll(seed);
      DigitsData data = DigitsData.load(seed);
      String train = out.resolve("train.parquet").toUri().toString();
      String test = out.resolve("test.parquet").toUri().toString();
      frame(spark, data.train()).write().mode(SaveMode.Overwrite).parquet(train);
      frame(spark, data.test()).write().mode(SaveMode.Overwrite).parquet(test);
      System.out.printf(Locale.ROOT, "digits on Spark %s (%s): %d train images in %s, %d test images in %s%n",
          spark.version(), master, data.train().size(), train, data.test().size(), test);

      DigitsNet model = new CompiledDigitsNet();
      BestEpoch best = new BestEpoch(model, data.valid(), Math.max(1, (data.train().size() + BATCH_SIZE - 1) / BATCH_SIZE));
      SparkTrainer.Builder trainer = SparkTrainer.builder(CompiledDigitsNet::new)
          .optimizer(params -> new Adam(params, LR))
          .loss(CrossEntropyLoss::new)
          .featuresArray("pixels").featureWidth(DigitsData.PIXELS)
          .label("label")
          .workers(workers).batchSize(BATCH_SIZE).seed(seed)
          .listener(best::afterStep);
      if (localSgd > 0) {
        trainer.localSgd(localSgd);
      }
      TrainingResult result = trainer.build().fit(model, spark.read().parquet(train), epochs);
      double samplesPerSecond = result.samples() * (double) epochs / result.seconds();
      System.out.printf(Locale.ROOT, "%s, %d workers: %d steps in %.1f s = %.0f samples/s; %.1f ms per %s, of which"
              + " %.1f ms coordination (not computing on the slowest worker)%n",
          localSgd > 0 ? "local SGD every " + localSgd + " steps" : "synchronous", workers, result.steps(),
          result.seconds(), samplesPerSecond, result.stepMillis(), localSgd > 0 ? "round" : "step",
          result.coordinationMillis());

      model.loadStateDict(best.weights);
      Path weights = out.resolve("best.safetensors");
      model.save(weights);
      Dataset<Row> scored = SparkScorer.forModel(CompiledDigitsNet.class)
          .weights(model.stateDict())
          .featuresArray("pixels")
          .classes("predicted", "probability")
          .score(spark.read().parquet(test));
      long total = scored.count();
      long correct = scored.where("predicted = label").count();
      System.out.printf(Locale.ROOT, "best epoch %d (valid loss %.4f), saved to %s%n", best.epoch, best.loss, weights);
      System.out.printf(Locale.ROOT, "test accuracy scored on Spark: %.2f%% (%d/%d)%n", 100.0 * correct / total, correct,
          total);
    } finally {
      spark.stop();
    }
  }

  /** Keeps the weights of the epoch with the lowest validation loss, evaluated on the driver. */
  static final class BestEpoch {
    private final Module model;
    private final Tensor x;
    private final Tensor y;
    private final int stepsPerEpoch;
    Map<String, Tensor> weights;
    double loss = Double.POSITIVE_INFINITY;
    int epoch;

    BestEpoch(Module model, Subset<Sample> valid, int stepsPerEpoch) {
      this.model = model;
      this.stepsPerEpoch = stepsPerEpoch;
      List<Tensor> xs = new ArrayList<>();
      List<Tensor> ys = new ArrayList<>();
      for (int i = 0; i < valid.size(); i++) {
        xs.add(valid.get(i).x());
        ys.add(valid.get(i).y());
      }
      this.x = Tensor.stack(0, xs.toArray(new Tensor[0]));
      this.y = Tensor.stack(0, ys.toArray(new Tensor[0]));
    }

    void afterStep(long step, int epochIndex, double trainLoss) {
      if (step % stepsPerEpoch != 0) {
        return;
      }
      model.eval();
      double valid;
      try (var noGrad = Autograd.noGrad()) {
        valid = new CrossEntropyLoss().forward(model.forward(x), y).item();
      }
      model.train();
      boolean improved = valid < loss;
      if (improved) {
        loss = valid;
        epoch = epochIndex + 1;
        weights = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> weights.put(k, v.copyData()));
      }
      System.out.printf(Locale.ROOT, "epoch %2d  train_loss=%.4f  valid_loss=%.4f%s%n", epochIndex + 1, trainLoss, valid,
          improved ? " *best*" : "");
    }
  }

  /** Columns pixels (array<float>, 64 values in [0, 1]) and label (int). */
  static Dataset<Row> frame(SparkSession spark, Subset<Sample> samples) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      float[] pixels = s.x().toFloatArray();
      List<Float> boxed = new ArrayList<>(pixels.length);
      for (float p : pixels) {
        boxed.add(p);
      }
      rows.add(RowFactory.create(boxed, (int) s.y().item()));
    }
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField("label", DataTypes.IntegerType, false)));
    return spark.createDataFrame(rows, schema);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException("usage: [--master URL] [--workers N] [--epochs N] [--local-sgd K] [--seed S]"
            + " [--out DIR]; got " + String.join(" ", args));
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return o;
  }
}

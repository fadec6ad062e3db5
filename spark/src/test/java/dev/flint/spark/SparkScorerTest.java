package dev.flint.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SparkScorerTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.local();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Module trainedLooking(DType dtype) {
    Generator.seedAll(7);
    Module model = new CompiledTinyNet();
    return model.to(dtype);
  }

  /** The model's outputs for every row, computed here in one batch: the truth the executors must match. */
  static double[][] localLogits(Module model, double[][] x, DType dtype) {
    double[] flat = new double[x.length * x[0].length];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, flat, i * x[0].length, x[0].length);
    }
    model.eval();
    try (var noGrad = Autograd.noGrad()) {
      double[] y = model.forward(Tensor.of(flat, x.length, x[0].length).to(dtype)).toDoubleArray();
      int k = y.length / x.length;
      double[][] out = new double[x.length][];
      for (int i = 0; i < x.length; i++) {
        out[i] = Arrays.copyOfRange(y, i * k, (i + 1) * k);
      }
      return out;
    }
  }

  @Test
  void logitsOfAnArrayColumnEqualTheLocalModelsInEveryPartitionAndBatch() {
    ScoringData data = new ScoringData(37, 4, 1);
    Module model = trainedLooking(DType.FLOAT32);
    double[][] truth = localLogits(model, data.x, DType.FLOAT32);

    List<Row> scored = SparkScorer.forModel(CompiledTinyNet.class)
        .weights(model.stateDict())
        .featuresArray("features")
        .batchSize(5)
        .score(data.asFloatArrays(spark, 3))
        .select("id", "logits")
        .collectAsList();

    assertEquals(37, scored.size());
    for (Row row : scored) {
      List<Object> logits = row.getList(1);
      double[] want = truth[row.getInt(0)];
      assertEquals(want.length, logits.size());
      for (int j = 0; j < want.length; j++) {
        assertEquals(want[j], ((Float) logits.get(j)).doubleValue(), 1e-6 * Math.max(1, Math.abs(want[j])),
            "row " + row.getInt(0) + " logit " + j);
      }
    }
  }

  @Test
  void classAndProbabilityFromNumericColumnsInFloat64() {
    ScoringData data = new ScoringData(29, 4, 2);
    Module model = trainedLooking(DType.FLOAT64);
    double[][] truth = localLogits(model, data.x, DType.FLOAT64);

    List<Row> scored = SparkScorer.forModel(CompiledTinyNet.class.getName())
        .weights(model.stateDict())
        .featureColumns(ScoringData.columnNames(4))
        .batchSize(8)
        .classes("digit", "p")
        .score(data.asColumns(spark, 2))
        .select("id", "digit", "p")
        .collectAsList();

    assertEquals(29, scored.size());
    for (Row row : scored) {
      double[] logits = truth[row.getInt(0)];
      int best = 0;
      double sum = 0;
      for (int j = 1; j < logits.length; j++) {
        best = logits[j] > logits[best] ? j : best;
      }
      for (double l : logits) {
        sum += Math.exp(l);
      }
      assertEquals(best, row.getLong(1), "row " + row.getInt(0));
      assertEquals(Math.exp(logits[best]) / sum, row.getDouble(2), 1e-12, "row " + row.getInt(0));
    }
  }

  @Test
  void anEagerModelScoresLikeItsCompiledTwin() {
    ScoringData data = new ScoringData(11, 4, 3);
    Module compiled = trainedLooking(DType.FLOAT64);
    double[][] truth = localLogits(compiled, data.x, DType.FLOAT64);

    List<Row> scored = SparkScorer.forModel(TinyNet.class)
        .weights(compiled.stateDict())
        .featureColumns(ScoringData.columnNames(4))
        .score(data.asColumns(spark, 2))
        .select("id", "logits")
        .collectAsList();

    for (Row row : scored) {
      List<Object> logits = row.getList(1);
      for (int j = 0; j < 3; j++) {
        assertEquals(truth[row.getInt(0)][j], (Double) logits.get(j), 1e-12);
      }
    }
  }

  // ---------------------------------------------------------------- bad input, refused on the driver

  @Test
  void aFeatureArrayOfTheWrongWidthIsRefusedBeforeTheJobNamingTheColumn() {
    Dataset<Row> five = new ScoringData(6, 5, 4).asFloatArrays(spark, 1);
    SparkScorer scorer = SparkScorer.forModel(CompiledTinyNet.class)
        .weights(trainedLooking(DType.FLOAT32).stateDict())
        .featuresArray("features");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scorer.score(five));
    assertTrue(e.getMessage().contains("does not take 5 features from the array column 'features'"), e.getMessage());
  }

  @Test
  void aFeatureColumnOfTheWrongTypeIsRefusedNamingIt() {
    Dataset<Row> data = new ScoringData(3, 4, 5).asColumns(spark, 1).withColumn("f2", functions.lit("text"));
    SparkScorer scorer = SparkScorer.forModel(CompiledTinyNet.class)
        .weights(trainedLooking(DType.FLOAT32).stateDict())
        .featureColumns(ScoringData.columnNames(4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scorer.score(data));
    assertEquals("feature column 'f2' must be numeric, but it is string", e.getMessage());

    SparkScorer arrays = SparkScorer.forModel(CompiledTinyNet.class)
        .weights(trainedLooking(DType.FLOAT32).stateDict())
        .featuresArray("f0");
    e = assertThrows(IllegalArgumentException.class, () -> arrays.score(data));
    assertTrue(e.getMessage().startsWith("feature column 'f0' must be array<float> or array<double>, but it is double"),
        e.getMessage());

    SparkScorer missing = SparkScorer.forModel(CompiledTinyNet.class)
        .weights(trainedLooking(DType.FLOAT32).stateDict())
        .featuresArray("pixels");
    e = assertThrows(IllegalArgumentException.class, () -> missing.score(data));
    assertTrue(e.getMessage().startsWith("the feature column 'pixels' is not in the data; its columns are [id, f0"),
        e.getMessage());
  }

  @Test
  void weightsOfAnotherModelAreRefusedNamingTheKeys() {
    Dataset<Row> data = new ScoringData(3, 4, 6).asFloatArrays(spark, 1);
    SparkScorer scorer = SparkScorer.forModel(CompiledTinyNet.class)
        .weights(new CompiledOtherNet().stateDict())
        .featuresArray("features");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scorer.score(data));
    assertTrue(e.getMessage().startsWith("the weights do not fit model class dev.flint.spark.CompiledTinyNet"), e.getMessage());
    assertTrue(e.getMessage().contains("\"head.weight\""), e.getMessage());
    assertTrue(e.getMessage().contains("\"fc1.weight\""), e.getMessage());
  }

  @Test
  void aModelClassThatCannotBeFoundIsNamed() {
    Dataset<Row> data = new ScoringData(3, 4, 7).asFloatArrays(spark, 1);
    SparkScorer scorer = SparkScorer.forModel("com.example.MissingNet")
        .weights(trainedLooking(DType.FLOAT32).stateDict())
        .featuresArray("features");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> scorer.score(data));
    assertTrue(e.getMessage().startsWith("model class com.example.MissingNet is not on the classpath of the driver"),
        e.getMessage());
    // the executors' side of the same check, which a driver that has the class cannot reach
    e = assertThrows(IllegalStateException.class, () -> ModelClasses.instantiate("com.example.MissingNet", "executor"));
    assertTrue(e.getMessage().contains("not on the classpath of the executor"), e.getMessage());
  }

  @Test
  void aRowWhoseArrayIsShorterFailsTheJobNamingTheColumn() {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(0, Arrays.asList(1f, 2f, 3f, 4f)));
    rows.add(RowFactory.create(1, Arrays.asList(1f, 2f, 3f)));
    Dataset<Row> data = spark.createDataFrame(rows, DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.IntegerType, false),
        DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType), false)))).coalesce(1);
    Dataset<Row> scored = SparkScorer.forModel(CompiledTinyNet.class)
        .weights(trainedLooking(DType.FLOAT32).stateDict())
        .featuresArray("features")
        .score(data);
    SparkException e = assertThrows(SparkException.class, scored::collectAsList);
    assertTrue(e.getMessage().contains("feature column 'features' holds 3 values in a row, but the model takes 4 features"),
        e.getMessage());
  }
}

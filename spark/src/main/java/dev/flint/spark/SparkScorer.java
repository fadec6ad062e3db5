package dev.flint.spark;

import dev.flint.autograd.Autograd;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Batch inference on Spark: scores every row of a {@code Dataset<Row>} with a Flint model and
 * returns the rows with the predictions appended.
 *
 * <pre>{@code
 * Dataset<Row> scored = SparkScorer.forModel(CompiledDigitsNet.class)
 *     .weights(model.stateDict())          // or SafeTensors.load(path)
 *     .featuresArray("pixels")             // or .featureColumns("a", "b", "c")
 *     .classes("digit", "probability")     // or .logits("logits")
 *     .batchSize(256)
 *     .score(images);
 * }</pre>
 *
 * The weights travel once, as safetensors bytes in a broadcast; each executor creates the model by
 * its class name (a public no-argument constructor; the class must be on the executors' classpath),
 * converts it to the weights' dtype, loads the weights and scores its partitions {@code batchSize}
 * rows at a time, without gradients, in eval mode. Before the job starts the driver creates the
 * model too, loads the weights strictly and runs it on one row of zeros, so a missing class, weights
 * of another model, a missing or mistyped column, or a feature width the model refuses fail at once
 * with a message naming the class, key or column.
 */
public final class SparkScorer {
  private final String modelClass;
  private Map<String, Tensor> weights;
  private FeatureColumns features;
  private int featureWidth = -1;
  private int batchSize = 256;
  private Predictions predictions = Predictions.logits("logits");

  private SparkScorer(String modelClass) {
    this.modelClass = Objects.requireNonNull(modelClass, "modelClass");
  }

  /** A scorer for the model class named {@code className} (e.g. a processor-written {@code CompiledNet}). */
  public static SparkScorer forModel(String className) {
    return new SparkScorer(className);
  }

  /** A scorer for {@code type}, created by name on the executors. */
  public static SparkScorer forModel(Class<? extends Module> type) {
    return new SparkScorer(type.getName());
  }

  /** The weights to score with (a state dict; copied now, so later training does not change them). */
  public SparkScorer weights(Map<String, Tensor> stateDict) {
    Map<String, Tensor> copy = new LinkedHashMap<>();
    stateDict.forEach((k, v) -> copy.put(k, v.copyData()));
    this.weights = copy;
    return this;
  }

  /** The features of a row are the elements of this {@code array<float>} or {@code array<double>} column. */
  public SparkScorer featuresArray(String column) {
    this.features = FeatureColumns.arrayColumn(column);
    return this;
  }

  /** The features of a row are these numeric columns, in this order. */
  public SparkScorer featureColumns(String... columns) {
    this.features = FeatureColumns.numericColumns(columns);
    return this;
  }

  /**
   * The length of the feature array. Optional: without it the driver reads the first row's array
   * (a small job) to check the width against the model before scoring.
   */
  public SparkScorer featureWidth(int width) {
    if (width < 1) {
      throw new IllegalArgumentException("featureWidth must be at least 1, but is " + width);
    }
    this.featureWidth = width;
    return this;
  }

  /** Rows per forward pass on the executors (default 256). */
  public SparkScorer batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, but is " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** Appends the model's output row as an array column named {@code column} (the default, named "logits"). */
  public SparkScorer logits(String column) {
    this.predictions = Predictions.logits(column);
    return this;
  }

  /** Appends the index of the largest output ({@code long}) and its softmax probability ({@code double}). */
  public SparkScorer classes(String classColumn, String probabilityColumn) {
    this.predictions = Predictions.classes(classColumn, probabilityColumn);
    return this;
  }

  /** {@code data} with the prediction columns appended; lazy, like any Spark transformation. */
  public Dataset<Row> score(Dataset<Row> data) {
    if (weights == null) {
      throw new IllegalStateException("no weights: call weights(model.stateDict()) or weights(SafeTensors.load(path))");
    }
    if (features == null) {
      throw new IllegalStateException("no features: call featuresArray(column) or featureColumns(columns...)");
    }
    StructType schema = data.schema();
    FeatureColumns bound = features.bind(schema);
    DType dtype = dtypeOf(weights);
    StructType out = predictions.appendTo(schema, dtype);
    Module model = ModelClasses.instantiate(modelClass, "driver");
    model.to(dtype);
    try {
      model.loadStateDict(weights);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the weights do not fit model class " + modelClass + ": " + e.getMessage(), e);
    }
    int width = width(data, bound);
    if (width < 0) {
      return data.sparkSession().createDataFrame(List.of(), out);   // no rows to score
    }
    probe(model, width, dtype);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    Broadcast<byte[]> shipped = sc.broadcast(WeightsBytes.encode(weights));
    ScorePartition fn = new ScorePartition(modelClass, shipped, dtype, bound, width, batchSize, predictions);
    return data.mapPartitions(fn, Encoders.row(out));
  }

  private int width(Dataset<Row> data, FeatureColumns bound) {
    int fromSchema = bound.widthFromSchema();
    if (fromSchema > 0) {
      return fromSchema;
    }
    if (featureWidth > 0) {
      return featureWidth;
    }
    List<Row> first = data.select(bound.arrayName()).where(data.col(bound.arrayName()).isNotNull()).limit(1).collectAsList();
    return first.isEmpty() ? -1 : first.get(0).getList(0).size();
  }

  /** Runs the model on one row of zeros so that a width it refuses fails here, not on every executor. */
  private void probe(Module model, int width, DType dtype) {
    model.eval();
    Tensor y;
    try (var noGrad = Autograd.noGrad()) {
      y = model.forward(Tensor.zeros(dtype, 1, width));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("model class " + modelClass + " does not take " + width + " features from the "
          + features.describe() + ": " + e.getMessage(), e);
    }
    if (y.dim() != 2 || y.shape()[0] != 1) {
      throw new IllegalArgumentException("model class " + modelClass + " returned shape " + Arrays.toString(y.shape())
          + " for a batch of one row; the scorer needs one output row per input row, [batch, outputs]");
    }
  }

  static DType dtypeOf(Map<String, Tensor> state) {
    for (Tensor t : state.values()) {
      if (t.dtype().isFloatingPoint()) {
        return t.dtype();
      }
    }
    throw new IllegalArgumentException("the weights hold no floating-point tensor; expected a model's state dict");
  }
}

package dev.flint.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * A small three-class problem written to Parquet and read back, as training data arrives from a
 * data lake: column {@code x} (array<double>, 4 features) and {@code y} (int, the class).
 */
final class TrainingData {
  final Dataset<Row> frame;
  /** The rows in the frame's order (the order Spark numbers them in), for the single-process truth. */
  final double[][] x;
  final long[] y;

  TrainingData(SparkSession spark, int rows, long seed) throws Exception {
    Random random = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      Double[] v = new Double[4];
      for (int j = 0; j < 4; j++) {
        v[j] = random.nextGaussian();
      }
      int label = v[0] + 0.5 * v[1] > 0.3 ? 0 : v[2] - v[3] > 0 ? 1 : 2;
      out.add(RowFactory.create(Arrays.asList(v), label));
    }
    Path dir = Files.createDirectories(Path.of("target", "parquet")).resolve("train-" + seed + "-" + System.nanoTime());
    spark.createDataFrame(out, DataTypes.createStructType(List.of(
            DataTypes.createStructField("x", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
            DataTypes.createStructField("y", DataTypes.IntegerType, false))))
        .repartition(3)
        .write().parquet(dir.toUri().toString());
    frame = spark.read().parquet(dir.toUri().toString());
    List<Row> back = frame.collectAsList();
    x = new double[back.size()][];
    y = new long[back.size()];
    for (int i = 0; i < back.size(); i++) {
      List<Object> values = back.get(i).getList(0);
      x[i] = values.stream().mapToDouble(o -> (Double) o).toArray();
      y[i] = back.get(i).getInt(1);
    }
  }
}

package dev.flint.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Random feature rows for the scoring tests, as a DataFrame and as plain arrays for the local truth. */
final class ScoringData {
  final double[][] x;

  ScoringData(int rows, int width, long seed) {
    Random random = new Random(seed);
    x = new double[rows][width];
    for (double[] row : x) {
      for (int j = 0; j < width; j++) {
        row[j] = (float) (2 * random.nextDouble() - 1);   // exactly representable in FLOAT32
      }
    }
  }

  /** Columns id (int) and features (array<float>), in {@code partitions} partitions. */
  Dataset<Row> asFloatArrays(SparkSession spark, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      Float[] v = new Float[x[i].length];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) x[i][j];
      }
      rows.add(RowFactory.create(i, Arrays.asList(v)));
    }
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.IntegerType, false),
        DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
    return spark.createDataFrame(rows, schema).repartition(partitions);
  }

  /** Columns id (int) and f0, f1, ... (double), in {@code partitions} partitions. */
  Dataset<Row> asColumns(SparkSession spark, int partitions) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("id", DataTypes.IntegerType, false));
    for (int j = 0; j < x[0].length; j++) {
      fields.add(DataTypes.createStructField("f" + j, DataTypes.DoubleType, false));
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      Object[] values = new Object[x[i].length + 1];
      values[0] = i;
      for (int j = 0; j < x[i].length; j++) {
        values[j + 1] = x[i][j];
      }
      rows.add(RowFactory.create(values));
    }
    return spark.createDataFrame(rows, DataTypes.createStructType(fields)).repartition(partitions);
  }

  static String[] columnNames(int width) {
    String[] names = new String[width];
    for (int j = 0; j < width; j++) {
      names[j] = "f" + j;
    }
    return names;
  }
}

package dev.flint.spark;

import dev.flint.tensor.DType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What the scorer appends to each row: the model's output vector (logits), or the index of its
 * largest entry (the class) and that class's softmax probability.
 */
final class Predictions implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String logitsColumn;
  private final String classColumn;
  private final String probabilityColumn;

  private Predictions(String logitsColumn, String classColumn, String probabilityColumn) {
    this.logitsColumn = logitsColumn;
    this.classColumn = classColumn;
    this.probabilityColumn = probabilityColumn;
  }

  static Predictions logits(String column) {
    return new Predictions(column, null, null);
  }

  static Predictions classes(String classColumn, String probabilityColumn) {
    return new Predictions(null, classColumn, probabilityColumn);
  }

  List<String> columns() {
    return logitsColumn != null ? List.of(logitsColumn) : List.of(classColumn, probabilityColumn);
  }

  /** {@code input} plus the prediction columns; fails if one of their names is taken. */
  StructType appendTo(StructType input, DType dtype) {
    for (String c : columns()) {
      for (String existing : input.fieldNames()) {
        if (existing.equals(c)) {
          throw new IllegalArgumentException("the prediction column '" + c + "' already exists in the data; choose another name");
        }
      }
    }
    List<StructField> fields = new ArrayList<>(List.of(input.fields()));
    if (logitsColumn != null) {
      fields.add(DataTypes.createStructField(logitsColumn,
          DataTypes.createArrayType(dtype == DType.FLOAT64 ? DataTypes.DoubleType : DataTypes.FloatType, false), false));
    } else {
      fields.add(DataTypes.createStructField(classColumn, DataTypes.LongType, false));
      fields.add(DataTypes.createStructField(probabilityColumn, DataTypes.DoubleType, false));
    }
    return DataTypes.createStructType(fields);
  }

  /** The values appended for one row whose model output is {@code out[from .. from+k)}. */
  Object[] valuesFor(double[] out, int from, int k, DType dtype) {
    if (logitsColumn != null) {
      Object[] vector = new Object[k];
      for (int j = 0; j < k; j++) {
        vector[j] = dtype == DType.FLOAT64 ? (Object) out[from + j] : (Object) (float) out[from + j];
      }
      // Spark's row encoder takes a Scala Seq for an array column
      return new Object[] {CollectionConverters.asScala(Arrays.asList(vector)).toSeq()};
    }
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (out[from + j] > out[from + best]) {
        best = j;
      }
    }
    // softmax at the argmax: 1 / sum_j exp(l_j - l_max), stable for any logits
    double sum = 0;
    for (int j = 0; j < k; j++) {
      sum += Math.exp(out[from + j] - out[from + best]);
    }
    return new Object[] {(long) best, 1 / sum};
  }
}

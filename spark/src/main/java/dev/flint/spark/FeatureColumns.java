package dev.flint.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a row's features are: one {@code array<float>}/{@code array<double>} column holding the
 * whole vector, or several numeric columns, one feature each. Checked against a schema on the
 * driver; read row by row on the executors.
 */
final class FeatureColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] names;
  private final boolean array;
  private int[] indices;

  private FeatureColumns(String[] names, boolean array) {
    this.names = names;
    this.array = array;
  }

  /** The features are the elements of one array column. */
  static FeatureColumns arrayColumn(String name) {
    return new FeatureColumns(new String[] {name}, true);
  }

  /** The features are these numeric columns, in this order. */
  static FeatureColumns numericColumns(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("give at least one feature column");
    }
    return new FeatureColumns(names.clone(), false);
  }

  boolean isArray() {
    return array;
  }

  String describe() {
    return array ? "array column '" + names[0] + "'" : "columns " + Arrays.toString(names);
  }

  List<String> names() {
    return List.of(names);
  }

  String arrayName() {
    return names[0];
  }

  /** The number of features when known from the schema alone (several columns), else -1. */
  int widthFromSchema() {
    return array ? -1 : names.length;
  }

  /** Checks that the columns exist with usable types and remembers their positions in {@code schema}. */
  FeatureColumns bind(StructType schema) {
    int[] at = new int[names.length];
    for (int k = 0; k < names.length; k++) {
      at[k] = indexOf(schema, names[k], "feature");
      DataType type = schema.fields()[at[k]].dataType();
      if (array) {
        if (!(type instanceof ArrayType a) || !isNumber(a.elementType())) {
          throw new IllegalArgumentException("feature column '" + names[k] + "' must be array<float> or array<double>, but it is "
              + type.simpleString() + "; for one feature per column use several numeric columns");
        }
      } else if (!isNumber(type)) {
        throw new IllegalArgumentException("feature column '" + names[k] + "' must be numeric, but it is " + type.simpleString()
            + (type instanceof ArrayType ? "; an array column holds all features of a row: name it alone" : ""));
      }
    }
    FeatureColumns bound = new FeatureColumns(names, array);
    bound.indices = at;
    return bound;
  }

  /**
   * Writes the {@code width} features of {@code row} into {@code out} from {@code offset}; fails,
   * naming the column, on a null or on an array of another length.
   */
  void read(Row row, int width, double[] out, int offset) {
    if (array) {
      int i = indices[0];
      if (row.isNullAt(i)) {
        throw new IllegalArgumentException("feature column '" + names[0] + "' is null in row " + row);
      }
      List<Object> values = row.getList(i);
      if (values.size() != width) {
        throw new IllegalArgumentException("feature column '" + names[0] + "' holds " + values.size()
            + " values in a row, but the model takes " + width + " features");
      }
      for (int k = 0; k < width; k++) {
        Object v = values.get(k);
        if (v == null) {
          throw new IllegalArgumentException("feature column '" + names[0] + "' has a null at element " + k);
        }
        out[offset + k] = ((Number) v).doubleValue();
      }
    } else {
      for (int k = 0; k < width; k++) {
        int i = indices[k];
        if (row.isNullAt(i)) {
          throw new IllegalArgumentException("feature column '" + names[k] + "' is null in row " + row);
        }
        out[offset + k] = ((Number) row.get(i)).doubleValue();
      }
    }
  }

  /** The length of the array in {@code row}'s feature column (array columns only), or -1 for a null. */
  int arrayLength(Row row) {
    return row.isNullAt(indices[0]) ? -1 : row.getList(indices[0]).size();
  }

  static int indexOf(StructType schema, String name, String role) {
    String[] fields = schema.fieldNames();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("the " + role + " column '" + name + "' is not in the data; its columns are "
        + Arrays.toString(fields));
  }

  static boolean isNumber(DataType type) {
    return type instanceof NumericType || type instanceof DecimalType;
  }

  static StructField field(StructType schema, String name) {
    return schema.fields()[indexOf(schema, name, "feature")];
  }
}

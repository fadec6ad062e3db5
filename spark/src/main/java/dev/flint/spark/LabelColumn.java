package dev.flint.spark;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The training target of a row: an integer column holds a class index (an INT64 target of shape
 * {@code [batch]}, as {@code CrossEntropyLoss} takes); a float or double column one value (a target
 * of shape {@code [batch, 1]} in the model's dtype); an array column a vector ({@code [batch, k]}).
 */
final class LabelColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Kind { CLASS, VALUE, VECTOR }

  private final String name;
  private final Kind kind;
  private final int index;

  private LabelColumn(String name, Kind kind, int index) {
    this.name = name;
    this.kind = kind;
    this.index = index;
  }

  static LabelColumn bind(StructType schema, String name) {
    int index = FeatureColumns.indexOf(schema, name, "label");
    DataType type = schema.fields()[index].dataType();
    Kind kind;
    if (type == DataTypes.ByteType || type == DataTypes.ShortType || type == DataTypes.IntegerType
        || type == DataTypes.LongType) {
      kind = Kind.CLASS;
    } else if (FeatureColumns.isNumber(type)) {
      kind = Kind.VALUE;
    } else if (type instanceof ArrayType a && FeatureColumns.isNumber(a.elementType())) {
      kind = Kind.VECTOR;
    } else {
      throw new IllegalArgumentException("label column '" + name + "' must be an integer (a class index), a number or an"
          + " array of numbers, but it is " + type.simpleString());
    }
    return new LabelColumn(name, kind, index);
  }

  String name() {
    return name;
  }

  /** The number of values per row: 1, or the array's length in {@code row}. */
  int widthOf(Row row) {
    if (row.isNullAt(index)) {
      throw new IllegalArgumentException("label column '" + name + "' is null in row " + row);
    }
    return kind == Kind.VECTOR ? row.getList(index).size() : 1;
  }

  void read(Row row, int width, double[] out, int offset) {
    if (row.isNullAt(index)) {
      throw new IllegalArgumentException("label column '" + name + "' is null in row " + row);
    }
    if (kind != Kind.VECTOR) {
      out[offset] = ((Number) row.get(index)).doubleValue();
      return;
    }
    List<Object> values = row.getList(index);
    if (values.size() != width) {
      throw new IllegalArgumentException("label column '" + name + "' holds " + values.size()
          + " values in a row, but " + width + " in the first row");
    }
    for (int k = 0; k < width; k++) {
      out[offset + k] = ((Number) values.get(k)).doubleValue();
    }
  }

  /** The target tensor of {@code rows} labels of {@code width} values each. */
  Tensor tensor(double[] values, int rows, int width, DType dtype) {
    if (kind == Kind.CLASS) {
      long[] classes = new long[rows];
      for (int i = 0; i < rows; i++) {
        classes[i] = (long) values[i];
      }
      return Tensor.of(classes, rows);
    }
    return Tensor.of(values, rows, width).to(dtype);
  }
}

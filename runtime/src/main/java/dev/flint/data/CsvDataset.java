package dev.flint.data;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A dataset read from a CSV file (plain or gzipped) or a classpath resource: chosen feature
 * columns become {@code x}, one target column becomes {@code y}. Targets are INT64 class indices
 * for classification ({@code y} is 0-d per sample, {@code [batch]} per batch, as
 * {@code CrossEntropyLoss} wants) or floats for regression ({@code y: [1]} per sample,
 * {@code [batch, 1]} per batch, the shape of a {@code Linear(in, 1)} output). The whole file is
 * read when the dataset is built; a bad number or a ragged row fails with an
 * {@link IllegalArgumentException} naming the file, the line and the column, and a file that
 * cannot be read (or gzip data that is corrupt) with an {@link UncheckedIOException}. No input
 * makes it fail otherwise (fuzzed: {@code CsvDatasetFuzzTest}).
 *
 * <pre>{@code
 * CsvDataset iris = CsvDataset.fromResource(Main.class, "/data/iris.csv").skipLines(1).build();
 * CsvDataset x = CsvDataset.fromPath(dir.resolve("diabetes_data_raw.csv.gz"))
 *     .whitespaceSeparated().noTarget().build();
 * }</pre>
 *
 * Columns are numbered from 0; a negative column counts from the end ({@code -1} is the last).
 */
public final class CsvDataset implements Dataset<Sample> {
  private final String source;
  private final TensorDataset data;

  private CsvDataset(String source, TensorDataset data) {
    this.source = source;
    this.data = data;
  }

  /** A builder reading the file at {@code path} (gzipped when it starts with the gzip magic bytes). */
  public static Builder fromPath(Path path) {
    Objects.requireNonNull(path, "path");
    return new Builder(path.toString(), () -> {
      try {
        return Files.newInputStream(path);
      } catch (NoSuchFileException e) {
        throw new UncheckedIOException("CSV file " + path.toAbsolutePath() + " does not exist", e);
      }
    });
  }

  /** A builder reading a classpath resource, named as {@link Class#getResourceAsStream} names it. */
  public static Builder fromResource(Class<?> anchor, String name) {
    Objects.requireNonNull(anchor, "anchor");
    Objects.requireNonNull(name, "name");
    return new Builder(name, () -> {
      InputStream in = anchor.getResourceAsStream(name);
      if (in == null) {
        throw new IllegalArgumentException("CSV resource " + name + " was not found on the classpath (relative to "
            + anchor.getName() + "; start the name with '/' for an absolute one)");
      }
      return in;
    });
  }

  @Override
  public Sample get(int index) {
    return data.get(index);
  }

  @Override
  public int size() {
    return data.size();
  }

  /** All features, {@code [rows, features]}. */
  public Tensor features() {
    return data.x();
  }

  /** All targets: {@code [rows]} INT64 class indices, {@code [rows, 1]} regression values, or null. */
  public Tensor targets() {
    return data.y();
  }

  /** The file or resource the data came from. */
  public String source() {
    return source;
  }

  /** The data as a {@link TensorDataset} over {@link #features()} and {@link #targets()}. */
  public TensorDataset asTensorDataset() {
    return data;
  }

  /** The kind of target column. */
  private enum Target { CLASS, REGRESSION, NONE }

  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  /** Configures which columns to read and how; {@link #build()} reads the data. */
  public static final class Builder {
    private final String source;
    private final Opener opener;
    private char delimiter = ',';
    private boolean whitespace;
    private int skipLines;
    private int[] featureColumns;
    private int targetColumn = -1;
    private Target target = Target.CLASS;
    private DType dtype = DType.FLOAT32;

    private Builder(String source, Opener opener) {
      this.source = source;
      this.opener = opener;
    }

    /** The field separator (default {@code ','}). */
    public Builder delimiter(char delimiter) {
      this.delimiter = delimiter;
      this.whitespace = false;
      return this;
    }

    /** Fields are separated by runs of spaces or tabs (as {@code numpy.loadtxt} with no delimiter). */
    public Builder whitespaceSeparated() {
      this.whitespace = true;
      return this;
    }

    /** Skips the first {@code n} lines (a header row, or a line of counts as in the iris file). */
    public Builder skipLines(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("skipLines must be >= 0, but got " + n);
      }
      this.skipLines = n;
      return this;
    }

    /** Skips a one-line header when {@code header} is true. */
    public Builder header(boolean header) {
      return skipLines(header ? 1 : 0);
    }

    /** The feature columns, in this order (default: every column except the target). */
    public Builder features(int... columns) {
      this.featureColumns = columns.clone();
      return this;
    }

    /** The target column (default {@code -1}, the last). */
    public Builder target(int column) {
      this.targetColumn = column;
      if (target == Target.NONE) {
        target = Target.CLASS;
      }
      return this;
    }

    /** Targets are integer class indices, loaded as INT64 (the default). */
    public Builder classification() {
      this.target = Target.CLASS;
      return this;
    }

    /** Targets are numbers, loaded with the features' dtype (FLOAT32 by default), shape {@code [1]} per sample. */
    public Builder regression() {
      this.target = Target.REGRESSION;
      return this;
    }

    /** There is no target column: every column (or those chosen) is a feature, and {@code y} is null. */
    public Builder noTarget() {
      this.target = Target.NONE;
      return this;
    }

    /** The dtype of the features (and of regression targets): FLOAT32 (default) or FLOAT64. */
    public Builder dtype(DType dtype) {
      if (!dtype.isFloatingPoint()) {
        throw new IllegalArgumentException("CsvDataset features must be FLOAT32 or FLOAT64, but got " + dtype);
      }
      this.dtype = dtype;
      return this;
    }

    /** Reads the data. */
    public CsvDataset build() {
      try (InputStream raw = opener.open();
          BufferedReader reader = new BufferedReader(new InputStreamReader(maybeGunzip(raw), StandardCharsets.UTF_8))) {
        return new CsvParser(this, reader).parse();
      } catch (IOException e) {
        throw new UncheckedIOException("could not read CSV " + source + ": " + e, e);
      }
    }

    private static InputStream maybeGunzip(InputStream raw) throws IOException {
      BufferedInputStream in = new BufferedInputStream(raw);
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
    }
  }

  /** Reads rows into growing primitive arrays, checking every field. */
  private static final class CsvParser {
    // Decimal numbers only: Java's parsers would also take "1f", "2d" and hex floats. Possessive
    // quantifiers: with "\\d+\\.?\\d*" a long run of digits that fails to match at its end was split
    // every way between the two runs, quadratic time (16,000 digits and an 'x' took 7 s).
    private static final Pattern NUMBER = Pattern.compile("[+-]?+(?:\\d++(?:\\.\\d*+)?+|\\.\\d++)(?:[eE][+-]?+\\d++)?+");
    private final Builder b;
    private final BufferedReader reader;
    private int columns = -1;
    private int firstDataLine;
    private int[] features;
    private int target;
    private double[] x = new double[1024];
    private long[] classes = new long[256];
    private double[] values = new double[256];
    private int rows;

    CsvParser(Builder b, BufferedReader reader) {
      this.b = b;
      this.reader = reader;
    }

    CsvDataset parse() throws IOException {
      int lineNo = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (lineNo <= b.skipLines || line.isBlank()) {
          continue;
        }
        String[] fields = split(line);
        if (columns < 0) {
          columns = fields.length;
          firstDataLine = lineNo;
          chooseColumns();
        } else if (fields.length != columns) {
          throw new IllegalArgumentException(b.source + ", line " + lineNo + ": expected " + columns + " columns (as on line "
              + firstDataLine + "), but found " + fields.length);
        }
        addRow(fields, lineNo);
      }
      if (rows == 0) {
        throw new IllegalArgumentException(b.source + ": no data rows" + (b.skipLines > 0 ? " after skipping " + b.skipLines + " lines" : ""));
      }
      return new CsvDataset(b.source, tensors());
    }

    private String[] split(String line) {
      String trimmed = line.strip();
      if (b.whitespace) {
        return trimmed.split("[ \t]+");
      }
      String[] parts = line.split(Pattern.quote(String.valueOf(b.delimiter)), -1);
      for (int i = 0; i < parts.length; i++) {
        parts[i] = parts[i].strip();
      }
      return parts;
    }

    private void chooseColumns() {
      target = b.target == Target.NONE ? -1 : resolve(b.targetColumn, "target");
      if (b.featureColumns != null) {
        features = new int[b.featureColumns.length];
        for (int i = 0; i < features.length; i++) {
          features[i] = resolve(b.featureColumns[i], "feature");
          if (features[i] == target) {
            throw new IllegalArgumentException(b.source + ": column " + features[i] + " is both a feature and the target");
          }
        }
      } else {
        features = new int[target < 0 ? columns : columns - 1];
        for (int c = 0, k = 0; c < columns; c++) {
          if (c != target) {
            features[k++] = c;
          }
        }
      }
      if (features.length == 0) {
        throw new IllegalArgumentException(b.source + ": no feature columns (the file has " + columns + " columns)");
      }
    }

    private int resolve(int column, String role) {
      int c = column < 0 ? column + columns : column;
      if (c < 0 || c >= columns) {
        throw new IllegalArgumentException(b.source + ": " + role + " column " + column + " does not exist; line "
            + firstDataLine + " has " + columns + " columns (0 to " + (columns - 1) + ", or -1 for the last)");
      }
      return c;
    }

    private void addRow(String[] fields, int lineNo) {
      int f = features.length;
      if ((rows + 1) * f > x.length) {
        x = Arrays.copyOf(x, Math.max(x.length * 2, (rows + 1) * f));
      }
      for (int i = 0; i < f; i++) {
        x[rows * f + i] = number(fields[features[i]], lineNo, features[i]);
      }
      if (b.target != Target.NONE) {
        if (rows == classes.length) {
          classes = Arrays.copyOf(classes, rows * 2);
          values = Arrays.copyOf(values, rows * 2);
        }
        double v = number(fields[target], lineNo, target);
        if (b.target == Target.CLASS) {
          if (v != Math.rint(v) || Math.abs(v) > 1L << 53) {
            throw new IllegalArgumentException(where(lineNo, target) + ": a class label must be an integer, but found \""
                + fields[target] + "\" (use regression() for numeric targets)");
          }
          classes[rows] = (long) v;
        } else {
          values[rows] = v;
        }
      }
      rows++;
    }

    private double number(String field, int lineNo, int column) {
      if (NUMBER.matcher(field).matches()) {
        return b.dtype == DType.FLOAT32 ? Float.parseFloat(field) : Double.parseDouble(field);
      }
      switch (field.toLowerCase(Locale.ROOT)) {
        case "nan": case "+nan": case "-nan": return Double.NaN;
        case "inf": case "+inf": case "infinity": case "+infinity": return Double.POSITIVE_INFINITY;
        case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
        default:
          throw new IllegalArgumentException(where(lineNo, column) + ": expected a number, but found \"" + field + "\"");
      }
    }

    private String where(int lineNo, int column) {
      return b.source + ", line " + lineNo + ", column " + column + " (0-based)";
    }

    private TensorDataset tensors() {
      int f = features.length;
      Storage xs = Storage.allocate(b.dtype, rows * f);
      for (int i = 0; i < rows * f; i++) {
        xs.setDouble(i, x[i]);
      }
      Tensor features = Internals.wrap(xs, rows, f);
      switch (b.target) {
        case CLASS:
          return new TensorDataset(features, Tensor.of(Arrays.copyOf(classes, rows)));
        case REGRESSION: {
          Storage ys = Storage.allocate(b.dtype, rows);
          for (int i = 0; i < rows; i++) {
            ys.setDouble(i, values[i]);
          }
          return new TensorDataset(features, Internals.wrap(ys, rows, 1));
        }
        default:
          return new TensorDataset(features);
      }
    }
  }
}

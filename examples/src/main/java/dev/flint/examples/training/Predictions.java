package dev.flint.examples.training;

import dev.flint.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes per-sample results as a CSV file with a header row, atomically and with the usual
 * permissions ({@link AtomicFiles}).
 */
public final class Predictions {
  private Predictions() {}

  /**
   * Writes {@code header} and then one line per row of {@code columns}, where {@code columns[c][r]}
   * is the value of column {@code c} in row {@code r}; whole numbers print without decimals.
   */
  public static void writeCsv(Path path, List<String> header, double[]... columns) {
    if (header.size() != columns.length) {
      throw new IllegalArgumentException("writeCsv: " + header.size() + " header names for " + columns.length + " columns");
    }
    int rows = columns.length == 0 ? 0 : columns[0].length;
    for (int c = 0; c < columns.length; c++) {
      if (columns[c].length != rows) {
        throw new IllegalArgumentException("writeCsv: column '" + header.get(c) + "' has " + columns[c].length
            + " rows, but column '" + header.get(0) + "' has " + rows);
      }
    }
    StringBuilder s = new StringBuilder(String.join(",", header)).append('\n');
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns.length; c++) {
        if (c > 0) {
          s.append(',');
        }
        double v = columns[c][r];
        s.append(format(v));
      }
      s.append('\n');
    }
    Path dir = path.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory " + dir + ": " + e, e);
    }
    AtomicFiles.writeString(path, s);
  }

  /** {@code v} to 7 significant digits without trailing zeros: {@code 85}, {@code 138.0591}, {@code 1.5E-7}. */
  static String format(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    if (v == 0) {
      return "0";
    }
    String s = new BigDecimal(v).round(new MathContext(7)).stripTrailingZeros().toString();
    return s.contains("E") ? s : new BigDecimal(s).toPlainString();
  }
}

package dev.flint.examples.training;

import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Per-column standardization {@code (x - mean) / std} with statistics taken from chosen rows only
 * (the training split), as scikit-learn's {@code StandardScaler} fitted on the training set: the
 * validation and test rows must not leak into the statistics. A constant column keeps std 1.
 */
public final class Standardizer {
  private final double[] mean;
  private final double[] std;

  private Standardizer(double[] mean, double[] std) {
    this.mean = mean;
    this.std = std;
  }

  /** Fits the mean and (population) standard deviation of each column of {@code x: [n, d]} over {@code rows}. */
  public static Standardizer fit(Tensor x, int[] rows) {
    if (x.dim() != 2) {
      throw new IllegalArgumentException("Standardizer.fit expects a matrix [rows, columns], but got shape "
          + Arrays.toString(x.shape()));
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException("Standardizer.fit needs at least one row to take statistics from");
    }
    int d = x.size(1);
    double[] data = x.toDoubleArray();
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += data[r * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    for (int r : rows) {
      for (int j = 0; j < d; j++) {
        double dev = data[r * d + j] - mean[j];
        std[j] += dev * dev;
      }
    }
    for (int j = 0; j < d; j++) {
      std[j] = Math.sqrt(std[j] / rows.length);
      if (std[j] == 0) {
        std[j] = 1;
      }
    }
    return new Standardizer(mean, std);
  }

  /** {@code x: [n, d]} standardized column by column, as a new FLOAT32 tensor. */
  public Tensor transform(Tensor x) {
    if (x.dim() != 2 || x.size(1) != mean.length) {
      throw new IllegalArgumentException("Standardizer was fitted on " + mean.length + " columns, but got shape "
          + Arrays.toString(x.shape()));
    }
    int n = x.size(0);
    int d = mean.length;
    double[] data = x.toDoubleArray();
    float[] out = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        out[i * d + j] = (float) ((data[i * d + j] - mean[j]) / std[j]);
      }
    }
    return Tensor.of(out, n, d);
  }

  /** Maps standardized values of column {@code column} back to the original units. */
  public double inverse(int column, double value) {
    return value * std[column] + mean[column];
  }

  /** The fitted column means. */
  public double[] mean() {
    return mean.clone();
  }

  /** The fitted column standard deviations (1 for constant columns). */
  public double[] std() {
    return std.clone();
  }
}

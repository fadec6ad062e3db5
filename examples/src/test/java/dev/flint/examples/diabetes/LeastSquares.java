package dev.flint.examples.diabetes;

import dev.flint.data.Sample;
import dev.flint.data.Subset;

/** Ordinary least squares by the normal equations, in double precision: the baseline a regression network should match. */
final class LeastSquares {
  private LeastSquares() {}

  /** The test MSE, in disease-progression units, of least squares (with intercept) fitted on the training split. */
  static double testMse(DiabetesData data) {
    double[] beta = fit(data.train());
    Subset<Sample> test = data.test();
    double sum = 0;
    for (int i = 0; i < test.size(); i++) {
      Sample s = test.get(i);
      double[] x = s.x().toDoubleArray();
      double pred = beta[x.length];
      for (int j = 0; j < x.length; j++) {
        pred += beta[j] * x[j];
      }
      double err = data.target().inverse(0, pred) - data.target().inverse(0, s.y().item());
      sum += err * err;
    }
    return sum / test.size();
  }

  private static double[] fit(Subset<Sample> train) {
    int d = DiabetesData.FEATURES + 1;
    double[][] a = new double[d][d + 1]; // [XᵀX | Xᵀy]
    for (int i = 0; i < train.size(); i++) {
      Sample s = train.get(i);
      double[] x = new double[d];
      System.arraycopy(s.x().toDoubleArray(), 0, x, 0, d - 1);
      x[d - 1] = 1;
      double y = s.y().item();
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          a[r][c] += x[r] * x[c];
        }
        a[r][d] += x[r] * y;
      }
    }
    // Gaussian elimination with partial pivoting.
    for (int col = 0; col < d; col++) {
      int pivot = col;
      for (int r = col + 1; r < d; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[pivot];
      a[pivot] = tmp;
      for (int r = 0; r < d; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int c = col; c <= d; c++) {
            a[r][c] -= f * a[col][c];
          }
        }
      }
    }
    double[] beta = new double[d];
    for (int r = 0; r < d; r++) {
      beta[r] = a[r][d] / a[r][r];
    }
    return beta;
  }
}

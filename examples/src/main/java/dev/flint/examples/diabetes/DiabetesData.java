package dev.flint.examples.diabetes;

import dev.flint.data.CsvDataset;
import dev.flint.data.Dataset;
import dev.flint.data.Datasets;
import dev.flint.data.Sample;
import dev.flint.data.Subset;
import dev.flint.data.TensorDataset;
import dev.flint.examples.training.Standardizer;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.List;

/**
 * The diabetes data (442 patients, 10 baseline variables, disease progression after one year),
 * split at random 80/10/10 into train, valid and test sets, with features and target standardized
 * by statistics of the training rows only.
 *
 * @param train the training samples (354)
 * @param valid the validation samples, used to pick the best epoch (44)
 * @param test the test samples, touched once at the end (44)
 * @param target maps standardized targets back to disease-progression units (column 0)
 */
public record DiabetesData(Subset<Sample> train, Subset<Sample> valid, Subset<Sample> test, Standardizer target) {
  /** The number of input features. */
  public static final int FEATURES = 10;

  /** Loads the shipped data and splits it with a generator seeded by {@code seed}. */
  public static DiabetesData load(long seed) {
    Tensor x = CsvDataset.fromResource(DiabetesData.class, "/data/diabetes_data_raw.csv.gz")
        .whitespaceSeparated().noTarget().build().features();                        // [442, 10]
    Tensor y = CsvDataset.fromResource(DiabetesData.class, "/data/diabetes_target.csv.gz")
        .noTarget().build().features();                                               // [442, 1]
    // Split first, so the statistics below come from the training rows only.
    List<Subset<Sample>> split = Datasets.randomSplit(new TensorDataset(x, y), new double[] {0.8, 0.1, 0.1},
        new Generator(seed));
    int[] trainRows = split.get(0).indices();
    Standardizer features = Standardizer.fit(x, trainRows);
    Standardizer target = Standardizer.fit(y, trainRows);
    Dataset<Sample> scaled = new TensorDataset(features.transform(x), target.transform(y));
    return new DiabetesData(
        new Subset<>(scaled, trainRows),
        new Subset<>(scaled, split.get(1).indices()),
        new Subset<>(scaled, split.get(2).indices()),
        target);
  }
}

package dev.flint.examples.digits;

import dev.flint.data.CsvDataset;
import dev.flint.data.Datasets;
import dev.flint.data.Sample;
import dev.flint.data.Subset;
import dev.flint.data.TensorDataset;
import dev.flint.tensor.Generator;
import java.util.List;

/**
 * The digits data (1797 images of 8×8 pixels with counts 0..16, labels 0–9), pixels scaled to
 * [0, 1], split at random 80/10/10 into train, valid and test sets.
 *
 * @param train the training samples (1438)
 * @param valid the validation samples (180)
 * @param test the test samples (179)
 */
public record DigitsData(Subset<Sample> train, Subset<Sample> valid, Subset<Sample> test) {
  /** Pixels per image. */
  public static final int PIXELS = 64;
  /** Digit classes. */
  public static final int CLASSES = 10;

  /** Loads the shipped data and splits it with a generator seeded by {@code seed}. */
  public static DigitsData load(long seed) {
    CsvDataset csv = CsvDataset.fromResource(DigitsData.class, "/data/digits.csv.gz").classification().build();
    // x: [1797, 64] FLOAT32 in 0..16, scaled to [0, 1]; y: [1797] INT64 class indices.
    TensorDataset all = new TensorDataset(csv.features().div(16), csv.targets());
    List<Subset<Sample>> split = Datasets.randomSplit(all, new double[] {0.8, 0.1, 0.1}, new Generator(seed));
    return new DigitsData(split.get(0), split.get(1), split.get(2));
  }
}

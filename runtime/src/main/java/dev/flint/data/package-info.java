/**
 * Data loading as in {@code torch.utils.data}: a {@link dev.flint.data.Dataset} gives samples by
 * index ({@link dev.flint.data.TensorDataset}, {@link dev.flint.data.CsvDataset},
 * {@link dev.flint.data.Subset}), {@link dev.flint.data.Datasets#randomSplit} divides one, and a
 * {@link dev.flint.data.DataLoader} groups samples into {@link dev.flint.data.Batch}es, shuffled
 * each epoch and prepared on a background thread.
 */
package dev.flint.data;

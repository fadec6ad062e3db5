package dev.flint.data;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dataset over tensors that share their first dimension, as {@code torch.utils.data.TensorDataset}:
 * sample {@code i} is row {@code i} of {@code x} and row {@code i} of {@code y}. Rows are views of
 * the tensors (no copy), as indexing is in PyTorch; a {@link DataLoader} copies them into batches.
 */
public final class TensorDataset implements Dataset<Sample> {
  private final Tensor x;
  private final Tensor y;

  /** Samples of inputs {@code x: [n, ...]} and targets {@code y: [n, ...]}. */
  public TensorDataset(Tensor x, Tensor y) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y (use TensorDataset(x) for a dataset without targets)");
    checkRows("x", x);
    checkRows("y", y);
    if (x.size(0) != y.size(0)) {
      throw new IllegalArgumentException("TensorDataset: x and y must have the same first dimension (one row per sample), but x has shape "
          + Arrays.toString(x.shape()) + " and y has shape " + Arrays.toString(y.shape()));
    }
    this.x = x;
    this.y = y;
  }

  /** Samples of inputs {@code x: [n, ...]} without targets. */
  public TensorDataset(Tensor x) {
    Objects.requireNonNull(x, "x");
    checkRows("x", x);
    this.x = x;
    this.y = null;
  }

  private static void checkRows(String name, Tensor t) {
    if (t.dim() == 0) {
      throw new IllegalArgumentException("TensorDataset: " + name + " must have a first dimension (one row per sample), but it is 0-d");
    }
  }

  @Override
  public Sample get(int index) {
    return new Sample(row(x, index), y == null ? null : row(y, index));
  }

  @Override
  public int size() {
    return x.size(0);
  }

  /** All inputs, {@code [n, ...]}. */
  public Tensor x() {
    return x;
  }

  /** All targets, {@code [n, ...]}, or null. */
  public Tensor y() {
    return y;
  }

  /** Row {@code i} of {@code t} as a view sharing its storage. */
  static Tensor row(Tensor t, int i) {
    int n = t.size(0);
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("index " + i + " is out of range for a dataset of " + n + " samples");
    }
    int[] shape = Internals.shapeRef(t);
    int[] strides = Internals.stridesRef(t);
    return Internals.view(t.storage(), t.offset() + i * strides[0],
        Arrays.copyOfRange(shape, 1, shape.length), Arrays.copyOfRange(strides, 1, strides.length));
  }
}

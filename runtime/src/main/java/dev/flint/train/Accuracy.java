package dev.flint.train;

import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Classification accuracy accumulated over batches: the fraction of samples whose highest score is
 * the label ({@code torchmetrics}' multiclass accuracy, micro-averaged).
 *
 * <pre>{@code
 * Accuracy acc = new Accuracy();
 * for (Batch b : loader) acc.update(model.forward(b.x()), b.y());
 * double fraction = acc.value();
 * }</pre>
 */
public final class Accuracy {
  private long correct;
  private long total;

  /**
   * Adds a batch: {@code scores: [batch, classes]} (logits or probabilities) and
   * {@code labels: [batch]} integer class indices.
   */
  public void update(Tensor scores, Tensor labels) {
    if (scores.dim() != 2 || labels.dim() != 1 || labels.size(0) != scores.size(0)) {
      throw new IllegalArgumentException("Accuracy.update expects scores [batch, classes] and labels [batch], but got "
          + Arrays.toString(scores.shape()) + " and " + Arrays.toString(labels.shape()));
    }
    if (labels.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException("Accuracy.update expects integer class labels, but got " + labels.dtype());
    }
    long[] predicted = scores.argmax(1).toLongArray();
    long[] expected = labels.toLongArray();
    for (int i = 0; i < expected.length; i++) {
      correct += predicted[i] == expected[i] ? 1 : 0;
    }
    total += expected.length;
  }

  /** Adds counts measured elsewhere. */
  public void update(long correct, long total) {
    if (correct < 0 || total < correct) {
      throw new IllegalArgumentException("Accuracy.update: need 0 <= correct <= total, but got " + correct + " of " + total);
    }
    this.correct += correct;
    this.total += total;
  }

  /** The fraction correct, in [0, 1] (NaN before any sample). */
  public double value() {
    return total == 0 ? Double.NaN : (double) correct / total;
  }

  /** The samples classified correctly so far. */
  public long correct() {
    return correct;
  }

  /** The samples seen so far. */
  public long total() {
    return total;
  }

  /** Forgets every batch. */
  public void reset() {
    correct = 0;
    total = 0;
  }
}

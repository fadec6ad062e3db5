package dev.flint.spark;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.io.Serializable;

/**
 * One worker's part of the training data, built once per executor and cached: the samples' global
 * ids, features ({@code size × width}, row-major) and labels ({@code size × labelWidth}).
 */
final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;

  final long[] ids;
  final double[] x;
  final double[] y;
  final int width;
  final int labelWidth;

  private transient int groupedEpoch = -1;
  private transient int[][] rowsByBatch;

  Shard(long[] ids, double[] x, double[] y, int width, int labelWidth) {
    this.ids = ids;
    this.x = x;
    this.y = y;
    this.width = width;
    this.labelWidth = labelWidth;
  }

  /** The features of {@code rows}, a {@code [rows, width]} tensor of {@code dtype}. */
  Tensor features(int[] rows, DType dtype) {
    double[] out = new double[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(x, rows[i] * width, out, i * width, width);
    }
    return Tensor.of(out, rows.length, width).to(dtype);
  }

  /** The labels of {@code rows}, as {@code label} shapes them. */
  Tensor labels(int[] rows, LabelColumn label, DType dtype) {
    double[] out = new double[rows.length * labelWidth];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(y, rows[i] * labelWidth, out, i * labelWidth, labelWidth);
    }
    return label.tensor(out, rows.length, labelWidth, dtype);
  }

  long[] idsOf(int[] rows) {
    long[] out = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = ids[rows[i]];
    }
    return out;
  }

  int size() {
    return ids.length;
  }

  /**
   * This shard's rows in global batch {@code batch} of an epoch, in the order of their global ids.
   * The grouping is computed once per epoch and kept with the cached shard.
   */
  synchronized int[] rowsOf(int epoch, int batch, int[] batchOfId, int batches) {
    if (groupedEpoch != epoch || rowsByBatch == null) {
      int[] counts = new int[batches];
      for (long id : ids) {
        counts[batchOfId[(int) id]]++;
      }
      int[][] grouped = new int[batches][];
      for (int b = 0; b < batches; b++) {
        grouped[b] = new int[counts[b]];
      }
      int[] fill = new int[batches];
      for (int r = 0; r < ids.length; r++) {
        int b = batchOfId[(int) ids[r]];
        grouped[b][fill[b]++] = r;
      }
      rowsByBatch = grouped;
      groupedEpoch = epoch;
    }
    return rowsByBatch[batch];
  }
}

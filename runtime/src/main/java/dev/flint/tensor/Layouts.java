package dev.flint.tensor;

import java.util.Arrays;

/** Static helpers for shapes and strides: element counts, contiguity, dim normalization, iteration. */
public final class Layouts {
  private Layouts() {}

  /** Receives each element's row-major position and its index in the storage. */
  @FunctionalInterface
  public interface IndexVisitor {
    void visit(int position, int storageIndex);
  }

  /** The number of elements of a shape (1 for a 0-d shape). */
  public static int numel(int[] shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
    }
    return (int) n;
  }

  /** Row-major strides for a shape. */
  public static int[] contiguousStrides(int[] shape) {
    int[] strides = new int[shape.length];
    int s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s *= Math.max(shape[d], 1);
    }
    return strides;
  }

  /** Whether these strides are row-major and gap-free (dims of size 1 may have any stride). */
  public static boolean isContiguous(int[] shape, int[] strides) {
    int expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && strides[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  /** {@code dim} in {@code [0, rank)}, counting negative dims from the end; else a clear error naming {@code op}. */
  public static int normalizeDim(int dim, int rank, String op) {
    int lo = rank == 0 ? -1 : -rank;
    int hi = rank == 0 ? 0 : rank - 1;
    if (dim < lo || dim > hi) {
      throw new IndexOutOfBoundsException(
          op + ": dimension out of range (expected to be in range of [" + lo + ", " + hi + "], but got " + dim + ")");
    }
    return dim < 0 ? dim + Math.max(rank, 1) : dim;
  }

  /** Fails with a clear message when a shape has a negative size. */
  public static void checkNonNegative(int[] shape) {
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension " + s + " in shape " + Arrays.toString(shape));
      }
    }
  }

  /** Visits every element of a strided view in row-major order. */
  public static void forEachIndex(int[] shape, int[] strides, int offset, IndexVisitor visitor) {
    int n = numel(shape);
    if (n == 0) {
      return;
    }
    int rank = shape.length;
    if (isContiguous(shape, strides)) {
      for (int i = 0; i < n; i++) {
        visitor.visit(i, offset + i);
      }
      return;
    }
    int[] index = new int[rank];
    int at = offset;
    for (int i = 0; i < n; i++) {
      visitor.visit(i, at);
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          at += strides[d];
          break;
        }
        at -= strides[d] * (shape[d] - 1);
        index[d] = 0;
      }
    }
  }
}

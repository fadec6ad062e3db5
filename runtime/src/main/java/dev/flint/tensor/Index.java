package dev.flint.tensor;

import java.util.Arrays;

/**
 * One entry of a {@link Tensor#index(Index...)} call: PyTorch's subscripts written as Java values.
 *
 * <table>
 *   <caption>PyTorch → Flint</caption>
 *   <tr><td>{@code x[i]}</td><td>{@code x.index(Index.at(i))}</td></tr>
 *   <tr><td>{@code x[:, j]}</td><td>{@code x.index(Index.all(), Index.at(j))}</td></tr>
 *   <tr><td>{@code x[a:b]}, {@code x[a:b:s]}</td><td>{@code x.index(Index.slice(a, b))}, {@code Index.slice(a, b, s)}</td></tr>
 *   <tr><td>{@code x[a:]}, {@code x[:b]}</td><td>{@code Index.from(a)}, {@code Index.to(b)}</td></tr>
 *   <tr><td>{@code x[..., -1]}</td><td>{@code x.index(Index.ellipsis(), Index.at(-1))}</td></tr>
 *   <tr><td>{@code x[None]}</td><td>{@code x.index(Index.newAxis())}</td></tr>
 *   <tr><td>{@code x[mask]}, {@code x[idx]}</td><td>{@code x.index(mask)}, {@code x.index(idx)}, or {@code Index.tensor(t)} among others</td></tr>
 * </table>
 *
 * <p>As in PyTorch, integers, slices, {@code all}, {@code ellipsis} and {@code newAxis} give a view
 * (writes through it reach the original); a tensor index (BOOL mask or INT64/INT32 positions) gives a
 * copy. Negative positions count from the end; slice bounds are clamped to the size, as Python's.
 */
public final class Index {
  enum Kind { AT, SLICE, ELLIPSIS, NEW_AXIS, TENSOR }

  /** Slice bound meaning "to the end" (or "from the start" for {@code start}). */
  static final int OPEN = Integer.MIN_VALUE;

  final Kind kind;
  final int start;
  final int end;
  final int step;
  final Tensor tensor;

  private Index(Kind kind, int start, int end, int step, Tensor tensor) {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.step = step;
    this.tensor = tensor;
  }

  /** {@code x[i]}: entry {@code i} of this dim (negative counts from the end); the dim is removed. */
  public static Index at(int i) {
    return new Index(Kind.AT, i, 0, 0, null);
  }

  /** {@code x[:]}: the whole dim. */
  public static Index all() {
    return new Index(Kind.SLICE, OPEN, OPEN, 1, null);
  }

  /** {@code x[start:end]}: bounds as Python's (negative from the end, clamped to the size). */
  public static Index slice(int start, int end) {
    return slice(start, end, 1);
  }

  /** {@code x[start:end:step]}; {@code step} must be positive, as in PyTorch. */
  public static Index slice(int start, int end, int step) {
    if (step <= 0) {
      throw new IllegalArgumentException("Index.slice: step must be greater than zero, but got " + step);
    }
    return new Index(Kind.SLICE, start, end, step, null);
  }

  /** {@code x[start:]}. */
  public static Index from(int start) {
    return new Index(Kind.SLICE, start, OPEN, 1, null);
  }

  /** {@code x[:end]}. */
  public static Index to(int end) {
    return new Index(Kind.SLICE, OPEN, end, 1, null);
  }

  /** {@code x[...]}: as many whole dims as the other entries leave; at most one per call. */
  public static Index ellipsis() {
    return new Index(Kind.ELLIPSIS, 0, 0, 0, null);
  }

  /** {@code x[None]}: a new dim of size 1 here. */
  public static Index newAxis() {
    return new Index(Kind.NEW_AXIS, 0, 0, 0, null);
  }

  /**
   * {@code x[t]}: a BOOL mask (its shape matches the dims it covers; the selected elements, in order,
   * become one dim) or INT64/INT32 positions along one dim (the index's shape replaces that dim).
   * Gives a copy, as PyTorch's advanced indexing.
   */
  public static Index tensor(Tensor t) {
    if (t == null) {
      throw new IllegalArgumentException("Index.tensor: the index tensor is null");
    }
    if (t.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException("tensors used as indices must be INT64, INT32 or BOOL, but got "
          + t.dtype() + ": convert it with .to(DType.INT64)");
    }
    return new Index(Kind.TENSOR, 0, 0, 0, t);
  }

  /** How many dims of the indexed tensor this entry consumes. */
  int consumes() {
    return switch (kind) {
      case AT, SLICE -> 1;
      case TENSOR -> tensor.dtype() == DType.BOOL ? Math.max(tensor.dim(), 1) : 1;
      default -> 0;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AT -> Integer.toString(start);
      case SLICE -> (start == OPEN ? "" : start) + ":" + (end == OPEN ? "" : end) + (step == 1 ? "" : ":" + step);
      case ELLIPSIS -> "...";
      case NEW_AXIS -> "None";
      case TENSOR -> (tensor.dtype() == DType.BOOL ? "mask" : "index") + Arrays.toString(tensor.shapeRef());
    };
  }
}

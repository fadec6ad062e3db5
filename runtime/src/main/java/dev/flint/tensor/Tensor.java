package dev.flint.tensor;

import dev.flint.autograd.Node;
import java.util.Arrays;

/**
 * An n-dimensional array with a dtype, a device and, optionally, a gradient: Flint's
 * {@code torch.Tensor}. A tensor is a view (shape, strides, offset) over a {@link Storage}; views
 * such as {@code transpose} share the storage. Ops that need gradients record a {@link Node}.
 */
public final class Tensor {
  // Not final: setData swaps them, as PyTorch's `param.data = ...` does (see Module.to).
  private Storage storage;
  private int[] shape;
  private int[] strides;
  private int offset;
  private Device device;

  private boolean requiresGrad;
  private Tensor grad;
  private Node gradFn;
  private boolean retainsGrad;

  private Tensor(Storage storage, int offset, int[] shape, int[] strides, Device device) {
    this.storage = storage;
    this.offset = offset;
    this.shape = shape;
    this.strides = strides;
    this.device = device;
  }

  // ---------------------------------------------------------------- construction (internal API)

  /**
   * A tensor viewing {@code storage} with the given layout; the arrays are owned by the tensor
   * afterwards. Used by kernels and views; users create tensors with {@code of}, {@code zeros}, ...
   */
  public static Tensor view(Storage storage, int offset, int[] shape, int[] strides) {
    return new Tensor(storage, offset, shape, strides, Device.CPU);
  }

  /** A contiguous tensor over all of {@code storage} with this shape. */
  public static Tensor wrap(Storage storage, int... shape) {
    int n = Layouts.numel(shape);
    if (n != storage.size()) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " elements, but the data has " + storage.size());
    }
    return new Tensor(storage, 0, shape.clone(), Layouts.contiguousStrides(shape), Device.CPU);
  }

  /** A new zero-filled contiguous tensor. */
  public static Tensor empty(DType dtype, int... shape) {
    Layouts.checkNonNegative(shape);
    return wrap(Storage.allocate(dtype, Layouts.numel(shape)), shape);
  }

  // ---------------------------------------------------------------- creation

  /** A FLOAT32 tensor holding {@code data}, 1-D when no shape is given. The array is not copied. */
  public static Tensor of(float[] data, int... shape) {
    return wrap(Storage.of(data), shape.length == 0 ? new int[] {data.length} : shape);
  }

  /** A FLOAT64 tensor holding {@code data}, 1-D when no shape is given. The array is not copied. */
  public static Tensor of(double[] data, int... shape) {
    return wrap(Storage.of(data), shape.length == 0 ? new int[] {data.length} : shape);
  }

  /** An INT64 tensor holding {@code data}, 1-D when no shape is given. The array is not copied. */
  public static Tensor of(long[] data, int... shape) {
    return wrap(Storage.of(data), shape.length == 0 ? new int[] {data.length} : shape);
  }

  /** An INT32 tensor holding {@code data}, 1-D when no shape is given. The array is not copied. */
  public static Tensor of(int[] data, int... shape) {
    return wrap(Storage.of(data), shape.length == 0 ? new int[] {data.length} : shape);
  }

  /** A BOOL tensor holding {@code data}, 1-D when no shape is given. The array is not copied. */
  public static Tensor of(boolean[] data, int... shape) {
    return wrap(Storage.of(data), shape.length == 0 ? new int[] {data.length} : shape);
  }

  /** A 2-D FLOAT32 tensor from rows of equal length. */
  public static Tensor of(float[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      checkRow(r, rows[r].length, cols);
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    return of(flat, rows.length, cols);
  }

  /** A 2-D FLOAT64 tensor from rows of equal length. */
  public static Tensor of(double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] flat = new double[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      checkRow(r, rows[r].length, cols);
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    return of(flat, rows.length, cols);
  }

  /** A 2-D INT64 tensor from rows of equal length. */
  public static Tensor of(long[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    long[] flat = new long[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      checkRow(r, rows[r].length, cols);
      System.arraycopy(rows[r], 0, flat, r * cols, cols);
    }
    return of(flat, rows.length, cols);
  }

  private static void checkRow(int r, int length, int cols) {
    if (length != cols) {
      throw new IllegalArgumentException(
          "rows must have equal lengths: row 0 has " + cols + " elements, but row " + r + " has " + length);
    }
  }

  /** A 0-d FLOAT32 tensor. */
  public static Tensor scalar(double value) {
    return wrap(Storage.of(new float[] {(float) value}));
  }

  /** A 0-d tensor of the given dtype. */
  public static Tensor scalar(double value, DType dtype) {
    Tensor t = empty(dtype);
    t.storage.setDouble(0, value);
    return t;
  }

  /** A FLOAT32 tensor of zeros. */
  public static Tensor zeros(int... shape) {
    return empty(DType.FLOAT32, shape);
  }

  /** A tensor of zeros of the given dtype. */
  public static Tensor zeros(DType dtype, int... shape) {
    return empty(dtype, shape);
  }

  /** A FLOAT32 tensor of ones. */
  public static Tensor ones(int... shape) {
    return full(1, shape);
  }

  /** A tensor of ones of the given dtype. */
  public static Tensor ones(DType dtype, int... shape) {
    return full(1, dtype, shape);
  }

  /** A FLOAT32 tensor filled with {@code value}. */
  public static Tensor full(double value, int... shape) {
    return full(value, DType.FLOAT32, shape);
  }

  /** A tensor of the given dtype filled with {@code value}. */
  public static Tensor full(double value, DType dtype, int... shape) {
    Tensor t = empty(dtype, shape);
    t.storage.fill(0, t.storage.size(), value);
    return t;
  }

  /** Zeros with the shape and dtype of {@code t}. */
  public static Tensor zerosLike(Tensor t) {
    return empty(t.dtype(), t.shape);
  }

  /** Ones with the shape and dtype of {@code t}. */
  public static Tensor onesLike(Tensor t) {
    return full(1, t.dtype(), t.shape);
  }

  /** INT64 values {@code 0, 1, ..., end - 1}, as {@code torch.arange(end)}. */
  public static Tensor arange(long end) {
    return arange(0, end, 1);
  }

  /** INT64 values from {@code start} (inclusive) to {@code end} (exclusive) by {@code step}. */
  public static Tensor arange(long start, long end, long step) {
    if (step == 0) {
      throw new IllegalArgumentException("arange: step must be nonzero");
    }
    int n = (int) Math.max(0, (end - start + step + (step > 0 ? -1 : 1)) / step);
    long[] data = new long[n];
    for (int i = 0; i < n; i++) {
      data[i] = start + i * step;
    }
    return of(data);
  }

  /** FLOAT32 values from {@code start} (inclusive) to {@code end} (exclusive) by {@code step}. */
  public static Tensor arange(double start, double end, double step) {
    if (step == 0) {
      throw new IllegalArgumentException("arange: step must be nonzero");
    }
    int n = (int) Math.max(0, Math.ceil((end - start) / step));
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) (start + i * step);
    }
    return of(data);
  }

  /** {@code steps} evenly spaced FLOAT32 values from {@code start} to {@code end}, both included. */
  public static Tensor linspace(double start, double end, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("linspace: steps must be >= 0, but got " + steps);
    }
    float[] data = new float[steps];
    double step = steps > 1 ? (end - start) / (steps - 1) : 0;
    for (int i = 0; i < steps; i++) {
      // PyTorch fills the second half from the end, so the last value is exactly `end`.
      data[i] = (float) (i < steps / 2 ? start + i * step : end - (steps - 1 - i) * step);
    }
    return of(data);
  }

  /** The {@code n × n} FLOAT32 identity matrix. */
  public static Tensor eye(int n) {
    Tensor t = zeros(n, n);
    for (int i = 0; i < n; i++) {
      t.storage.setDouble(i * n + i, 1);
    }
    return t;
  }

  // ---------------------------------------------------------------- layout and metadata

  /** The sizes of each dimension (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /** The size of dimension {@code dim}; negative dims count from the end. */
  public int size(int dim) {
    return shape[Layouts.normalizeDim(dim, shape.length, "size")];
  }

  /** The number of dimensions. */
  public int dim() {
    return shape.length;
  }

  /** The number of elements. */
  public int numel() {
    return Layouts.numel(shape);
  }

  public DType dtype() {
    return storage.dtype();
  }

  public Device device() {
    return device;
  }

  /** The element steps of each dimension in the storage (a copy). */
  public int[] strides() {
    return strides.clone();
  }

  /** The index in the storage of the first element. */
  public int offset() {
    return offset;
  }

  /** The storage this tensor views (shared with other views). */
  public Storage storage() {
    return storage;
  }

  /** Whether the elements lie in row-major order without gaps from {@link #offset()}. */
  public boolean isContiguous() {
    return Layouts.isContiguous(shape, strides);
  }

  /** This tensor if it is contiguous, else a contiguous copy (which stays in the autograd graph). */
  public Tensor contiguous() {
    return isContiguous() ? this : clone();
  }

  /** Internal: the shape array itself, not a copy; callers must not modify it. */
  public int[] shapeRef() {
    return shape;
  }

  /** Internal: the strides array itself, not a copy; callers must not modify it. */
  public int[] stridesRef() {
    return strides;
  }

  // ---------------------------------------------------------------- reading values

  /** The single value of a one-element tensor. */
  public double item() {
    if (numel() != 1) {
      throw new IllegalStateException(
          "item() needs a tensor with one element, but this one has shape " + Arrays.toString(shape)
              + " (" + numel() + " elements)");
    }
    return storage.getDouble(offset);
  }

  /** The element at these indices (one per dimension), as a double. */
  public double get(int... index) {
    return storage.getDouble(storageIndex(index));
  }

  /** The element at these indices (one per dimension), as a long. */
  public long getLong(int... index) {
    return storage.getLong(storageIndex(index));
  }

  private int storageIndex(int[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "expected " + shape.length + " indices for shape " + Arrays.toString(shape) + ", but got " + index.length);
    }
    int at = offset;
    for (int d = 0; d < index.length; d++) {
      int i = index[d] < 0 ? index[d] + shape[d] : index[d];
      if (i < 0 || i >= shape[d]) {
        throw new IndexOutOfBoundsException(
            "index " + index[d] + " is out of bounds for dimension " + d + " with size " + shape[d]);
      }
      at += i * strides[d];
    }
    return at;
  }

  /** The elements in row-major order, converted to float. */
  public float[] toFloatArray() {
    int n = numel();
    float[] out = new float[n];
    if (dtype() == DType.FLOAT32 && isContiguous()) {
      System.arraycopy(storage.floats(), offset, out, 0, n);
      return out;
    }
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = (float) storage.getDouble(at));
    return out;
  }

  /** The elements in row-major order, converted to double. */
  public double[] toDoubleArray() {
    int n = numel();
    double[] out = new double[n];
    if (dtype() == DType.FLOAT64 && isContiguous()) {
      System.arraycopy(storage.doubles(), offset, out, 0, n);
      return out;
    }
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = storage.getDouble(at));
    return out;
  }

  /** The elements in row-major order, converted to long (floats truncate toward zero). */
  public long[] toLongArray() {
    long[] out = new long[numel()];
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = storage.getLong(at));
    return out;
  }

  /** The elements in row-major order, converted to int. */
  public int[] toIntArray() {
    int[] out = new int[numel()];
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = (int) storage.getLong(at));
    return out;
  }

  /** The elements in row-major order as booleans (nonzero is true). */
  public boolean[] toBooleanArray() {
    boolean[] out = new boolean[numel()];
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = storage.getDouble(at) != 0);
    return out;
  }

  // ---------------------------------------------------------------- copying

  /** A contiguous copy with its own storage, detached from the graph. */
  public Tensor copyData() {
    Tensor out = empty(dtype(), shape);
    copyInto(this, out);
    return out;
  }

  /** Copies the elements of {@code src} into {@code dst} (same shape), converting dtypes. */
  static void copyInto(Tensor src, Tensor dst) {
    if (!Arrays.equals(src.shape, dst.shape)) {
      throw new IllegalArgumentException(
          "copy: shapes " + Arrays.toString(src.shape) + " and " + Arrays.toString(dst.shape) + " differ");
    }
    if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
      System.arraycopy(arrayOf(src.storage), src.offset, arrayOf(dst.storage), dst.offset, src.numel());
      return;
    }
    int[] dstAt = new int[src.numel()];
    Layouts.forEachIndex(dst.shape, dst.strides, dst.offset, (i, at) -> dstAt[i] = at);
    if (src.dtype().isFloatingPoint() || dst.dtype().isFloatingPoint()) {
      Layouts.forEachIndex(src.shape, src.strides, src.offset, (i, at) -> dst.storage.setDouble(dstAt[i], src.storage.getDouble(at)));
    } else {
      Layouts.forEachIndex(src.shape, src.strides, src.offset, (i, at) -> dst.storage.setLong(dstAt[i], src.storage.getLong(at)));
    }
  }

  private static Object arrayOf(Storage s) {
    switch (s.dtype()) {
      case FLOAT32: return s.floats();
      case FLOAT64: return s.doubles();
      case INT64: return s.longs();
      case INT32: return s.ints();
      default: return s.bools();
    }
  }

  /** A contiguous copy with its own storage that stays in the autograd graph ({@code torch.clone}). */
  @Override
  public Tensor clone() {
    return copyData(); // TODO(#2): record the copy so gradients flow through it.
  }

  /**
   * Makes this tensor view {@code source}'s data (storage, shape, dtype) while keeping its identity,
   * its gradient flag and its place as a parameter, as {@code tensor.data = source} in PyTorch.
   * Used by {@code Module.to(DType)} and {@code loadStateDict} so optimizers keep valid references.
   */
  public void setData(Tensor source) {
    this.storage = source.storage;
    this.shape = source.shape.clone();
    this.strides = source.strides.clone();
    this.offset = source.offset;
    this.device = source.device;
  }

  // ---------------------------------------------------------------- autograd state

  /** Sets whether autograd records operations on this tensor; returns this. Only leaves can change it. */
  public Tensor requiresGrad(boolean requiresGrad) {
    if (gradFn != null && !requiresGrad) {
      throw new IllegalStateException(
          "requiresGrad(false) on a non-leaf tensor (computed by " + gradFn.name() + "): use detach() instead");
    }
    if (requiresGrad && !dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          "only floating-point tensors can require gradients, but this tensor is " + dtype()
              + ": convert it first with to(DType.FLOAT32)");
    }
    this.requiresGrad = requiresGrad;
    return this;
  }

  /** Whether autograd records operations on this tensor. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /**
   * The accumulated gradient of a leaf that requires grad (or of a tensor that called
   * {@link #retainGrad()}), after {@code backward()}; null before, and null for tensors that do
   * not require grad, as in PyTorch.
   */
  public Tensor grad() {
    return grad;
  }

  /** Replaces the gradient (null clears it), as assigning {@code tensor.grad} in PyTorch. */
  public void setGrad(Tensor grad) {
    this.grad = grad;
  }

  /** The node that computed this tensor, or null for a leaf. */
  public Node gradFn() {
    return gradFn;
  }

  /** Internal: marks this tensor as the output of {@code node}; sets requiresGrad. */
  public void setGradFn(Node node) {
    this.gradFn = node;
    this.requiresGrad = node != null;
  }

  /** Whether this is a leaf of the graph: created by the user, not computed by a recorded op. */
  public boolean isLeaf() {
    return gradFn == null;
  }

  /** Asks backward to keep this non-leaf tensor's gradient in {@link #grad()}. */
  public Tensor retainGrad() {
    retainsGrad = true;
    return this;
  }

  /** Whether backward stores this tensor's gradient: a leaf that requires grad, or one that retains. */
  public boolean retainsGrad() {
    return retainsGrad || (gradFn == null && requiresGrad);
  }

  /** A view of the same storage that is out of the graph and does not require grad. */
  public Tensor detach() {
    return new Tensor(storage, offset, shape, strides, device);
  }

  @Override
  public String toString() {
    return TensorFormat.format(this);
  }
}

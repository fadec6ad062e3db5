package dev.flint.tensor;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array with a dtype, a device and, optionally, a gradient: Flint's
 * {@code torch.Tensor}. A tensor is a view (shape, strides, offset) over a {@link Storage}; views
 * such as {@code transpose} share the storage. Ops that need gradients record a {@link GradFn}.
 *
 * <p>Math, copies and backward go through the {@link TensorBackend} (the eager kernels and autograd
 * engine), so this package depends on no other Flint package but the op table (docs/design.md,
 * "Packages").
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
  private GradFn gradFn;
  private boolean retainsGrad;
  // Gradient recycling (Note [Recycled gradients]): the engine made `grad` and nobody outside the
  // runtime has read it, so after zeroGrad() its storage can take the next first gradient.
  private boolean gradOwnedByEngine;
  private boolean gradHandedOut;
  private Tensor spareGrad;
  // The storage generation this tensor was made in (Note [Lent buffers]).
  private int generation;

  private Tensor(Storage storage, int offset, int[] shape, int[] strides, Device device) {
    this.storage = storage;
    this.generation = storage.generation();
    this.offset = offset;
    this.shape = shape;
    this.strides = strides;
    this.device = device;
  }

  /** The backend that runs ops, copies and backward (loaded once, see {@link TensorAccess}). */
  private static TensorBackend backend() {
    return TensorAccess.BACKEND;
  }

  // ---------------------------------------------------------------- construction (runtime-internal, see TensorAccess)

  /**
   * A tensor viewing {@code storage} with the given layout; the arrays are owned by the tensor
   * afterwards. Used by kernels and views; users create tensors with {@code of}, {@code zeros}, ...
   */
  static Tensor view(Storage storage, int offset, int[] shape, int[] strides) {
    return new Tensor(storage, offset, shape, strides, Device.CPU);
  }

  /** A contiguous tensor over all of {@code storage} with this shape. */
  static Tensor wrap(Storage storage, int... shape) {
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

  /**
   * A 0-d INT64 tensor, as {@code torch.tensor(3)}: a class label for {@code CrossEntropyLoss}. An
   * {@code int} argument picks this overload ({@code Tensor.scalar(3)} is INT64); write {@code 3.0}
   * for a FLOAT32 scalar.
   */
  public static Tensor scalar(long value) {
    return wrap(Storage.of(new long[] {value}));
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

  /** Values uniform in {@code [0, 1)} with the shape and (floating-point) dtype of {@code t} ({@code torch.rand_like}). */
  public static Tensor randLike(Tensor t) {
    return randomLike(t, "randLike", false);
  }

  /** Standard normal values with the shape and (floating-point) dtype of {@code t} ({@code torch.randn_like}). */
  public static Tensor randnLike(Tensor t) {
    return randomLike(t, "randnLike", true);
  }

  private static Tensor randomLike(Tensor t, String op, boolean normal) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(op + ": expected a floating-point tensor (FLOAT32 or FLOAT64), but got "
          + t.dtype() + "; for integers use randint");
    }
    Generator gen = Generator.defaultGenerator();
    Tensor out = empty(t.dtype(), t.shape);
    for (int i = 0, n = out.numel(); i < n; i++) {
      out.storage.setDouble(i, normal ? gen.nextGaussian() : gen.nextDouble());
    }
    return out;
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

  /**
   * The sizes of each dimension, as PyTorch's {@code x.size()}: the same copy as {@link #shape()}.
   * An {@code int[]} prints as {@code [I@...}; print {@link #shapeString()} or {@code Arrays.toString(x.size())}.
   */
  public int[] size() {
    return shape();
  }

  /** The shape as PyTorch prints it inside {@code torch.Size(...)}: {@code [2, 3]}, {@code []} for a 0-d tensor. */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  /** The number of dimensions, as PyTorch's {@code x.ndim} (the same as {@link #dim()}). */
  public int ndim() {
    return shape.length;
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
    if (generation != storage.generation()) {
      throw new IllegalStateException("this tensor was returned by a compiled model's forward, and the model has "
          + "since reused its memory for a later forward (after the backward of this one): a compiled model "
          + "plans its buffers and reuses them from step to step. Keep a value across steps with clone() (or "
          + "item() for a loss), or compute it under Autograd.noGrad(), where outputs are never reused");
    }
    return storage;
  }

  // Note [Lent buffers]: a compiled model writes its forward output into a buffer it owns and hands
  // the caller a view of it (lend). Once that step's backward has freed the graph, the next forward
  // reclaims the buffer, which starts a new storage generation: the view handed out earlier then
  // refuses to read (storage() above) instead of showing the newer values.

  /** For compiled models (TensorAccess): a view of this buffer for the caller, valid until {@link #reclaim()}. */
  Tensor lend() {
    storage.markLent();
    // its own arrays: the buffer's are rewritten in place when a later forward changes its shape (Buffers)
    return new Tensor(storage, offset, shape.clone(), strides.clone(), device);
  }

  /** For compiled models (TensorAccess): takes back a buffer lent by {@link #lend()} before writing it again. */
  void reclaim() {
    if (storage.reclaim()) {
      generation = storage.generation();
    }
  }

  /**
   * For compiled models (TensorAccess): points this tensor, a planned buffer or kept view that no caller
   * holds, at {@code storage} from {@code offset}; its shape and strides arrays are rewritten by the caller.
   */
  void repoint(Storage storage, int offset) {
    this.storage = storage;
    this.offset = offset;
    this.generation = storage.generation();
  }

  /** For compiled models (TensorAccess): whether this tensor reads {@code base}'s storage, in its current generation. */
  boolean readsStorageOf(Tensor base) {
    return storage == base.storage && generation == storage.generation();
  }

  /** Whether the elements lie in row-major order without gaps from {@link #offset()}. */
  public boolean isContiguous() {
    return Layouts.isContiguous(shape, strides);
  }

  /** This tensor if it is contiguous, else a contiguous copy (which stays in the autograd graph). */
  public Tensor contiguous() {
    return isContiguous() ? this : clone();
  }

  /** The shape array itself, not a copy; callers (kernels, through TensorAccess) must not modify it. */
  int[] shapeRef() {
    return shape;
  }

  /** The strides array itself, not a copy; callers (kernels, through TensorAccess) must not modify it. */
  int[] stridesRef() {
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
    return storage().getDouble(offset);
  }

  /** The element at these indices (one per dimension), as a double. */
  public double get(int... index) {
    return storage().getDouble(storageIndex(index));
  }

  /** The element at these indices (one per dimension), as a long. */
  public long getLong(int... index) {
    return storage().getLong(storageIndex(index));
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
      System.arraycopy(storage().floats(), offset, out, 0, n);
      return out;
    }
    Storage st = storage();
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = (float) st.getDouble(at));
    return out;
  }

  /** The elements in row-major order, converted to double. */
  public double[] toDoubleArray() {
    int n = numel();
    double[] out = new double[n];
    if (dtype() == DType.FLOAT64 && isContiguous()) {
      System.arraycopy(storage().doubles(), offset, out, 0, n);
      return out;
    }
    Storage st = storage();
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = st.getDouble(at));
    return out;
  }

  /** The elements in row-major order, converted to long (floats truncate toward zero). */
  public long[] toLongArray() {
    Storage st = storage();
    long[] out = new long[numel()];
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = st.getLong(at));
    return out;
  }

  /** The elements in row-major order, converted to int. */
  public int[] toIntArray() {
    Storage st = storage();
    int[] out = new int[numel()];
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = (int) st.getLong(at));
    return out;
  }

  /** The elements in row-major order as booleans (nonzero is true). */
  public boolean[] toBooleanArray() {
    Storage st = storage();
    boolean[] out = new boolean[numel()];
    Layouts.forEachIndex(shape, strides, offset, (i, at) -> out[i] = st.getDouble(at) != 0);
    return out;
  }

  // ---------------------------------------------------------------- copying

  /** A contiguous copy with its own storage, detached from the graph. */
  public Tensor copyData() {
    return backend().copyData(this);
  }

  /** A contiguous copy with its own storage that stays in the autograd graph ({@code torch.clone}). */
  @Override
  public Tensor clone() {
    return backend().run(Op.CLONE, Attrs.NONE, this);
  }

  /**
   * Makes this tensor view {@code source}'s data (storage, shape, dtype) while keeping its identity,
   * its gradient flag and its place as a parameter, as {@code tensor.data = source} in PyTorch.
   * Used by {@code Module.to(DType)} and {@code loadStateDict} so optimizers keep valid references.
   */
  public void setData(Tensor source) {
    if (storage.isParameter()) {
      source.storage().markParameter();   // a parameter's new data is written only through versioned paths too
    }
    this.storage = source.storage();
    this.generation = source.generation;
    this.shape = source.shape.clone();
    this.strides = source.strides.clone();
    this.offset = source.offset;
    this.device = source.device;
  }

  // ---------------------------------------------------------------- random creation

  /** FLOAT32 values uniform in {@code [0, 1)} from the default generator, as {@code torch.rand}. */
  public static Tensor rand(int... shape) {
    return rand(Generator.defaultGenerator(), shape);
  }

  /** FLOAT32 values uniform in {@code [0, 1)} from {@code gen}. */
  public static Tensor rand(Generator gen, int... shape) {
    Tensor t = empty(DType.FLOAT32, shape);
    float[] d = t.storage.floats();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) gen.nextDouble();
    }
    return t;
  }

  /** FLOAT32 standard normal values from the default generator, as {@code torch.randn}. */
  public static Tensor randn(int... shape) {
    return randn(Generator.defaultGenerator(), shape);
  }

  /** FLOAT32 standard normal values from {@code gen}. */
  public static Tensor randn(Generator gen, int... shape) {
    Tensor t = empty(DType.FLOAT32, shape);
    float[] d = t.storage.floats();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) gen.nextGaussian();
    }
    return t;
  }

  /** INT64 values uniform in {@code [low, high)} from the default generator, as {@code torch.randint}. */
  public static Tensor randint(long low, long high, int... shape) {
    return randint(Generator.defaultGenerator(), low, high, shape);
  }

  /** INT64 values uniform in {@code [low, high)} from {@code gen}. */
  public static Tensor randint(Generator gen, long low, long high, int... shape) {
    if (high <= low) {
      throw new IllegalArgumentException("randint: expected low < high, but got low=" + low + " and high=" + high);
    }
    Tensor t = empty(DType.INT64, shape);
    long[] d = t.storage.longs();
    for (int i = 0; i < d.length; i++) {
      d[i] = low + gen.nextLong(high - low);
    }
    return t;
  }

  // ---------------------------------------------------------------- elementwise math

  private static Tensor run(Op op, Attrs attrs, Tensor... in) {
    return backend().run(op, attrs, in);
  }

  /** A 0-d tensor holding {@code v} in the dtype a Python scalar would take next to this tensor. */
  private Tensor scalarLike(double v) {
    return scalar(v, DTypes.scalarResult(dtype(), v));
  }

  /** {@code this + other}, broadcast, with PyTorch's type promotion. */
  public Tensor add(Tensor other) {
    return run(Op.ADD, Attrs.NONE, this, other);
  }

  /** {@code this + s}; a float tensor keeps its dtype. */
  public Tensor add(double s) {
    return run(Op.ADD_SCALAR, Attrs.of(Attrs.VALUE, s), this);
  }

  public Tensor sub(Tensor other) {
    return run(Op.SUB, Attrs.NONE, this, other);
  }

  public Tensor sub(double s) {
    return run(Op.ADD_SCALAR, Attrs.of(Attrs.VALUE, -s), this);
  }

  /** {@code s - this} ({@code torch.rsub}). */
  public Tensor rsub(double s) {
    return neg().add(s);
  }

  public Tensor mul(Tensor other) {
    return run(Op.MUL, Attrs.NONE, this, other);
  }

  public Tensor mul(double s) {
    return run(Op.MUL_SCALAR, Attrs.of(Attrs.VALUE, s), this);
  }

  /** True division {@code this / other}, broadcast; integer tensors give FLOAT32. */
  public Tensor div(Tensor other) {
    return run(Op.DIV, Attrs.NONE, this, other);
  }

  public Tensor div(double s) {
    return div(scalarLike(s));
  }

  public Tensor neg() {
    return run(Op.NEG, Attrs.NONE, this);
  }

  /** {@code this ^ p} elementwise. */
  public Tensor pow(double p) {
    return run(Op.POW_SCALAR, Attrs.of(Attrs.VALUE, p), this);
  }

  public Tensor exp() {
    return run(Op.EXP, Attrs.NONE, this);
  }

  /** The natural logarithm. */
  public Tensor log() {
    return run(Op.LOG, Attrs.NONE, this);
  }

  public Tensor sqrt() {
    return run(Op.SQRT, Attrs.NONE, this);
  }

  public Tensor abs() {
    return run(Op.ABS, Attrs.NONE, this);
  }

  /** -1, 0 or 1 by sign ({@code torch.sign}); its gradient is zero. */
  public Tensor sign() {
    return run(Op.SIGN, Attrs.NONE, this);
  }

  /** Elementwise {@code min(max(x, min), max)}. */
  public Tensor clamp(double min, double max) {
    if (min > max) {
      throw new IllegalArgumentException("clamp: min (" + min + ") must not be greater than max (" + max + ")");
    }
    return run(Op.CLAMP, Attrs.of(Attrs.MIN, min, Attrs.MAX, max), this);
  }

  /** Elementwise {@code max(x, min)} ({@code clamp(min=...)}). */
  public Tensor clampMin(double min) {
    return clamp(min, Double.POSITIVE_INFINITY);
  }

  /** Elementwise {@code min(x, max)} ({@code clamp(max=...)}). */
  public Tensor clampMax(double max) {
    return clamp(Double.NEGATIVE_INFINITY, max);
  }

  public Tensor relu() {
    return run(Op.RELU, Attrs.NONE, this);
  }

  public Tensor sigmoid() {
    return run(Op.SIGMOID, Attrs.NONE, this);
  }

  public Tensor tanh() {
    return run(Op.TANH, Attrs.NONE, this);
  }

  public Tensor sin() {
    return run(Op.SIN, Attrs.NONE, this);
  }

  public Tensor cos() {
    return run(Op.COS, Attrs.NONE, this);
  }

  /** The largest integer not above each element; integer tensors are returned as they are. Zero gradient. */
  public Tensor floor() {
    return run(Op.FLOOR, Attrs.NONE, this);
  }

  /** The smallest integer not below each element. Zero gradient. */
  public Tensor ceil() {
    return run(Op.CEIL, Attrs.NONE, this);
  }

  /** The nearest integer, ties to even as {@code torch.round}: 0.5 → 0, 1.5 → 2, -2.5 → -2. Zero gradient. */
  public Tensor round() {
    return run(Op.ROUND, Attrs.NONE, this);
  }

  // ---------------------------------------------------------------- comparisons (BOOL results)

  public Tensor gt(Tensor other) {
    return run(Op.GT, Attrs.NONE, this, other);
  }

  public Tensor gt(double s) {
    return gt(scalarLike(s));
  }

  public Tensor lt(Tensor other) {
    return run(Op.LT, Attrs.NONE, this, other);
  }

  public Tensor lt(double s) {
    return lt(scalarLike(s));
  }

  public Tensor ge(Tensor other) {
    return run(Op.GE, Attrs.NONE, this, other);
  }

  public Tensor ge(double s) {
    return ge(scalarLike(s));
  }

  public Tensor le(Tensor other) {
    return run(Op.LE, Attrs.NONE, this, other);
  }

  public Tensor le(double s) {
    return le(scalarLike(s));
  }

  public Tensor eq(Tensor other) {
    return run(Op.EQ, Attrs.NONE, this, other);
  }

  public Tensor eq(double s) {
    return eq(scalarLike(s));
  }

  public Tensor ne(Tensor other) {
    return run(Op.NE, Attrs.NONE, this, other);
  }

  public Tensor ne(double s) {
    return ne(scalarLike(s));
  }

  /** {@code condition ? a : b} elementwise, all broadcast ({@code torch.where}). */
  public static Tensor where(Tensor condition, Tensor a, Tensor b) {
    return run(Op.WHERE, Attrs.NONE, condition, a, b);
  }

  /** {@code condition ? a : b} with a scalar for b. */
  public static Tensor where(Tensor condition, Tensor a, double b) {
    return where(condition, a, a.scalarLike(b));
  }

  /** The elementwise maximum of two tensors, broadcast ({@code torch.maximum}); the gradient goes to the larger. */
  public Tensor maximum(Tensor other) {
    return where(ge(other), this, other);
  }

  /** The elementwise minimum of two tensors, broadcast ({@code torch.minimum}). */
  public Tensor minimum(Tensor other) {
    return where(le(other), this, other);
  }

  /** This tensor with {@code value} where {@code mask} is true ({@code masked_fill}); differentiable elsewhere. */
  public Tensor maskedFill(Tensor mask, double value) {
    return where(mask, scalarLike(value).to(dtype()), this);
  }

  /** {@code x * x}. */
  public Tensor square() {
    return mul(this);
  }

  /**
   * Whether {@code other} has the same shape and the same values ({@code torch.equal}); dtypes are
   * promoted for the comparison, and NaN equals nothing, as in PyTorch.
   */
  public boolean equal(Tensor other) {
    if (!Arrays.equals(shape, other.shape)) {
      return false;
    }
    return backend().compute(Op.EQ, Attrs.NONE, this, other).all().item() != 0;
  }

  /** A 0-d BOOL tensor: whether every element is non-zero (true for an empty tensor), as {@code torch.all}. */
  public Tensor all() {
    Tensor v = contiguous();
    for (int i = 0, n = v.numel(); i < n; i++) {
      if (v.storage.getDouble(v.offset + i) == 0) {
        return scalar(0, DType.BOOL);
      }
    }
    return scalar(1, DType.BOOL);
  }

  /** A 0-d BOOL tensor: whether any element is non-zero (false for an empty tensor), as {@code torch.any}. */
  public Tensor any() {
    Tensor v = contiguous();
    for (int i = 0, n = v.numel(); i < n; i++) {
      if (v.storage.getDouble(v.offset + i) != 0) {   // NaN counts as non-zero, as in PyTorch
        return scalar(1, DType.BOOL);
      }
    }
    return scalar(0, DType.BOOL);
  }

  /**
   * Whether both tensors have the same shape and {@code |a - b| <= atol + rtol * |b|} elementwise
   * ({@code torch.allclose}; NaNs are never close).
   */
  public boolean allclose(Tensor other, double rtol, double atol) {
    if (!Arrays.equals(shape, other.shape)) {
      return false;
    }
    double[] a = toDoubleArray();
    double[] b = other.toDoubleArray();
    for (int i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@link #allclose(Tensor, double, double)} with PyTorch's defaults {@code rtol=1e-5, atol=1e-8}. */
  public boolean allclose(Tensor other) {
    return allclose(other, 1e-5, 1e-8);
  }

  // ---------------------------------------------------------------- matmul

  /**
   * Matrix product with {@code torch.matmul}'s rules: 1-D @ 1-D is a dot product (0-d), a 1-D
   * operand is treated as a row (left) or column (right) vector and that dim is removed afterwards,
   * and batch dims broadcast. Both operands must have the same dtype.
   */
  public Tensor matmul(Tensor other) {
    int ra = dim();
    int rb = other.dim();
    String types = dtype().shortName() + Arrays.toString(shape) + " @ " + other.dtype().shortName()
        + Arrays.toString(other.shape);
    if (ra == 0 || rb == 0) {
      throw new IllegalArgumentException("matmul: " + types + ": both arguments need at least 1 dimension");
    }
    if (dtype() != other.dtype()) {
      DType wider = DType.promote(dtype(), other.dtype());
      throw new IllegalArgumentException("matmul: expected both operands to have the same dtype, but got "
          + dtype().shortName() + " and " + other.dtype().shortName() + ": convert one with .to(DType." + wider.name() + ")");
    }
    int k = shape[ra - 1];
    int kb = rb == 1 ? other.shape[0] : other.shape[rb - 2];
    if (k != kb) {
      throw new dev.flint.ops.ShapeError("matmul: " + types + ": inner dimensions " + k + " != " + kb);
    }
    Tensor a = ra == 1 ? unsqueeze(0) : this;
    Tensor b = rb == 1 ? other.unsqueeze(1) : other;
    Tensor out = run(Op.MATMUL, Attrs.NONE, a, b);
    if (rb == 1) {
      out = out.squeeze(-1);
    }
    if (ra == 1) {
      out = out.squeeze(rb == 1 ? -1 : -2);
    }
    return out;
  }

  // ---------------------------------------------------------------- reductions

  private int[] allDims() {
    int[] dims = new int[shape.length];
    for (int d = 0; d < dims.length; d++) {
      dims[d] = d;
    }
    return dims;
  }

  private int[] normalizeDims(int[] dims, String op) {
    int[] out = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = Layouts.normalizeDim(dims[i], shape.length, op);
    }
    return out;
  }

  /** The sum of all elements, 0-d (integer sums are INT64). */
  public Tensor sum() {
    return sum(allDims(), false);
  }

  public Tensor sum(int dim) {
    return sum(new int[] {dim}, false);
  }

  public Tensor sum(int dim, boolean keepDim) {
    return sum(new int[] {dim}, keepDim);
  }

  /** The sum over {@code dims}, keeping them as size 1 when {@code keepDim}. */
  public Tensor sum(int[] dims, boolean keepDim) {
    int[] d = normalizeDims(dims, "sum");
    if (shape.length == 0) {
      d = new int[0];   // a 0-d tensor accepts dim 0 or -1, as in PyTorch, and has nothing to reduce
    }
    return run(Op.SUM, Attrs.of(Attrs.DIMS, d, Attrs.KEEP_DIM, keepDim), this);
  }

  /** The mean of all elements, 0-d. */
  public Tensor mean() {
    return mean(allDims(), false);
  }

  public Tensor mean(int dim) {
    return mean(new int[] {dim}, false);
  }

  public Tensor mean(int dim, boolean keepDim) {
    return mean(new int[] {dim}, keepDim);
  }

  /** The mean over {@code dims}; floating-point tensors only, as PyTorch. */
  public Tensor mean(int[] dims, boolean keepDim) {
    if (!dtype().isFloatingPoint()) {
      throw new IllegalArgumentException("mean: could not infer output dtype: input dtype must be floating point, "
          + "but got " + dtype().shortName() + ": convert first with .to(DType.FLOAT32)");
    }
    int[] d = normalizeDims(dims, "mean");
    if (shape.length == 0) {
      d = new int[0];   // a 0-d tensor accepts dim 0 or -1, as in PyTorch, and has nothing to reduce
    }
    long count = 1;
    for (int x : d) {
      count *= shape[x];
    }
    return sum(d, keepDim).div(count);
  }

  /** The variance over all elements, unbiased (divides by n - 1), as {@code torch.var}. */
  public Tensor var() {
    return var(allDims(), true, false);
  }

  /** The variance over all elements; {@code unbiased} divides by n - 1, else by n. */
  public Tensor var(boolean unbiased) {
    return var(allDims(), unbiased, false);
  }

  public Tensor var(int dim) {
    return var(new int[] {dim}, true, false);
  }

  public Tensor var(int dim, boolean unbiased, boolean keepDim) {
    return var(new int[] {dim}, unbiased, keepDim);
  }

  /** The variance over {@code dims}. */
  public Tensor var(int[] dims, boolean unbiased, boolean keepDim) {
    int[] d = normalizeDims(dims, "var");
    if (shape.length == 0) {
      d = new int[0];   // a 0-d tensor accepts dim 0 or -1, as in PyTorch, and has nothing to reduce
    }
    long n = 1;
    for (int x : d) {
      n *= shape[x];
    }
    Tensor centered = sub(mean(d, true));
    return centered.mul(centered).sum(d, keepDim).div(Math.max(0, unbiased ? n - 1 : n));
  }

  /** The standard deviation over all elements, unbiased. */
  public Tensor std() {
    return var().sqrt();
  }

  public Tensor std(boolean unbiased) {
    return var(unbiased).sqrt();
  }

  public Tensor std(int dim) {
    return var(dim).sqrt();
  }

  public Tensor std(int dim, boolean unbiased, boolean keepDim) {
    return var(dim, unbiased, keepDim).sqrt();
  }

  /** Values and INT64 indices of a max/min along a dim ({@code torch.return_types.max}). */
  public record ValuesIndices(Tensor values, Tensor indices) {}

  private Tensor flatForReduce(String op) {
    if (numel() == 0) {
      throw new IllegalArgumentException(op + "(): expected a non-empty tensor, but got shape " + Arrays.toString(shape)
          + "; use " + op + "(dim) to reduce a dimension of nonzero size");
    }
    return reshape(-1);
  }

  /** The largest element, 0-d. */
  public Tensor max() {
    return flatForReduce("max").max(0).values();
  }

  /** The smallest element, 0-d. */
  public Tensor min() {
    return flatForReduce("min").min(0).values();
  }

  /** The maxima along {@code dim} and where they are (the first on ties); the gradient flows to those places. */
  public ValuesIndices max(int dim) {
    return max(dim, false);
  }

  public ValuesIndices max(int dim, boolean keepDim) {
    Attrs a = Attrs.of(Attrs.DIM, Layouts.normalizeDim(dim, shape.length, "max"), Attrs.KEEP_DIM, keepDim);
    return new ValuesIndices(run(Op.MAX, a, this), run(Op.ARGMAX, a, this));
  }

  public ValuesIndices min(int dim) {
    return min(dim, false);
  }

  public ValuesIndices min(int dim, boolean keepDim) {
    Attrs a = Attrs.of(Attrs.DIM, Layouts.normalizeDim(dim, shape.length, "min"), Attrs.KEEP_DIM, keepDim);
    return new ValuesIndices(run(Op.MIN, a, this), run(Op.ARGMIN, a, this));
  }

  /** The flat INT64 index of the largest element, 0-d. */
  public Tensor argmax() {
    return flatForReduce("argmax").argmax(0);
  }

  /** INT64 indices of the maxima along {@code dim}. */
  public Tensor argmax(int dim) {
    return argmax(dim, false);
  }

  public Tensor argmax(int dim, boolean keepDim) {
    return run(Op.ARGMAX, Attrs.of(Attrs.DIM, Layouts.normalizeDim(dim, shape.length, "argmax"), Attrs.KEEP_DIM, keepDim), this);
  }

  public Tensor argmin() {
    return flatForReduce("argmin").argmin(0);
  }

  public Tensor argmin(int dim) {
    return argmin(dim, false);
  }

  public Tensor argmin(int dim, boolean keepDim) {
    return run(Op.ARGMIN, Attrs.of(Attrs.DIM, Layouts.normalizeDim(dim, shape.length, "argmin"), Attrs.KEEP_DIM, keepDim), this);
  }

  /** {@code exp(x) / sum(exp(x))} along {@code dim}, computed stably. */
  public Tensor softmax(int dim) {
    return run(Op.SOFTMAX, Attrs.of(Attrs.DIM, Layouts.normalizeDim(dim, shape.length, "softmax")), this);
  }

  /** {@code log(softmax(x))} along {@code dim}, computed stably. */
  public Tensor logSoftmax(int dim) {
    return run(Op.LOG_SOFTMAX, Attrs.of(Attrs.DIM, Layouts.normalizeDim(dim, shape.length, "logSoftmax")), this);
  }

  // ---------------------------------------------------------------- shape and views

  /** A view with {@code dim0} and {@code dim1} swapped. */
  public Tensor transpose(int dim0, int dim1) {
    int[] perm = allDims();
    if (shape.length == 0) {
      Layouts.normalizeDim(dim0, 0, "transpose");
      Layouts.normalizeDim(dim1, 0, "transpose");
      return permute();
    }
    int a = Layouts.normalizeDim(dim0, shape.length, "transpose");
    int b = Layouts.normalizeDim(dim1, shape.length, "transpose");
    perm[a] = b;
    perm[b] = a;
    return permute(perm);
  }

  /**
   * The lower triangle of each matrix in the last two dims ({@code torch.tril}): entries with
   * {@code col - row <= diagonal} kept, the others zero; 0 is the main diagonal, positive values
   * move it up. Any dtype ({@code Tensor.ones(DType.BOOL, T, T).tril(0)} is a causal mask).
   */
  public Tensor tril(int diagonal) {
    return run(Op.TRIL, Attrs.of(Attrs.DIAGONAL, diagonal), this);
  }

  /** {@code tril(0)}. */
  public Tensor tril() {
    return tril(0);
  }

  /** The upper triangle ({@code torch.triu}): entries with {@code col - row >= diagonal} kept, the others zero. */
  public Tensor triu(int diagonal) {
    return run(Op.TRIU, Attrs.of(Attrs.DIAGONAL, diagonal), this);
  }

  /** {@code triu(0)}. */
  public Tensor triu() {
    return triu(0);
  }

  /** The transpose of a tensor with at most 2 dims ({@code torch.t}). */
  public Tensor t() {
    if (shape.length > 2) {
      throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but this one has shape "
          + Arrays.toString(shape) + ": use transpose(dim0, dim1) or permute");
    }
    return shape.length < 2 ? this : transpose(0, 1);
  }

  /** A view with the dims reordered: dim {@code i} of the result is dim {@code dims[i]} of this. */
  public Tensor permute(int... dims) {
    return run(Op.PERMUTE, Attrs.of(Attrs.PERM, shape.length == dims.length ? normalizeDims(dims, "permute") : dims), this);
  }

  /** The same elements with a new shape (one size may be -1): a view when possible, else a copy. */
  public Tensor reshape(int... newShape) {
    return run(Op.RESHAPE, Attrs.of(Attrs.SHAPE, newShape), this);
  }

  /** A view with a new shape (one size may be -1); fails when the strides cannot express it. */
  public Tensor view(int... newShape) {
    if (backend().viewOrNull(this, newShape) == null) {
      throw new IllegalStateException("view size is not compatible with input tensor's size and stride (at least one "
          + "dimension spans across two contiguous subspaces): shape " + Arrays.toString(shape) + ", strides "
          + Arrays.toString(strides) + ", requested " + Arrays.toString(newShape)
          + ". Use .reshape(...) instead (or call .contiguous() first).");
    }
    return reshape(newShape);
  }

  /** All dims flattened into one. */
  public Tensor flatten() {
    return flatten(0, -1);
  }

  /** Dims {@code start} to the last flattened into one, as {@code torch.flatten(x, start)}. */
  public Tensor flatten(int start) {
    return flatten(start, -1);
  }

  /** Dims {@code start..end} (inclusive) flattened into one. */
  public Tensor flatten(int start, int end) {
    if (shape.length == 0) {
      Layouts.normalizeDim(start, 0, "flatten");   // a 0-d tensor takes dims -1 and 0 only, as in PyTorch
      Layouts.normalizeDim(end, 0, "flatten");
      return reshape(1);
    }
    int s = Layouts.normalizeDim(start, shape.length, "flatten");
    int e = Layouts.normalizeDim(end, shape.length, "flatten");
    if (s > e) {
      throw new IllegalArgumentException("flatten: start dim (" + start + ") must not come after end dim (" + end + ")");
    }
    int[] out = new int[shape.length - (e - s)];
    int j = 0;
    for (int d = 0; d < shape.length; d++) {
      if (d <= s || d > e) {
        out[j++] = shape[d];
      } else {
        out[j - 1] *= shape[d];
      }
    }
    return reshape(out);
  }

  /** A view without the dims of size 1. */
  public Tensor squeeze() {
    int n = 0;
    for (int s : shape) {
      n += s == 1 ? 0 : 1;
    }
    int[] out = new int[n];
    int j = 0;
    for (int s : shape) {
      if (s != 1) {
        out[j++] = s;
      }
    }
    return n == shape.length ? this : reshape(out);
  }

  /** A view without dim {@code dim} if its size is 1; otherwise this tensor unchanged, as PyTorch. */
  public Tensor squeeze(int dim) {
    if (shape.length == 0) {
      Layouts.normalizeDim(dim, 0, "squeeze");
      return this;
    }
    int d = Layouts.normalizeDim(dim, shape.length, "squeeze");
    if (shape[d] != 1) {
      return this;
    }
    int[] out = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != d) {
        out[j++] = shape[i];
      }
    }
    return reshape(out);
  }

  /** A view with a dim of size 1 inserted at {@code dim} (in {@code [-rank-1, rank]}). */
  public Tensor unsqueeze(int dim) {
    int d = Layouts.normalizeDim(dim, shape.length + 1, "unsqueeze");
    int[] out = new int[shape.length + 1];
    for (int i = 0, j = 0; i < out.length; i++) {
      out[i] = i == d ? 1 : shape[j++];
    }
    return reshape(out);
  }

  /** A broadcast view with {@code sizes} (-1 keeps a size); no data is copied. */
  public Tensor expand(int... sizes) {
    return run(Op.EXPAND, Attrs.of(Attrs.SHAPE, sizes), this);
  }

  /** A broadcast view with {@code other}'s shape. */
  public Tensor expandAs(Tensor other) {
    return expand(other.shape);
  }

  /** A view of {@code length} entries of {@code dim} from {@code start}. */
  public Tensor narrow(int dim, int start, int length) {
    int d = Layouts.normalizeDim(dim, shape.length, "narrow");
    int st = start < 0 && shape.length > 0 ? start + shape[d] : start;
    return run(Op.NARROW, Attrs.of(Attrs.DIM, d, Attrs.START, st, Attrs.LENGTH, length), this);
  }

  /** A view of entry {@code index} of {@code dim}, with that dim removed ({@code x[:, index]} for dim 1). */
  public Tensor select(int dim, int index) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor");
    }
    int d = Layouts.normalizeDim(dim, shape.length, "select");
    int i = index < 0 ? index + shape[d] : index;
    if (i < 0 || i >= shape[d]) {
      throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + d
          + " of shape " + Arrays.toString(shape));
    }
    return narrow(d, i, 1).squeeze(d);
  }

  /**
   * {@code x[start:end:step]} along {@code dim}, as a view: bounds as Python's (negative counts from the
   * end, out-of-range bounds are clamped, an empty range gives size 0); {@code step} must be positive.
   */
  public Tensor slice(int dim, int start, int end, int step) {
    if (step <= 0) {
      throw new IllegalArgumentException("slice: step must be greater than zero, but got " + step);
    }
    if (shape.length == 0) {
      throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor");
    }
    int d = Layouts.normalizeDim(dim, shape.length, "slice");
    int size = shape[d];
    int from = clampBound(start, size);
    int to = clampBound(end, size);
    int length = to <= from ? 0 : (to - from + step - 1) / step;
    if (step == 1 || length <= 1) {
      return run(Op.NARROW, Attrs.of(Attrs.DIM, d, Attrs.START, length == 0 ? 0 : from, Attrs.LENGTH, length), this);
    }
    return run(Op.SLICE, Attrs.of(Attrs.DIM, d, Attrs.START, from, Attrs.LENGTH, length, Attrs.STEP, step), this);
  }

  private static int clampBound(int bound, int size) {
    long b = bound < 0 ? (long) bound + size : bound;
    return (int) Math.max(0, Math.min(size, b));
  }

  /**
   * PyTorch's subscript {@code x[...]}: {@code x.index(Index.all(), Index.at(1))} is {@code x[:, 1]}; see
   * {@link Index} for every form. Integers, slices, ellipsis and new axes give a view; a tensor entry
   * (BOOL mask or integer positions) gives a copy. Differentiable.
   */
  public Tensor index(Index... indices) {
    return Indexer.apply(this, indices);
  }

  /** {@code x[mask]} for a BOOL tensor, {@code x[idx]} for INT64/INT32 positions along dim 0: a copy. */
  public Tensor index(Tensor indexOrMask) {
    return Indexer.apply(this, Index.tensor(indexOrMask));
  }

  /** Concatenates tensors of the same rank along {@code dim} ({@code torch.cat}). */
  public static Tensor cat(int dim, Tensor... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
    }
    int d = Layouts.normalizeDim(dim, tensors[0].dim(), "cat");
    return run(Op.CAT, Attrs.of(Attrs.DIM, d), tensors);
  }

  /** Concatenates along {@code dim}. */
  public static Tensor cat(int dim, List<Tensor> tensors) {
    return cat(dim, tensors.toArray(new Tensor[0]));
  }

  /** Stacks tensors of one shape along a new dim {@code dim} ({@code torch.stack}). */
  public static Tensor stack(int dim, Tensor... tensors) {
    if (tensors.length == 0) {
      throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
    }
    for (int i = 1; i < tensors.length; i++) {
      if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
        throw new dev.flint.ops.ShapeError("stack: expects each tensor to be equal size, but got "
            + Arrays.toString(tensors[0].shape) + " at entry 0 and " + Arrays.toString(tensors[i].shape) + " at entry " + i);
      }
    }
    int d = Layouts.normalizeDim(dim, tensors[0].dim() + 1, "stack");
    Tensor[] parts = new Tensor[tensors.length];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = tensors[i].unsqueeze(d);
    }
    return cat(d, parts);
  }

  /** Stacks along a new dim {@code dim}. */
  public static Tensor stack(int dim, List<Tensor> tensors) {
    return stack(dim, tensors.toArray(new Tensor[0]));
  }

  /** Views of {@code splitSize} entries of {@code dim} each (the last may be smaller), as {@code torch.split}. */
  public List<Tensor> split(int splitSize, int dim) {
    int d = Layouts.normalizeDim(dim, shape.length, "split");
    if (splitSize <= 0 && shape[d] > 0) {
      throw new IllegalArgumentException("split: split size must be positive, but got " + splitSize);
    }
    List<Tensor> parts = new ArrayList<>();
    for (int start = 0; start < shape[d]; start += splitSize) {
      parts.add(narrow(d, start, Math.min(splitSize, shape[d] - start)));
    }
    if (parts.isEmpty()) {
      parts.add(this);
    }
    return parts;
  }

  /** Views of the given sizes along {@code dim}, which must add up to its size. */
  public List<Tensor> split(int[] sizes, int dim) {
    int d = Layouts.normalizeDim(dim, shape.length, "split");
    long total = 0;
    for (int s : sizes) {
      total += s;
    }
    if (total != shape[d]) {
      throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + total
          + ", but dimension " + d + " of shape " + Arrays.toString(shape) + " has size " + shape[d]);
    }
    List<Tensor> parts = new ArrayList<>();
    int start = 0;
    for (int s : sizes) {
      parts.add(narrow(d, start, s));
      start += s;
    }
    return parts;
  }

  /** At most {@code chunks} views of equal size along {@code dim} (the last may be smaller), as {@code torch.chunk}. */
  public List<Tensor> chunk(int chunks, int dim) {
    if (chunks <= 0) {
      throw new IllegalArgumentException("chunk: the number of chunks must be positive, but got " + chunks);
    }
    int d = Layouts.normalizeDim(dim, shape.length, "chunk");
    return split(Math.max(1, (shape[d] + chunks - 1) / chunks), d);
  }

  // ---------------------------------------------------------------- indexing

  /** {@code out[i][j] = x[i][index[i][j]]} for dim 1, and so on ({@code torch.gather}); index is INT64. */
  public Tensor gather(int dim, Tensor index) {
    return run(Op.GATHER, Attrs.of(Attrs.DIM, Layouts.normalizeDim(dim, shape.length, "gather")), this, index);
  }

  /** The entries of {@code dim} at the positions of the 1-D INT64 {@code index} ({@code torch.index_select}). */
  public Tensor indexSelect(int dim, Tensor index) {
    return run(Op.INDEX_SELECT, Attrs.of(Attrs.DIM, Layouts.normalizeDim(dim, shape.length, "indexSelect")), this, index);
  }

  // ---------------------------------------------------------------- dtype and device

  /** This tensor converted to {@code dtype} (this tensor itself when it already has it); differentiable. */
  public Tensor to(DType dtype) {
    if (dtype == dtype()) {
      return this;
    }
    return run(Op.CAST, Attrs.of(Attrs.DTYPE, dtype.name()), this);
  }

  /**
   * This tensor on {@code device}. Flint computes on the CPU; moving to a CUDA device fails with a
   * message saying whether a GPU is present and what is available.
   */
  public Tensor to(Device target) {
    if (target.isCpu()) {
      return this;
    }
    int count = Device.cudaDeviceCount();
    if (count == 0) {
      throw new IllegalStateException(target + " is not available: no NVIDIA driver/GPU found on this machine; "
          + "available devices: [cpu]");
    }
    throw new UnsupportedOperationException(target + " is not available to Flint: this machine has " + count
        + " NVIDIA GPU(s), but Flint has no CUDA backend yet and computes on the CPU; available devices: [cpu]");
  }

  // ---------------------------------------------------------------- in place (no autograd)

  private void checkInPlace(String op) {
    if (!backend().gradEnabled()) {
      return;
    }
    if (requiresGrad && gradFn == null) {
      throw new IllegalStateException("a leaf tensor that requires grad is being used in an in-place operation ("
          + op + "): wrap the update in try (var s = Autograd.noGrad()) { ... }, as optimizers do");
    }
    if (gradFn != null) {
      throw new IllegalStateException("in-place " + op + " on a tensor computed by " + gradFn.name()
          + " would invalidate the values saved for backward: compute a new tensor instead, or detach() first");
    }
  }

  /** Sets every element to 0 in place; returns this ({@code zero_}). */
  public Tensor zero() {
    return fill(0);
  }

  /** Sets every element to {@code value} in place; returns this ({@code fill_}). */
  public Tensor fill(double value) {
    checkInPlace("fill");
    backend().copy(scalar(value, dtype()), this);
    storage.bumpVersion();
    return this;
  }

  /** Copies {@code src}'s values (broadcast, converted) into this tensor in place; returns this ({@code copy_}). */
  public Tensor copyFrom(Tensor src) {
    checkInPlace("copyFrom");
    backend().copy(src, this);
    storage.bumpVersion();
    return this;
  }

  /** {@code this += other} in place (broadcast into this tensor's shape); returns this ({@code add_}). */
  public Tensor addInPlace(Tensor other) {
    return writeInPlace("addInPlace", backend().compute(Op.ADD, Attrs.NONE, this, checkOperand("addInPlace", other)));
  }

  /** {@code this += s} in place; returns this ({@code add_}). */
  public Tensor addInPlace(double s) {
    return writeInPlace("addInPlace", backend().compute(Op.ADD_SCALAR, Attrs.of(Attrs.VALUE, s), this));
  }

  /** {@code this -= other} in place; returns this ({@code sub_}). */
  public Tensor subInPlace(Tensor other) {
    return writeInPlace("subInPlace", backend().compute(Op.SUB, Attrs.NONE, this, checkOperand("subInPlace", other)));
  }

  /** {@code this -= s} in place; returns this ({@code sub_}). */
  public Tensor subInPlace(double s) {
    return writeInPlace("subInPlace", backend().compute(Op.ADD_SCALAR, Attrs.of(Attrs.VALUE, -s), this));
  }

  /** {@code this *= other} in place; returns this ({@code mul_}). */
  public Tensor mulInPlace(Tensor other) {
    return writeInPlace("mulInPlace", backend().compute(Op.MUL, Attrs.NONE, this, checkOperand("mulInPlace", other)));
  }

  /** {@code this *= s} in place; returns this ({@code mul_}). */
  public Tensor mulInPlace(double s) {
    return writeInPlace("mulInPlace", backend().compute(Op.MUL_SCALAR, Attrs.of(Attrs.VALUE, s), this));
  }

  /** {@code this /= other} in place (true division: an integer tensor is refused); returns this ({@code div_}). */
  public Tensor divInPlace(Tensor other) {
    return writeInPlace("divInPlace", backend().compute(Op.DIV, Attrs.NONE, this, checkOperand("divInPlace", other)));
  }

  /** {@code this /= s} in place; returns this ({@code div_}). */
  public Tensor divInPlace(double s) {
    return writeInPlace("divInPlace", backend().compute(Op.DIV, Attrs.NONE, this, scalarLike(s)));
  }

  /**
   * In-place ops are not recorded by autograd, so with grad mode on they refuse what PyTorch would
   * have to record: an operand that requires grad (here as well as on this tensor, see checkInPlace).
   */
  private Tensor checkOperand(String op, Tensor other) {
    if (backend().gradEnabled() && other.requiresGrad()) {
      throw new IllegalStateException(op + ": the operand requires grad, and Flint does not record in-place ops: "
          + "write the out-of-place form (x = x.add(y)), or update under Autograd.noGrad()");
    }
    return other;
  }

  /**
   * Writes {@code result} (this op's value, computed out of place) into this tensor and bumps the
   * version counter, so a backward that saved this tensor's old values fails instead of using the
   * new ones (PyTorch's "modified by an inplace operation" check).
   */
  private Tensor writeInPlace(String op, Tensor result) {
    checkInPlace(op);
    if (!Arrays.equals(result.shape, shape)) {
      throw new IllegalArgumentException(op + ": the result of shape " + Arrays.toString(result.shape)
          + " does not fit this tensor of shape " + Arrays.toString(shape)
          + " (in place, the operand must broadcast to this tensor's shape)");
    }
    if (kind(result.dtype()) > kind(dtype())) {
      throw new IllegalArgumentException(op + ": the result type " + result.dtype() + " cannot be written into this "
          + dtype() + " tensor in place (PyTorch's rule: no float into an integer tensor); use the out-of-place form, "
          + "or convert first with to(DType." + result.dtype() + ")");
    }
    backend().copy(result, this);
    storage.bumpVersion();
    return this;
  }

  /** bool < integer < floating point: a result may be written in place into a tensor of the same kind or above. */
  private static int kind(DType t) {
    return t == DType.BOOL ? 0 : t.isFloatingPoint() ? 2 : 1;
  }

  // ---------------------------------------------------------------- backward

  /** Computes the gradients of this one-element tensor with respect to the leaves that require grad. */
  public void backward() {
    backend().backward(this, null, false);
  }

  /** Backpropagates {@code gradient} (this tensor's shape) into the leaves' {@code grad()}. */
  public void backward(Tensor gradient) {
    backend().backward(this, gradient, false);
  }

  /** As {@link #backward(Tensor)}; {@code retainGraph} keeps the saved values for another backward. */
  public void backward(Tensor gradient, boolean retainGraph) {
    backend().backward(this, gradient, retainGraph);
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
    gradHandedOut = true;
    return grad;
  }

  /** Replaces the gradient (null clears it), as assigning {@code tensor.grad} in PyTorch. */
  public void setGrad(Tensor grad) {
    if (this.grad != null && gradOwnedByEngine && !gradHandedOut) {
      spareGrad = this.grad;
    }
    this.grad = grad;
    gradOwnedByEngine = false;
    gradHandedOut = false;
  }

  // Note [Recycled gradients]: zeroGrad() sets gradients to null, as PyTorch's default, and the next
  // backward needs a fresh first gradient for every parameter. When the old one was made by the engine
  // and never handed out by grad(), nobody else can hold it, so setGrad(null) keeps it as a spare and
  // the next first gradient is copied into it: a training step then allocates no gradient storage.
  // Runtime code that only reads or updates gradients uses gradForUpdate(), which hands out nothing.

  /** For optimizers and the engine (TensorAccess): the gradient, without handing it out (see {@link #grad()}). */
  Tensor gradForUpdate() {
    return grad;
  }

  /**
   * For the engine (TensorAccess): makes a private contiguous copy of {@code g} the first gradient, reusing
   * the storage of a gradient cleared by {@code setGrad(null)} when nobody outside the runtime saw it.
   */
  void setFirstGrad(Tensor g) {
    Tensor spare = spareGrad;
    spareGrad = null;
    Tensor copy;
    if (spare != null && spare.dtype() == g.dtype() && Arrays.equals(spare.shape, g.shape)) {
      backend().copy(g, spare);
      copy = spare;
    } else {
      copy = g.copyData();
    }
    this.grad = copy;
    gradOwnedByEngine = true;
    gradHandedOut = false;
  }

  /** The node that computed this tensor, or null for a leaf. */
  public GradFn gradFn() {
    return gradFn;
  }

  /** For autograd and compiled models (TensorAccess): marks this tensor as the output of {@code node}; sets requiresGrad. */
  void setGradFn(GradFn node) {
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
    if (gradFn != null) {
      gradFn.retainGradOf(this);
    }
    return this;
  }

  /** Whether backward stores this tensor's gradient: a leaf that requires grad, or one that retains. */
  public boolean retainsGrad() {
    return retainsGrad || (gradFn == null && requiresGrad);
  }

  /** A view of the same storage that is out of the graph and does not require grad. */
  public Tensor detach() {
    return new Tensor(storage(), offset, shape, strides, device);
  }

  @Override
  public String toString() {
    return TensorFormat.format(this);
  }
}

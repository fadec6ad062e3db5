package dev.flint.tensor;

import java.util.ServiceLoader;

/**
 * The runtime's handle on tensor internals: the layout arrays without copies, views over a storage,
 * the lent buffers of compiled models, and the gradient bookkeeping of the engine and optimizers.
 * Only this package can create one (the constructor is package-private); it is handed to the
 * {@link TensorBackend} when that is loaded, which shares it inside the runtime (the runtime's module
 * does not export the package that holds it). User code has no way to obtain one, so these operations
 * are not part of Flint's public API: generated code reaches what it needs through
 * {@code dev.flint.compiled}.
 */
public abstract class TensorAccess {
  /** The backend every tensor op goes through, loaded and given the access once. */
  static final TensorBackend BACKEND = load();

  TensorAccess() {}

  private static TensorBackend load() {
    TensorBackend backend = ServiceLoader.load(TensorBackend.class, TensorBackend.class.getClassLoader())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + TensorBackend.class.getName() + " found: "
            + "flint-runtime's META-INF/services entry (or its module descriptor's 'provides') is missing, "
            + "e.g. dropped when the jar was repackaged"));
    backend.bind(new TensorInternals());
    return backend;
  }

  /** The dimensions' sizes, not a copy: callers must not modify the array. */
  public abstract int[] shapeRef(Tensor t);

  /** The dimensions' strides, not a copy: callers must not modify the array. */
  public abstract int[] stridesRef(Tensor t);

  /** A tensor viewing {@code storage} with this layout; the arrays belong to the tensor afterwards. */
  public abstract Tensor view(Storage storage, int offset, int[] shape, int[] strides);

  /** A contiguous tensor over all of {@code storage} with this shape. */
  public abstract Tensor wrap(Storage storage, int... shape);

  /** A view of a compiled model's buffer for its caller, valid until {@link #reclaim} (Note [Lent buffers]). */
  public abstract Tensor lend(Tensor buffer);

  /** Takes back a buffer lent by {@link #lend} before writing it again. */
  public abstract void reclaim(Tensor buffer);

  /** Points a compiled model's own tensor (a buffer or kept view) at {@code storage} from {@code offset}. */
  public abstract void repoint(Tensor t, Storage storage, int offset);

  /** Whether {@code view} reads {@code base}'s storage and that storage has not been reclaimed since {@code view} was made. */
  public abstract boolean readsStorageOf(Tensor view, Tensor base);

  /** The gradient, without handing it out as {@code grad()} does (Note [Recycled gradients]). */
  public abstract Tensor gradForUpdate(Tensor t);

  /**
   * Makes a private contiguous copy of {@code g} the first gradient of {@code t}, reusing the storage of
   * a gradient cleared by {@code setGrad(null)} that nobody outside the runtime saw.
   */
  public abstract void setFirstGrad(Tensor t, Tensor g);

  /** Marks {@code t} as the output of {@code fn} (null: a leaf again); sets requiresGrad accordingly. */
  public abstract void setGradFn(Tensor t, GradFn fn);
}

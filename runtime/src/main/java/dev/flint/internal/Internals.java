package dev.flint.internal;

import dev.flint.tensor.GradFn;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import dev.flint.tensor.TensorAccess;
import java.lang.invoke.MethodHandles;

/**
 * Tensor internals for the runtime's own packages (kernels, autograd, nn, optim, data, io and the
 * compiled-model facade), through the {@link TensorAccess} the tensor package hands to the backend.
 * The runtime's module does not export this package: these are not user operations (a gradient read
 * here is not "handed out", so a user holding it would defeat gradient recycling).
 */
public final class Internals {
  // Set once by the backend when the tensor package loads it. Plain (not volatile): a thread that
  // still sees null initializes TensorAccess, which happens-before the write being visible; the
  // access object is stateless, so reading it through a race is safe.
  private static TensorAccess access;

  private Internals() {}

  /** Called by the backend's {@code bind}; later calls with another access are refused. */
  public static void install(TensorAccess given) {
    if (access != null && access != given) {
      throw new IllegalStateException("tensor internals were already bound to another backend");
    }
    access = given;
  }

  private static TensorAccess access() {
    TensorAccess a = access;
    if (a == null) {
      try {
        MethodHandles.lookup().ensureInitialized(TensorAccess.class);   // loads the backend, which installs
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      a = access;
      if (a == null) {
        throw new IllegalStateException("the tensor backend did not bind the runtime's tensor access");
      }
    }
    return a;
  }

  /** {@link TensorAccess#shapeRef}: the shape array itself; do not modify it. */
  public static int[] shapeRef(Tensor t) {
    return access().shapeRef(t);
  }

  /** {@link TensorAccess#stridesRef}: the strides array itself; do not modify it. */
  public static int[] stridesRef(Tensor t) {
    return access().stridesRef(t);
  }

  /** {@link TensorAccess#view}: a tensor over {@code storage} with this layout (the arrays are taken). */
  public static Tensor view(Storage storage, int offset, int[] shape, int[] strides) {
    return access().view(storage, offset, shape, strides);
  }

  /** {@link TensorAccess#wrap}: a contiguous tensor over all of {@code storage}. */
  public static Tensor wrap(Storage storage, int... shape) {
    return access().wrap(storage, shape);
  }

  /** {@link TensorAccess#lend}: a view of a compiled model's buffer for its caller. */
  public static Tensor lend(Tensor buffer) {
    return access().lend(buffer);
  }

  /**
   * {@link TensorAccess#repoint}: points a compiled model's buffer or kept view (one no caller holds) at
   * {@code storage} from {@code offset}; the caller rewrites its {@link #shapeRef} and {@link #stridesRef} in place.
   */
  public static void repoint(Tensor t, Storage storage, int offset) {
    access().repoint(t, storage, offset);
  }

  /** {@link TensorAccess#readsStorageOf}: whether a view made earlier still reads {@code base}'s storage, as current. */
  public static boolean readsStorageOf(Tensor view, Tensor base) {
    return access().readsStorageOf(view, base);
  }

  /** {@link TensorAccess#reclaim}: takes back a lent buffer before writing it again. */
  public static void reclaim(Tensor buffer) {
    access().reclaim(buffer);
  }

  /** {@link TensorAccess#gradForUpdate}: the gradient, without handing it out. */
  public static Tensor gradForUpdate(Tensor t) {
    return access().gradForUpdate(t);
  }

  /** {@link TensorAccess#setFirstGrad}: stores a copy of {@code g} as the first gradient of {@code t}. */
  public static void setFirstGrad(Tensor t, Tensor g) {
    access().setFirstGrad(t, g);
  }

  /** {@link TensorAccess#setGradFn}: marks {@code t} as the output of {@code fn}. */
  public static void setGradFn(Tensor t, GradFn fn) {
    access().setGradFn(t, fn);
  }
}

package dev.flint.tensor;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;

/**
 * What {@link Tensor}'s methods call beyond this package: eager ops with autograd recording, copies,
 * the grad mode and the backward engine. Flint's runtime provides the one implementation
 * ({@code dev.flint.autograd.EagerBackend}, found with {@link java.util.ServiceLoader}), so this
 * package depends on no other Flint package but {@code ops} and the runtime's packages form no
 * cycle. Not meant to be implemented by users.
 */
public interface TensorBackend {
  /**
   * Receives the runtime's handle on tensor internals, once, when the backend is loaded; the backend
   * shares it with the rest of the runtime (and nothing outside it).
   */
  void bind(TensorAccess access);

  /** Runs {@code op} on {@code inputs}, recording an autograd node when gradients are needed. */
  Tensor run(Op op, Attrs attrs, Tensor... inputs);

  /** Runs {@code op}'s kernel on {@code inputs} without recording anything (for in-place updates and tests of values). */
  Tensor compute(Op op, Attrs attrs, Tensor... inputs);

  /** A contiguous copy of {@code t} with its own storage, outside the graph. */
  Tensor copyData(Tensor t);

  /** Copies {@code src} (broadcast, converted) into {@code dst}, outside the graph. */
  void copy(Tensor src, Tensor dst);

  /** A view of {@code x} with {@code shape} sharing its storage, or null when its strides do not allow one. */
  Tensor viewOrNull(Tensor x, int[] shape);

  /** Whether operations are being recorded for autograd on this thread. */
  boolean gradEnabled();

  /** Backpropagates {@code gradient} (null: 1 for a one-element {@code root}) from {@code root}. */
  void backward(Tensor root, Tensor gradient, boolean retainGraph);
}

package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;

/**
 * Per-thread scratch tensors that kernels reuse from call to call instead of allocating: a
 * convolution's im2col matrix is megabytes, and on G1 a fresh array of that size per call costs
 * more than the product that reads it (it measured ~2 ms per 800 KB array on this machine's
 * default heap). Each thread holds a few numbered slots per dtype, grown on demand and never
 * shrunk up to {@link #MAX_KEPT} elements; a bigger request gets a fresh array that is not kept.
 *
 * <p>A slot is valid until the same thread asks for that slot again, so a kernel must not call
 * another kernel that uses the same slot while it holds one; its contents are garbage on entry.
 */
final class Workspace {
  /** Slots per thread and dtype. */
  static final int SLOTS = 3;
  /** The largest array a slot keeps between calls (16M elements: 64 MB of FLOAT32). */
  static final int MAX_KEPT = 1 << 24;

  private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

  private final float[][] floats = new float[SLOTS][];
  private final double[][] doubles = new double[SLOTS][];

  private Workspace() {}

  /**
   * A 1-D tensor of at least {@code n} elements of {@code dtype} (FLOAT32 or FLOAT64) backed by this
   * thread's slot {@code slot}; its contents are unspecified.
   */
  static Tensor get(DType dtype, int slot, int n) {
    Workspace ws = LOCAL.get();
    if (dtype == DType.FLOAT32) {
      float[] a = ws.floats[slot];
      if (a == null || a.length < n) {
        a = new float[n];
        if (n <= MAX_KEPT) {
          ws.floats[slot] = a;
        }
      }
      return Internals.wrap(Storage.of(a), a.length);
    }
    if (dtype != DType.FLOAT64) {
      throw new IllegalArgumentException("workspace: expected FLOAT32 or FLOAT64, but got " + dtype);
    }
    double[] a = ws.doubles[slot];
    if (a == null || a.length < n) {
      a = new double[n];
      if (n <= MAX_KEPT) {
        ws.doubles[slot] = a;
      }
    }
    return Internals.wrap(Storage.of(a), a.length);
  }
}

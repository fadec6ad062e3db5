package dev.flint.nn;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The base of the losses: a function of a prediction and a target, reduced by a {@link Reduction}.
 * Losses are compositions of differentiable tensor ops, so {@code loss.backward()} reaches the
 * model through them.
 */
public abstract class Loss {
  private final Reduction reduction;

  protected Loss(Reduction reduction) {
    if (reduction == null) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction is null");
    }
    this.reduction = reduction;
  }

  /** The loss of {@code input} against {@code target}. */
  public abstract Tensor forward(Tensor input, Tensor target);

  public Reduction reduction() {
    return reduction;
  }

  /** The loss's name for messages. */
  protected String name() {
    return getClass().getSimpleName();
  }

  /** Fails unless {@code input} and {@code target} are float tensors of one shape and dtype. */
  protected void checkSameShapeFloat(Tensor input, Tensor target) {
    if (!Arrays.equals(Internals.shapeRef(input), Internals.shapeRef(target))) {
      throw new IllegalArgumentException(
          name() + ": input shape " + Arrays.toString(Internals.shapeRef(input)) + " and target shape "
              + Arrays.toString(Internals.shapeRef(target)) + " differ; they must match element for element"
              + " (reshape one of them, e.g. target.view(" + joined(Internals.shapeRef(input)) + "))");
    }
    checkFloat("input", input);
    if (target.dtype() != input.dtype()) {
      throw new IllegalArgumentException(
          name() + ": input is " + input.dtype().shortName() + " but target is " + target.dtype().shortName()
              + "; convert the target with target.to(DType." + input.dtype() + ")");
    }
  }

  /** Fails unless {@code t} has a floating-point dtype. */
  protected void checkFloat(String what, Tensor t) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(
          name() + ": " + what + " must be FLOAT32 or FLOAT64, but is " + t.dtype().shortName()
              + " " + Arrays.toString(Internals.shapeRef(t)) + "; convert it with to(DType.FLOAT32)");
    }
  }

  private static String joined(int[] shape) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return b.toString();
  }

  /** Fails unless {@code t} broadcasts to {@code input}'s shape without changing it (trailing dims equal or 1). */
  protected void checkBroadcastsTo(String what, Tensor t, Tensor input) {
    int[] ts = Internals.shapeRef(t);
    int[] is = Internals.shapeRef(input);
    boolean ok = ts.length <= is.length;
    for (int k = 1; ok && k <= ts.length; k++) {
      int a = ts[ts.length - k];
      ok = a == 1 || a == is[is.length - k];
    }
    if (!ok) {
      throw new IllegalArgumentException(
          name() + ": " + what + " of shape " + Arrays.toString(ts) + " does not broadcast to the input's shape "
              + Arrays.toString(is) + " (each of its trailing dimensions must equal the input's or be 1)");
    }
  }

  /** The multi-index {@code [i, j, ...]} of row-major position {@code flat} in {@code shape}. */
  protected static String index(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % Math.max(shape[d], 1);
      flat /= Math.max(shape[d], 1);
    }
    return Arrays.toString(idx);
  }

  /**
   * The version check eager ops make (OpNode), for a fused loss's backward node {@code node}: fails when
   * {@code t} (its {@code what}) was written in place after the loss read it at {@code version}.
   */
  static void checkUnmodified(String node, String what, Tensor t, int version) {
    if (t.storage().version() != version) {
      throw new IllegalStateException("one of the tensors needed to compute the gradient of " + node + " (the "
          + what + ", shape " + java.util.Arrays.toString(t.shape()) + ") was modified by an in-place operation "
          + "after the op used it: its storage is at version " + t.storage().version() + ", expected " + version
          + ". Modify a clone() instead, or make the change after backward()");
    }
  }
}

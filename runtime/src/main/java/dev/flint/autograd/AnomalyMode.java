package dev.flint.autograd;

import dev.flint.internal.Internals;
import dev.flint.ops.Op;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Anomaly detection, as {@code torch.autograd.detect_anomaly()}: while enabled on a thread, every
 * eager op run with grad mode on checks its output, and every backward node its gradients, for NaN;
 * the first one to produce a NaN fails, naming itself, so a NaN loss can be traced to the op that
 * made it. Off by default (the checks read every value); enable it with
 * {@link Autograd#detectAnomaly()}.
 */
public final class AnomalyMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[1]);

  private AnomalyMode() {}

  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Sets the mode and returns the previous one. */
  public static boolean set(boolean enabled) {
    boolean[] cell = ENABLED.get();
    boolean previous = cell[0];
    cell[0] = enabled;
    return previous;
  }

  /** Restores the previous anomaly mode when closed. */
  public static final class Scope implements AutoCloseable {
    private final boolean previous;

    Scope(boolean previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      set(previous);
    }
  }

  /** Fails if {@code out} holds a NaN that {@code op} made from NaN-free inputs. */
  static void checkForward(Op op, Tensor[] in, Tensor out) {
    int at = firstNaN(out);
    if (at < 0) {
      return;
    }
    StringBuilder inputs = new StringBuilder();
    for (int i = 0; i < in.length; i++) {
      int bad = firstNaN(in[i]);
      if (bad >= 0) {
        throw new IllegalStateException(
            "anomaly mode: input " + i + " of " + op.opName() + " already holds NaN at " + index(bad, Internals.shapeRef(in[i]))
                + "; no recorded op produced it, so it came from the data or from a tensor made outside the ops");
      }
      inputs.append(i == 0 ? "" : ", ").append(describe(in[i]));
    }
    throw new IllegalStateException(
        "anomaly mode: " + op.opName() + " produced NaN at " + index(at, Internals.shapeRef(out)) + " of its output "
            + describe(out) + " from inputs " + inputs + " without NaN");
  }

  /** Fails if backward of {@code node} returned a NaN gradient. */
  static void checkBackward(Node node, Tensor[] grads) {
    for (int i = 0; i < grads.length; i++) {
      int at = grads[i] == null ? -1 : firstNaN(grads[i]);
      if (at >= 0) {
        throw new IllegalStateException(
            "anomaly mode: " + node.name() + " returned NaN in its gradient for input " + i + " at "
                + index(at, Internals.shapeRef(grads[i])) + " (gradient " + describe(grads[i]) + ")");
      }
    }
  }

  private static int firstNaN(Tensor t) {
    if (!t.dtype().isFloatingPoint()) {
      return -1;
    }
    double[] v = t.toDoubleArray();
    for (int k = 0; k < v.length; k++) {
      if (Double.isNaN(v[k])) {
        return k;
      }
    }
    return -1;
  }

  private static String describe(Tensor t) {
    return t.dtype().shortName() + Arrays.toString(Internals.shapeRef(t));
  }

  private static String index(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
      flat = shape[d] == 0 ? flat : flat / shape[d];
    }
    return "index " + Arrays.toString(idx);
  }
}

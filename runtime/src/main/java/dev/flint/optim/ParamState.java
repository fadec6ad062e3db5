package dev.flint.optim;

/**
 * One parameter's optimizer state: its step count and its buffers (moment estimates, momentum),
 * each a double array of the parameter's size, allocated once when the update first needs it.
 */
public final class ParamState {
  long step;
  /** Indexed by the optimizer's {@link Optimizer#bufferNames()}; null until allocated. */
  final double[][] buffers;

  ParamState(int bufferCount) {
    this.buffers = new double[bufferCount][];
  }

  /** The number of steps this parameter has taken, this one included (null-gradient steps do not count). */
  public long step() {
    return step;
  }

  /** Buffer {@code slot}, or null before it was allocated. */
  public double[] bufferOrNull(int slot) {
    return buffers[slot];
  }

  /** Buffer {@code slot}, allocated zero-filled with {@code n} elements on first use. */
  public double[] buffer(int slot, int n) {
    double[] a = buffers[slot];
    if (a == null) {
      a = buffers[slot] = new double[n];
    }
    return a;
  }
}

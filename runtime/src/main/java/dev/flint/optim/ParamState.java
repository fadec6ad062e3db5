package dev.flint.optim;

/**
 * One parameter's optimizer state: its step count and its buffers (moment estimates, momentum),
 * each an array of the parameter's size, allocated once when the update first needs it. Optimizers
 * that compute FLOAT32 parameters in float ({@link Optimizer#updatesInFloat()}) keep float buffers
 * for them, the others double buffers; a buffer asked for in the other precision (after
 * {@link Optimizer#loadStateDict}, which reads double values) is converted once and then kept in it.
 */
public final class ParamState {
  long step;
  /** Indexed by the optimizer's {@link Optimizer#bufferNames()}; null until allocated. */
  private final double[][] buffers;
  /** The float buffers; per slot, at most one of {@code buffers[slot]} and {@code floatBuffers[slot]} is set. */
  private final float[][] floatBuffers;

  ParamState(int bufferCount) {
    this.buffers = new double[bufferCount][];
    this.floatBuffers = new float[bufferCount][];
  }

  /** The number of steps this parameter has taken, this one included (null-gradient steps do not count). */
  public long step() {
    return step;
  }

  /** Buffer {@code slot} in double precision, or null before it was allocated. */
  public double[] bufferOrNull(int slot) {
    if (buffers[slot] == null && floatBuffers[slot] != null) {
      float[] f = floatBuffers[slot];
      double[] d = new double[f.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = f[i];
      }
      buffers[slot] = d;
      floatBuffers[slot] = null;
    }
    return buffers[slot];
  }

  /** Buffer {@code slot} in double precision, allocated zero-filled with {@code n} elements on first use. */
  public double[] buffer(int slot, int n) {
    double[] a = bufferOrNull(slot);
    if (a == null) {
      a = buffers[slot] = new double[n];
    }
    return a;
  }

  /** Buffer {@code slot} in single precision, or null before it was allocated. */
  public float[] floatBufferOrNull(int slot) {
    if (floatBuffers[slot] == null && buffers[slot] != null) {
      double[] d = buffers[slot];
      float[] f = new float[d.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) d[i];
      }
      floatBuffers[slot] = f;
      buffers[slot] = null;
    }
    return floatBuffers[slot];
  }

  /** Buffer {@code slot} in single precision, allocated zero-filled with {@code n} elements on first use. */
  public float[] floatBuffer(int slot, int n) {
    float[] a = floatBufferOrNull(slot);
    if (a == null) {
      a = floatBuffers[slot] = new float[n];
    }
    return a;
  }

  /** Whether buffer {@code slot} exists (in either precision). */
  boolean has(int slot) {
    return buffers[slot] != null || floatBuffers[slot] != null;
  }

  /** The length of buffer {@code slot}; -1 when it does not exist. */
  int length(int slot) {
    return buffers[slot] != null ? buffers[slot].length : floatBuffers[slot] != null ? floatBuffers[slot].length : -1;
  }

  /** A double copy of buffer {@code slot} (which must exist), for {@link Optimizer#stateDict()}. */
  double[] copyAsDouble(int slot) {
    if (buffers[slot] != null) {
      return buffers[slot].clone();
    }
    float[] f = floatBuffers[slot];
    double[] d = new double[f.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Sets buffer {@code slot} to {@code values} (double, as a state dict holds them). */
  void set(int slot, double[] values) {
    buffers[slot] = values;
    floatBuffers[slot] = null;
  }
}

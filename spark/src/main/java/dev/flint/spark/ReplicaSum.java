package dev.flint.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the workers send back after a local-SGD round, summed over the workers that took at least
 * one step: their model states and optimizer states (to be averaged), the loss and counts.
 */
final class ReplicaSum implements Serializable {
  private static final long serialVersionUID = 1L;

  StateVector model;
  StateVector optimizer;
  int workers;
  double loss;
  long elements;
  long samples;
  long maxComputeNanos;
  long[] ids = new long[0];

  static ReplicaSum empty() {
    return new ReplicaSum();
  }

  ReplicaSum add(ReplicaSum other) {
    if (other.workers > 0) {
      model = plus(model, other.model, "model state");
      optimizer = plus(optimizer, other.optimizer, "optimizer state");
    }
    workers += other.workers;
    loss += other.loss;
    elements += other.elements;
    samples += other.samples;
    maxComputeNanos = Math.max(maxComputeNanos, other.maxComputeNanos);
    if (other.ids.length > 0) {
      long[] joined = Arrays.copyOf(ids, ids.length + other.ids.length);
      System.arraycopy(other.ids, 0, joined, ids.length, other.ids.length);
      ids = joined;
    }
    return this;
  }

  private static StateVector plus(StateVector a, StateVector b, String what) {
    if (a == null) {
      return b.withValues(b.values.clone());
    }
    if (!a.sameLayout(b)) {
      throw new IllegalStateException("the workers' " + what + "s differ in their keys ("
          + Arrays.toString(a.names) + " vs " + Arrays.toString(b.names) + "); every parameter must get a gradient"
          + " in every local step for local SGD to average them");
    }
    double[] sum = a.values;
    for (int i = 0; i < sum.length; i++) {
      sum[i] += b.values[i];
    }
    return a;
  }
}

package dev.flint.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the workers send back for one synchronous step, summed over workers: the gradient of the
 * summed loss, the summed loss, the number of loss elements and of samples, the longest compute
 * time of a worker, (when audited) the ids of the samples used, and the buffers of the worker with
 * the lowest partition number.
 */
final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  double[] gradient;
  double loss;
  long elements;
  long samples;
  long maxComputeNanos;
  long[] ids = new long[0];
  /** The buffers (batch-norm statistics) of the first worker by partition, as DDP broadcasts rank 0's. */
  StateVector buffers;
  int buffersFrom = Integer.MAX_VALUE;

  static GradientSum empty() {
    return new GradientSum();
  }

  /** Adds {@code other} into this one and returns this (Spark's aggregate may reuse its first argument). */
  GradientSum add(GradientSum other) {
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = other.gradient.clone();
      } else {
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] += other.gradient[i];
        }
      }
    }
    loss += other.loss;
    elements += other.elements;
    samples += other.samples;
    maxComputeNanos = Math.max(maxComputeNanos, other.maxComputeNanos);
    if (other.buffers != null && other.buffersFrom < buffersFrom) {
      buffers = other.buffers;
      buffersFrom = other.buffersFrom;
    }
    if (other.ids.length > 0) {
      long[] joined = Arrays.copyOf(ids, ids.length + other.ids.length);
      System.arraycopy(other.ids, 0, joined, ids.length, other.ids.length);
      ids = joined;
    }
    return this;
  }
}

package dev.flint.layers;

/**
 * A parameter or buffer of a layer: the public field that holds it ({@code runningMean}), its
 * state-dict name ({@code running_mean}), whether it is a buffer, whether it holds INT64 counts
 * instead of floats, and its shape.
 */
public record StateSpec(String field, String stateName, boolean buffer, boolean counts, int[] shape) {
  static StateSpec param(String name, int... shape) {
    return new StateSpec(name, name, false, false, shape);
  }

  static StateSpec buffer(String field, String stateName, int... shape) {
    return new StateSpec(field, stateName, true, false, shape);
  }

  static StateSpec counter(String field, String stateName) {
    return new StateSpec(field, stateName, true, true, new int[0]);
  }
}

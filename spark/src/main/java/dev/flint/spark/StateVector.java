package dev.flint.spark;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named set of tensors (a state dict, an optimizer's state, gradients) flattened into one
 * {@code double[]}, the form in which they cross between driver and workers and are summed or
 * averaged. FLOAT32 and integer values up to 2^53 survive the trip exactly.
 */
final class StateVector implements Serializable {
  private static final long serialVersionUID = 1L;

  final String[] names;
  final int[][] shapes;
  final DType[] dtypes;
  final double[] values;

  private StateVector(String[] names, int[][] shapes, DType[] dtypes, double[] values) {
    this.names = names;
    this.shapes = shapes;
    this.dtypes = dtypes;
    this.values = values;
  }

  static StateVector of(Map<String, Tensor> tensors) {
    int n = tensors.size();
    String[] names = new String[n];
    int[][] shapes = new int[n][];
    DType[] dtypes = new DType[n];
    int total = 0;
    int i = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      names[i] = e.getKey();
      shapes[i] = e.getValue().shape();
      dtypes[i] = e.getValue().dtype();
      total += e.getValue().numel();
      i++;
    }
    double[] values = new double[total];
    int at = 0;
    for (Tensor t : tensors.values()) {
      double[] v = t.toDoubleArray();
      System.arraycopy(v, 0, values, at, v.length);
      at += v.length;
    }
    return new StateVector(names, shapes, dtypes, values);
  }

  /** The gradients of {@code params} (zeros where a gradient is null), flattened in the same layout. */
  static double[] gradients(List<Tensor> params) {
    int total = 0;
    for (Tensor p : params) {
      total += p.numel();
    }
    double[] out = new double[total];
    int at = 0;
    for (Tensor p : params) {
      Tensor g = p.grad();
      if (g != null) {
        double[] v = g.toDoubleArray();
        System.arraycopy(v, 0, out, at, v.length);
      }
      at += p.numel();
    }
    return out;
  }

  /** The same names, shapes and dtypes with other values. */
  StateVector withValues(double[] newValues) {
    if (newValues.length != values.length) {
      throw new IllegalArgumentException("expected " + values.length + " values, got " + newValues.length);
    }
    return new StateVector(names, shapes, dtypes, newValues);
  }

  boolean sameLayout(StateVector other) {
    return Arrays.equals(names, other.names) && values.length == other.values.length;
  }

  Map<String, Tensor> toTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    int at = 0;
    for (int i = 0; i < names.length; i++) {
      int numel = 1;
      for (int d : shapes[i]) {
        numel *= d;
      }
      if (shapes[i].length == 0) {   // a 0-d tensor (a step count, num_batches_tracked)
        out.put(names[i], Tensor.scalar(values[at], dtypes[i]));
      } else {
        Tensor t = Tensor.of(Arrays.copyOfRange(values, at, at + numel), shapes[i]);
        out.put(names[i], dtypes[i] == DType.FLOAT64 ? t : t.to(dtypes[i]));
      }
      at += numel;
    }
    return out;
  }
}

package dev.flint.tensor;

/** Prints tensors as PyTorch does: nested brackets, aligned values, elided when large. */
final class TensorFormat {
  private TensorFormat() {}

  static String format(Tensor t) {
    // TODO(#2): PyTorch-style alignment and elision.
    StringBuilder sb = new StringBuilder("tensor(");
    sb.append(java.util.Arrays.toString(t.toDoubleArray()));
    sb.append(", shape=").append(java.util.Arrays.toString(t.shape())).append(", dtype=").append(t.dtype()).append(')');
    return sb.toString();
  }
}

package dev.flint.tensor;

import java.util.Locale;

/**
 * Prints tensors as PyTorch does: {@code tensor([[1., 2.],\n        [3., 4.]])} with nested
 * brackets, values aligned to one width, floats as {@code 1.} when all are whole, else with 4
 * decimals or in scientific notation when magnitudes are far apart, {@code ...} eliding the middle
 * of each dim when there are more than 1000 elements, and the dtype (when not FLOAT32/INT64/BOOL),
 * {@code requires_grad} or {@code grad_fn} after the values.
 */
final class TensorFormat {
  private static final int THRESHOLD = 1000;
  private static final int EDGE = 3;
  private static final int LINE_WIDTH = 80;

  private TensorFormat() {}

  static String format(Tensor t) {
    int[] shape = t.shape();
    int numel = t.numel();
    boolean summarize = numel > THRESHOLD;
    Values v = new Values(t);
    // as PyTorch, the number format is chosen from the printed (summarized) values only
    java.util.List<Double> printed = new java.util.ArrayList<>();
    if (numel > 0) {
      collect(v, shape, 0, 0, summarize, printed);
    }
    double[] values = new double[printed.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = printed.get(i);
    }
    Formatter f = new Formatter(t.dtype(), values);
    StringBuilder sb = new StringBuilder("tensor(");
    if (numel == 0) {
      sb.append("[]");
    } else {
      block(sb, f, v, shape, 0, 0, "tensor(".length(), summarize);
    }
    if (numel == 0 && shape.length != 1) {
      sb.append(", size=(");
      for (int d = 0; d < shape.length; d++) {
        sb.append(d == 0 ? "" : ", ").append(shape[d]);
      }
      sb.append(shape.length == 1 ? ",)" : ")");
    }
    DType dt = t.dtype();
    if (dt != DType.FLOAT32 && dt != DType.INT64 && dt != DType.BOOL) {
      sb.append(", dtype=").append(dt.name());
    }
    if (t.gradFn() != null) {
      sb.append(", grad_fn=<").append(t.gradFn().name()).append('>');
    } else if (t.requiresGrad()) {
      sb.append(", requires_grad=True");
    }
    return sb.append(')').toString();
  }

  /** Reads elements by row-major position without copying the tensor (printing a huge one stays cheap). */
  private static final class Values {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    Values(Tensor t) {
      storage = t.storage();
      shape = t.shapeRef();
      strides = t.stridesRef();
      offset = t.offset();
    }

    double get(int flat) {
      int at = offset;
      for (int d = shape.length - 1; d >= 0; d--) {
        at += (flat % shape[d]) * strides[d];
        flat /= shape[d];
      }
      return storage.getDouble(at);
    }
  }

  private static int stride(int[] shape, int d) {
    int stride = 1;
    for (int k = d + 1; k < shape.length; k++) {
      stride *= shape[k];
    }
    return stride;
  }

  /** The values {@link #block} prints, in order. */
  private static void collect(Values v, int[] shape, int d, int base, boolean summarize, java.util.List<Double> out) {
    if (shape.length == 0) {
      out.add(v.get(0));
      return;
    }
    int size = shape[d];
    int stride = stride(shape, d);
    boolean elide = summarize && size > 2 * EDGE;
    for (int i = 0; i < size; i++) {
      if (elide && i == EDGE) {
        i = size - EDGE - 1;
        continue;
      }
      if (d == shape.length - 1) {
        out.add(v.get(base + i));
      } else {
        collect(v, shape, d + 1, base + i * stride, summarize, out);
      }
    }
  }

  /** Appends the sub-tensor of dim {@code d} starting at flat position {@code base}. */
  private static void block(StringBuilder sb, Formatter f, Values v, int[] shape, int d, int base, int indent,
      boolean summarize) {
    if (shape.length == 0) {
      sb.append(f.format(v.get(0)).trim());
      return;
    }
    int size = shape[d];
    int stride = stride(shape, d);
    boolean elide = summarize && size > 2 * EDGE;
    sb.append('[');
    if (d == shape.length - 1) {
      java.util.List<String> items = new java.util.ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (elide && i == EDGE) {
          items.add(" ...");   // PyTorch's elision token: joined as "2.,  ..., 1997."
          i = size - EDGE - 1;
          continue;
        }
        items.add(f.format(v.get(base + i)));
      }
      int per = Math.max(1, (LINE_WIDTH - indent - d) / (f.width + 2));
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          sb.append(i % per == 0 ? ",\n" + " ".repeat(indent + d + 1) : ", ");
        }
        sb.append(items.get(i));
      }
    } else {
      String sep = "," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + d + 1);
      for (int i = 0; i < size; i++) {
        if (elide && i == EDGE) {
          sb.append("...").append(sep);
          i = size - EDGE - 1;
          continue;
        }
        block(sb, f, v, shape, d + 1, base + i * stride, indent, summarize);
        if (i < size - 1) {
          sb.append(sep);
        }
      }
    }
    sb.append(']');
  }

  /** Chooses one number format and width for all printed values, as PyTorch's {@code _Formatter}. */
  private static final class Formatter {
    private final DType dtype;
    private final boolean intMode;
    private final boolean sciMode;
    private int width;

    Formatter(DType dtype, double[] values) {
      this.dtype = dtype;
      boolean allWhole = true;
      double maxAbs = 0;
      double minAbs = Double.POSITIVE_INFINITY;
      for (double x : values) {
        if (!Double.isFinite(x)) {
          continue;
        }
        allWhole &= x == Math.rint(x);
        double a = Math.abs(x);
        if (a != 0) {
          maxAbs = Math.max(maxAbs, a);
          minAbs = Math.min(minAbs, a);
        }
      }
      intMode = allWhole;
      boolean anyNonzero = maxAbs > 0;
      if (!dtype.isFloatingPoint() || !anyNonzero) {
        sciMode = false;
      } else if (intMode) {
        sciMode = maxAbs > 1e8;
      } else {
        sciMode = maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4;
      }
      width = 0;
      for (double x : values) {
        width = Math.max(width, raw(x).length());
      }
    }

    private String raw(double x) {
      if (dtype == DType.BOOL) {
        return x != 0 ? "True" : "False";
      }
      if (!dtype.isFloatingPoint()) {
        return Long.toString((long) x);
      }
      if (Double.isNaN(x)) {
        return "nan";
      }
      if (Double.isInfinite(x)) {
        return x > 0 ? "inf" : "-inf";
      }
      if (sciMode) {
        return String.format(Locale.ROOT, "%.4e", x);
      }
      if (intMode) {
        return String.format(Locale.ROOT, "%.0f", x) + ".";
      }
      return String.format(Locale.ROOT, "%.4f", x);
    }

    String format(double x) {
      String s = raw(x);
      return " ".repeat(Math.max(0, width - s.length())) + s;
    }
  }
}

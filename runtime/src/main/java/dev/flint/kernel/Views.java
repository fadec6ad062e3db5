package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.ops.Attrs;
import dev.flint.ops.Shapes;
import dev.flint.tensor.Tensor;
import java.util.List;

/** View kernels: results share the input's storage (reshape copies only when strides cannot express it). */
final class Views {
  private Views() {}

  static Tensor permute(Tensor x, int[] perm) {
    int[] shape = Shapes.permute("permute", List.of(Internals.shapeRef(x)), Attrs.of(Attrs.PERM, perm));
    int[] st = Internals.stridesRef(x);
    int[] strides = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      strides[i] = st[Shapes.dim("permute", perm[i], perm.length)];
    }
    return Internals.view(x.storage(), x.offset(), shape, strides);
  }

  static Tensor expand(Tensor x, int[] target) {
    int[] shape = Shapes.expand("expand", List.of(Internals.shapeRef(x)), Attrs.of(Attrs.SHAPE, target));
    int[] strides = Strided.broadcastStrides(x, shape);
    return Internals.view(x.storage(), x.offset(), shape, strides);
  }

  static Tensor narrow(Tensor x, int dim, int start, int length) {
    int[] in = Internals.shapeRef(x);
    int d = in.length == 0 ? -1 : dim < 0 ? dim + in.length : dim;
    int[] shape;
    if (d >= 0 && d < in.length && start >= 0 && length >= 0 && (long) start + length <= in[d]) {
      shape = in.clone();   // the common case without the rule's attribute map (compiled code narrows every step)
      shape[d] = length;
    } else {
      shape = Shapes.narrow("narrow", List.of(in), Attrs.of(Attrs.DIM, dim, Attrs.START, start, Attrs.LENGTH, length));
      d = Shapes.dim("narrow", dim, shape.length);
    }
    int[] strides = x.strides();
    // an empty result keeps the input's offset: its start may lie past the storage's end (row 1 of
    // a [2, 0] tensor), and array copies check even zero-length ranges
    boolean empty = Shapes.numel(shape) == 0;
    return Internals.view(x.storage(), x.offset() + (empty ? 0 : start * strides[d]), shape, strides);
  }

  static Tensor slice(Tensor x, int dim, int start, int length, int step) {
    int[] shape = Shapes.slice("slice", List.of(Internals.shapeRef(x)),
        Attrs.of(Attrs.DIM, dim, Attrs.START, start, Attrs.LENGTH, length, Attrs.STEP, step));
    int d = Shapes.dim("slice", dim, shape.length);
    int[] strides = x.strides();
    int offset = x.offset() + (length == 0 ? 0 : start * strides[d]);
    strides[d] *= step;
    return Internals.view(x.storage(), offset, shape, strides);
  }

  /** A view with {@code shape} (one -1 inferred) when the strides allow one, else a contiguous copy. */
  static Tensor reshape(Tensor x, int[] shape) {
    Tensor v = viewOrNull(x, shape, "reshape");
    if (v != null) {
      return v;
    }
    Tensor c = Tensor.empty(x.dtype(), Internals.shapeRef(x));
    Copy.copy(x, c);
    return Internals.view(c.storage(), 0, Shapes.inferSize("reshape", shape, x.numel()),
        dev.flint.tensor.Layouts.contiguousStrides(Shapes.inferSize("reshape", shape, x.numel())));
  }

  /** A view with {@code shape}, or null when {@code x}'s strides cannot express it without a copy. */
  static Tensor viewOrNull(Tensor x, int[] shape, String op) {
    int[] target = Shapes.inferSize(op, shape, x.numel());
    int[] strides = computeStrides(Internals.shapeRef(x), Internals.stridesRef(x), target);
    return strides == null ? null : Internals.view(x.storage(), x.offset(), target, strides);
  }

  /** PyTorch's {@code computeStride}: strides that view {@code old} as {@code target}, or null. */
  static int[] computeStrides(int[] old, int[] oldStrides, int[] target) {
    if (old.length == 0 || Shapes.numel(old) == 0) {
      return dev.flint.tensor.Layouts.contiguousStrides(target);
    }
    int[] strides = new int[target.length];
    int viewD = target.length - 1;
    long chunkBase = oldStrides[old.length - 1];
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int d = old.length - 1; d >= 0; d--) {
      tensorNumel *= old[d];
      if (d == 0 || (old[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase)) {
        while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] == 1)) {
          strides[viewD] = (int) (viewNumel * chunkBase);
          viewNumel *= target[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return null;
        }
        if (d > 0) {
          chunkBase = oldStrides[d - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    return viewD == -1 ? strides : null;
  }
}

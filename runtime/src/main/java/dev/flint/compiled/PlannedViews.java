package dev.flint.compiled;

import dev.flint.internal.Internals;
import dev.flint.kernel.Kernels;
import dev.flint.tensor.Tensor;

/**
 * View ops for compiled code that keep their result from step to step (Note [Planned views]): each takes the
 * view the same line of generated code made last time ({@code cached}, from a slot of the model's buffer set)
 * and returns it, pointed at the view asked for; only the first call (or a change of rank, or a reshape that
 * needs a copy) makes a new one with the view kernel.
 */
public final class PlannedViews {
  private PlannedViews() {}

  // Note [Planned views]
  // A view is a small object (a tensor header and its shape and strides arrays, about 100 bytes), but a
  // transformer's step makes hundreds of them (q, k and v split into heads and transposed, the attention
  // output merged back, their gradients): tens of KiB per step, more than everything else once the values
  // live in planned buffers. The view a line makes depends only on its input's storage, offset, shape and
  // strides, which stay the same from step to step as long as the input's buffer does; so generated code
  // keeps each view in a slot of its buffer set and this class rewrites the kept one in place into the view
  // the kernel would make now (storage, offset, shape and strides; Internals.repoint): it is the model's own
  // object, read by the rest of this pass and by its backward node, both done before the set is reused. So
  // a changed batch size or sequence length (generation grows T every call) makes no new view either.

  /** {@code x.permute(perm)}; {@code cached}, pointed at it if need be, unless it has another rank. */
  public static Tensor permute(Tensor cached, Tensor x, int[] perm) {
    int[] xs = Internals.shapeRef(x);
    if (cached == null || xs.length != perm.length || Internals.shapeRef(cached).length != perm.length
        || !isPermutation(perm)) {
      return Kernels.permute(x, perm);
    }
    int[] xt = Internals.stridesRef(x);
    int[] s = Internals.shapeRef(cached);
    int[] t = Internals.stridesRef(cached);
    if (!Internals.readsStorageOf(cached, x) || cached.offset() != x.offset()) {
      Internals.repoint(cached, x.storage(), x.offset());
    }
    for (int i = 0; i < perm.length; i++) {
      int p = perm[i] < 0 ? perm[i] + perm.length : perm[i];
      s[i] = xs[p];
      t[i] = xt[p];
    }
    return cached;
  }

  private static boolean isPermutation(int[] perm) {
    int seen = 0;
    for (int p : perm) {
      int d = p < 0 ? p + perm.length : p;
      if (d < 0 || d >= perm.length || d > 31 || (seen & (1 << d)) != 0) {
        return false;
      }
      seen |= 1 << d;
    }
    return true;
  }

  /** {@code x.narrow(dim, start, length)}; {@code cached}, pointed at it if need be, unless it has another rank. */
  public static Tensor narrow(Tensor cached, Tensor x, int dim, int start, int length) {
    int[] xs = Internals.shapeRef(x);
    int d = dim < 0 ? dim + xs.length : dim;
    if (cached == null || Internals.shapeRef(cached).length != xs.length || d < 0 || d >= xs.length || start < 0
        || length < 1 || (long) start + length > xs[d]) {
      return Kernels.narrow(x, dim, start, length);   // an empty result keeps the kernel's offset rule
    }
    int[] xt = Internals.stridesRef(x);
    int[] s = Internals.shapeRef(cached);
    int[] t = Internals.stridesRef(cached);
    int offset = x.offset() + start * xt[d];
    if (!Internals.readsStorageOf(cached, x) || cached.offset() != offset) {
      Internals.repoint(cached, x.storage(), offset);
    }
    for (int i = 0; i < xs.length; i++) {
      s[i] = i == d ? length : xs[i];
      t[i] = xt[i];
    }
    return cached;
  }

  // A reshape keeps two slots: slots[at] is its view, slots[at + 1] the contiguous copy it views when x's
  // strides cannot express the shape (heads merged back after a transpose: y.transpose(1, 2).reshape(B, T, C)),
  // kept like a buffer, so that case allocates nothing either.

  /** {@code x.reshape(d0)}, kept in {@code slots[at]} (and its copy, if one is needed, in {@code slots[at + 1]}). */
  public static Tensor reshape(Tensor[] slots, int at, Tensor x, int d0) {
    return reshape(slots, at, x, 1, d0, 0, 0, 0);
  }

  /** {@code x.reshape(d0, d1)}, kept as above. */
  public static Tensor reshape(Tensor[] slots, int at, Tensor x, int d0, int d1) {
    return reshape(slots, at, x, 2, d0, d1, 0, 0);
  }

  /** {@code x.reshape(d0, d1, d2)}, kept as above. */
  public static Tensor reshape(Tensor[] slots, int at, Tensor x, int d0, int d1, int d2) {
    return reshape(slots, at, x, 3, d0, d1, d2, 0);
  }

  /** {@code x.reshape(d0, d1, d2, d3)}, kept as above. */
  public static Tensor reshape(Tensor[] slots, int at, Tensor x, int d0, int d1, int d2, int d3) {
    return reshape(slots, at, x, 4, d0, d1, d2, d3);
  }

  /** {@code x.reshape(shape)}, one size possibly -1 (a constant shape of the generated class), kept as above. */
  public static Tensor reshape(Tensor[] slots, int at, Tensor x, int[] shape) {
    int r = shape.length;
    if (r < 1 || r > 4) {
      return slots[at] = Kernels.reshape(x, shape);
    }
    int known = 1;
    int free = -1;
    for (int i = 0; i < r; i++) {
      if (shape[i] == -1 && free < 0) {
        free = i;
      } else {
        known *= shape[i];
      }
    }
    if (free >= 0 && (known <= 0 || x.numel() % known != 0)) {
      return slots[at] = Kernels.reshape(x, shape);   // the kernel's error, or its rule for empty tensors
    }
    int inferred = free < 0 ? 0 : x.numel() / known;
    return reshape(slots, at, x, r, free == 0 ? inferred : shape[0], r < 2 ? 0 : free == 1 ? inferred : shape[1],
        r < 3 ? 0 : free == 2 ? inferred : shape[2], r < 4 ? 0 : free == 3 ? inferred : shape[3]);
  }

  private static Tensor reshape(Tensor[] slots, int at, Tensor x, int rank, int d0, int d1, int d2, int d3) {
    Tensor v = slots[at];
    if (fitReshape(v, x, rank, d0, d1, d2, d3)) {
      return v;
    }
    long numel = 1;
    for (int i = 0; i < rank; i++) {
      numel *= at(i, d0, d1, d2, d3);
    }
    int[] xs = Internals.shapeRef(x);
    if (numel != x.numel() || numel == 0 || xs.length == 0 || xs.length > 4) {
      return slots[at] = Kernels.reshape(x, dims(rank, d0, d1, d2, d3));   // the kernel's error or rule
    }
    int[] scratch = SCRATCH.get();
    for (int i = 0; i < rank; i++) {
      scratch[i] = at(i, d0, d1, d2, d3);
    }
    Tensor src = x;
    if (!computeStrides(xs, Internals.stridesRef(x), scratch, rank, scratch, 4)) {
      // not a view of x: a contiguous copy of x in the kept buffer, viewed with the shape
      src = slots[at + 1] = Buffers.reuseWithin(slots[at + 1], x.dtype(), x.numel(), xs);
      copyInto(x, src);
    }
    if (fitReshape(v, src, rank, d0, d1, d2, d3)) {
      return v;
    }
    return slots[at] = Kernels.reshape(src, dims(rank, d0, d1, d2, d3));   // the first call, or another rank
  }

  private static int[] dims(int rank, int d0, int d1, int d2, int d3) {
    int[] d = new int[rank];
    for (int i = 0; i < rank; i++) {
      d[i] = at(i, d0, d1, d2, d3);
    }
    return d;
  }

  /** Copies x (rank 1 to 4, any strides) into the contiguous {@code dst} of its shape and dtype. */
  private static void copyInto(Tensor x, Tensor dst) {
    int[] s = Internals.shapeRef(x);
    int[] t = Internals.stridesRef(x);
    int r = s.length;
    if (x.dtype() != dev.flint.tensor.DType.FLOAT32 && x.dtype() != dev.flint.tensor.DType.FLOAT64) {
      Kernels.copy(x, dst);
      return;
    }
    // as 4 dims, the missing leading ones of size 1
    int n0 = r > 3 ? s[r - 4] : 1;
    int n1 = r > 2 ? s[r - 3] : 1;
    int n2 = r > 1 ? s[r - 2] : 1;
    int n3 = s[r - 1];
    int t0 = r > 3 ? t[r - 4] : 0;
    int t1 = r > 2 ? t[r - 3] : 0;
    int t2 = r > 1 ? t[r - 2] : 0;
    int t3 = t[r - 1];
    int xo = x.offset();
    int o = dst.offset();
    if (x.dtype() == dev.flint.tensor.DType.FLOAT32) {
      float[] a = x.storage().floats();
      float[] b = dst.storage().floats();
      for (int i0 = 0; i0 < n0; i0++) {
        for (int i1 = 0; i1 < n1; i1++) {
          for (int i2 = 0; i2 < n2; i2++) {
            int from = xo + i0 * t0 + i1 * t1 + i2 * t2;
            if (t3 == 1) {
              System.arraycopy(a, from, b, o, n3);
            } else {
              for (int i3 = 0; i3 < n3; i3++) {
                b[o + i3] = a[from + i3 * t3];
              }
            }
            o += n3;
          }
        }
      }
    } else {
      double[] a = x.storage().doubles();
      double[] b = dst.storage().doubles();
      for (int i0 = 0; i0 < n0; i0++) {
        for (int i1 = 0; i1 < n1; i1++) {
          for (int i2 = 0; i2 < n2; i2++) {
            int from = xo + i0 * t0 + i1 * t1 + i2 * t2;
            for (int i3 = 0; i3 < n3; i3++) {
              b[o + i3] = a[from + i3 * t3];
            }
            o += n3;
          }
        }
      }
    }
  }

  /** {@code x.expand(d0)}. */
  public static Tensor expand(Tensor cached, Tensor x, int d0) {
    return fitExpand(cached, x, 1, d0, 0, 0, 0) ? cached : Kernels.expand(x, new int[] {d0});
  }

  /** {@code x.expand(d0, d1)}. */
  public static Tensor expand(Tensor cached, Tensor x, int d0, int d1) {
    return fitExpand(cached, x, 2, d0, d1, 0, 0) ? cached : Kernels.expand(x, new int[] {d0, d1});
  }

  /** {@code x.expand(d0, d1, d2)}. */
  public static Tensor expand(Tensor cached, Tensor x, int d0, int d1, int d2) {
    return fitExpand(cached, x, 3, d0, d1, d2, 0) ? cached : Kernels.expand(x, new int[] {d0, d1, d2});
  }

  /** {@code x.expand(d0, d1, d2, d3)}. */
  public static Tensor expand(Tensor cached, Tensor x, int d0, int d1, int d2, int d3) {
    return fitExpand(cached, x, 4, d0, d1, d2, d3) ? cached : Kernels.expand(x, new int[] {d0, d1, d2, d3});
  }

  /** {@code x.expand(shape)} (a constant shape of the generated class). */
  public static Tensor expand(Tensor cached, Tensor x, int[] shape) {
    int r = shape.length;
    boolean fits = r >= 1 && r <= 4;
    if (fits && fitExpand(cached, x, r, shape[0], r > 1 ? shape[1] : 0, r > 2 ? shape[2] : 0, r > 3 ? shape[3] : 0)) {
      return cached;
    }
    return Kernels.expand(x, shape);
  }

  private static int at(int i, int d0, int d1, int d2, int d3) {
    return i == 0 ? d0 : i == 1 ? d1 : i == 2 ? d2 : d3;
  }

  /**
   * Whether {@code cached} (of this rank) can be the view-reshape of x to (d0..): if so it is pointed at x's
   * storage from x's offset with that shape and the strides the view kernel gives; false when the sizes do
   * not multiply to x's, one is 0 or -1, or x's strides cannot express the shape without a copy.
   */
  private static boolean fitReshape(Tensor cached, Tensor x, int rank, int d0, int d1, int d2, int d3) {
    if (cached == null || Internals.shapeRef(cached).length != rank) {
      return false;
    }
    long numel = 1;
    for (int i = 0; i < rank; i++) {
      int d = at(i, d0, d1, d2, d3);
      if (d <= 0) {
        return false;   // -1 to infer, or empty: the kernel decides
      }
      numel *= d;
    }
    int[] xs = Internals.shapeRef(x);
    if (numel != x.numel() || xs.length == 0) {
      return false;
    }
    int[] s = Internals.shapeRef(cached);
    int[] t = Internals.stridesRef(cached);
    boolean same = Internals.readsStorageOf(cached, x) && cached.offset() == x.offset();
    for (int i = 0; i < rank && same; i++) {
      same = s[i] == at(i, d0, d1, d2, d3);
    }
    if (same && stridesMatch(xs, Internals.stridesRef(x), s, t)) {
      return true;
    }
    int[] scratch = SCRATCH.get();
    for (int i = 0; i < rank; i++) {
      scratch[i] = at(i, d0, d1, d2, d3);
    }
    if (!computeStrides(xs, Internals.stridesRef(x), scratch, rank, scratch, 4)) {
      return false;
    }
    if (!Internals.readsStorageOf(cached, x) || cached.offset() != x.offset()) {
      Internals.repoint(cached, x.storage(), x.offset());
    }
    for (int i = 0; i < rank; i++) {
      s[i] = scratch[i];
      t[i] = scratch[4 + i];
    }
    return true;
  }

  /** Per thread: a target shape (0..3) and its strides (4..7) while {@link #fitReshape} works them out. */
  private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[8]);

  /**
   * PyTorch's {@code computeStride}, as the view kernel has it: writes into {@code out[at..at+rank)} the
   * strides that view {@code old} as {@code target[0..rank)}; false when that needs a copy.
   */
  private static boolean computeStrides(int[] old, int[] oldStrides, int[] target, int rank, int[] out, int at) {
    int viewD = rank - 1;
    long chunkBase = oldStrides[old.length - 1];
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int d = old.length - 1; d >= 0; d--) {
      tensorNumel *= old[d];
      if (d == 0 || (old[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase)) {
        while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] == 1)) {
          out[at + viewD] = (int) (viewNumel * chunkBase);
          viewNumel *= target[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return false;
        }
        if (d > 0) {
          chunkBase = oldStrides[d - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    return viewD == -1;
  }

  /**
   * PyTorch's {@code computeStride} (as the view kernel has it), comparing instead of writing: whether
   * viewing {@code old} (with {@code oldStrides}) as {@code target} gives exactly {@code strides}.
   */
  private static boolean stridesMatch(int[] old, int[] oldStrides, int[] target, int[] strides) {
    if (old.length == 0) {
      return false;
    }
    int viewD = target.length - 1;
    long chunkBase = oldStrides[old.length - 1];
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int d = old.length - 1; d >= 0; d--) {
      tensorNumel *= old[d];
      if (d == 0 || (old[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase)) {
        while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] == 1)) {
          if (strides[viewD] != viewNumel * chunkBase) {
            return false;
          }
          viewNumel *= target[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return false;
        }
        if (d > 0) {
          chunkBase = oldStrides[d - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    return viewD == -1;
  }

  /**
   * Whether {@code cached} (of this rank) can be x broadcast to (d0..): if so it is pointed at x's storage
   * with that shape and the kernel's broadcast strides (0 for a new or a size-1 dim, else x's).
   */
  private static boolean fitExpand(Tensor cached, Tensor x, int rank, int d0, int d1, int d2, int d3) {
    int[] xs = Internals.shapeRef(x);
    if (cached == null || Internals.shapeRef(cached).length != rank || xs.length > rank) {
      return false;
    }
    int lead = rank - xs.length;
    for (int i = 0; i < rank; i++) {
      int d = at(i, d0, d1, d2, d3);
      int want = d == -1 && i >= lead ? xs[i - lead] : d;
      if (want < 0 || i >= lead && xs[i - lead] != want && xs[i - lead] != 1) {
        return false;
      }
    }
    if (!Internals.readsStorageOf(cached, x) || cached.offset() != x.offset()) {
      Internals.repoint(cached, x.storage(), x.offset());
    }
    int[] s = Internals.shapeRef(cached);
    int[] t = Internals.stridesRef(cached);
    int[] xt = Internals.stridesRef(x);
    for (int i = 0; i < rank; i++) {
      int d = at(i, d0, d1, d2, d3);
      s[i] = d == -1 && i >= lead ? xs[i - lead] : d;
      t[i] = i < lead || xs[i - lead] == 1 ? 0 : xt[i - lead];
    }
    return true;
  }
}

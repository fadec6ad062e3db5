package dev.flint.ops;

import java.util.Arrays;
import java.util.List;

/**
 * The shape rules of the op table. Each takes the size arithmetic ({@link DimAlgebra}: plain ints
 * eagerly, symbolic sizes in the compiler), the op's name, the input shapes and the attributes, and
 * returns the output shape or throws a {@link ShapeError} whose message names the op and the shapes.
 * The overloads without a {@code DimAlgebra} are the eager ones that kernels call.
 */
public final class Shapes {
  private Shapes() {}

  /** {@code [2, 3]}: how shapes appear in messages. */
  public static String str(int[] shape) {
    return Arrays.toString(shape);
  }

  /** {@code dim} in {@code [0, rank)}, counting negative dims from the end, else PyTorch's message. */
  public static int dim(String op, int dim, int rank) {
    int lo = rank == 0 ? -1 : -rank;
    int hi = rank == 0 ? 0 : rank - 1;
    if (dim < lo || dim > hi) {
      throw new ShapeError(
          op + ": dimension out of range (expected to be in range of [" + lo + ", " + hi + "], but got " + dim + ")");
    }
    return dim < 0 ? dim + Math.max(rank, 1) : dim;
  }

  /** The output has the first input's shape. */
  public static int[] same(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    return in.get(0).clone();
  }

  /** NumPy/PyTorch broadcasting of all inputs: sizes are aligned from the right and must be equal or 1. */
  public static int[] broadcast(String op, List<int[]> in, Attrs attrs) {
    return broadcast(DimAlgebra.EAGER, op, in, attrs);
  }

  /** Broadcasting with sizes of {@code dims}. */
  public static int[] broadcast(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int rank = 0;
    for (int[] s : in) {
      rank = Math.max(rank, s.length);
    }
    int[] out = new int[rank];
    Arrays.fill(out, 1);
    for (int[] s : in) {
      for (int i = 0; i < s.length; i++) {
        int d = rank - s.length + i;
        if (s[i] == out[d] || s[i] == 1) {
          continue;
        }
        if (out[d] != 1) {
          throw new ShapeError(op + ": shapes " + list(dims, in) + " cannot be broadcast (dimension " + d
              + " of the result: sizes must be equal or 1)");
        }
        out[d] = s[i];
      }
    }
    return out;
  }

  /** The broadcast shape of two shapes, naming {@code op} on failure. */
  public static int[] broadcast(String op, int[] a, int[] b) {
    return broadcast(op, List.of(a, b), Attrs.NONE);
  }

  private static String list(DimAlgebra dims, List<int[]> shapes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < shapes.size(); i++) {
      sb.append(i == 0 ? "" : i == shapes.size() - 1 ? " and " : ", ").append(dims.str(shapes.get(i)));
    }
    return sb.toString();
  }

  /** Batched matrix product of operands with at least 2 dims: {@code [..., n, k] @ [..., k, m] -> [..., n, m]}. */
  public static int[] matmul(String op, List<int[]> in, Attrs attrs) {
    return matmul(DimAlgebra.EAGER, op, in, attrs);
  }

  /** The matrix product's rule with sizes of {@code d}. */
  public static int[] matmul(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    int[] a = in.get(0);
    int[] b = in.get(1);
    if (a.length < 2 || b.length < 2) {
      throw new ShapeError(op + ": " + d.str(a) + " @ " + d.str(b)
          + ": the matmul primitive needs operands with at least 2 dims (Tensor.matmul handles 1-D operands)");
    }
    int k = a[a.length - 1];
    if (k != b[b.length - 2]) {
      throw new ShapeError(op + ": " + d.str(a) + " @ " + d.str(b) + ": inner dimensions " + d.show(k) + " != "
          + d.show(b[b.length - 2]));
    }
    int[] batchA = Arrays.copyOf(a, a.length - 2);
    int[] batchB = Arrays.copyOf(b, b.length - 2);
    int[] batch;
    try {
      batch = broadcast(d, op, List.of(batchA, batchB), Attrs.NONE);
    } catch (ShapeError e) {
      throw new ShapeError(op + ": " + d.str(a) + " @ " + d.str(b) + ": batch dimensions " + d.str(batchA) + " and "
          + d.str(batchB) + " cannot be broadcast");
    }
    int[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = a[a.length - 2];
    out[batch.length + 1] = b[b.length - 1];
    return out;
  }

  /** The shape with the {@code dims} attribute's dims removed, or set to 1 when {@code keepDim}. */
  public static int[] sum(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    boolean[] reduced = reducedDims(op, s.length, attrs.ints(Attrs.DIMS));
    return reduce(s, reduced, attrs.bool(Attrs.KEEP_DIM));
  }

  /** Which dims of a rank-{@code rank} shape the given dims name (normalized; duplicates are an error). */
  public static boolean[] reducedDims(String op, int rank, int[] dims) {
    boolean[] reduced = new boolean[rank];
    for (int d : dims) {
      int n = dim(op, d, rank);
      if (rank > 0 && reduced[n]) {
        throw new ShapeError(op + ": dim " + n + " appears multiple times in the list of dims " + str(dims));
      }
      if (rank > 0) {
        reduced[n] = true;
      }
    }
    return reduced;
  }

  /** {@code shape} with the flagged dims dropped, or kept as size 1. */
  public static int[] reduce(int[] shape, boolean[] reduced, boolean keepDim) {
    int n = 0;
    for (int d = 0; d < shape.length; d++) {
      n += reduced[d] && !keepDim ? 0 : 1;
    }
    int[] out = new int[n];
    int j = 0;
    for (int d = 0; d < shape.length; d++) {
      if (!reduced[d]) {
        out[j++] = shape[d];
      } else if (keepDim) {
        out[j++] = 1;
      }
    }
    return out;
  }

  /** The input shape with dim {@code dim} set to 1 (keepDim) or removed. */
  public static int[] reduceDim(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    boolean[] reduced = new boolean[s.length];
    if (s.length > 0) {
      int d = dim(op, attrs.integer(Attrs.DIM), s.length);
      if (s[d] == 0) {
        throw new ShapeError(op + ": cannot reduce over dimension " + d + " of shape " + dims.str(s)
            + " because it has size 0");
      }
      reduced[d] = true;
    }
    return reduce(s, reduced, attrs.bool(Attrs.KEEP_DIM));
  }

  /** The input's shape, which must have at least two dims (tril, triu: a batch of matrices). */
  public static int[] matrixLike(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    if (s.length < 2) {
      throw new ShapeError(op + ": input tensor must have at least 2 dimensions, but got shape " + d.str(s));
    }
    return s.clone();
  }

  /** The input shape, after checking that {@code dim} is in range (softmax, logSoftmax). */
  public static int[] sameWithDim(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    dim(op, attrs.integer(Attrs.DIM), in.get(0).length);
    return in.get(0).clone();
  }

  /** The {@code shape} attribute, after checking the input broadcasts to it (sumTo undoes that broadcast). */
  public static int[] sumTo(String op, List<int[]> in, Attrs attrs) {
    return sumTo(DimAlgebra.EAGER, op, in, attrs);
  }

  /** sumTo's rule with sizes of {@code d}. */
  public static int[] sumTo(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    int[] target = attrs.ints(Attrs.SHAPE);
    int[] s = in.get(0);
    boolean ok = target.length <= s.length;
    for (int i = 0; ok && i < target.length; i++) {
      int sd = s[s.length - target.length + i];
      ok = target[i] == sd || target[i] == 1;
    }
    if (!ok) {
      throw new ShapeError(op + ": shape " + d.str(s) + " cannot be summed to " + d.str(target)
          + " (the target must broadcast to it)");
    }
    return target;
  }

  /** The {@code shape} attribute with -1 entries keeping the input's size: {@code torch.expand}. */
  public static int[] expand(String op, List<int[]> in, Attrs attrs) {
    return expand(DimAlgebra.EAGER, op, in, attrs);
  }

  /** expand's rule with sizes of {@code dims}. */
  public static int[] expand(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    int[] target = attrs.ints(Attrs.SHAPE);
    if (target.length < s.length) {
      throw new ShapeError(op + ": shape " + dims.str(s) + " cannot be expanded to " + dims.str(target)
          + ": the number of sizes (" + target.length + ") must be at least the tensor's rank (" + s.length + ")");
    }
    int lead = target.length - s.length;
    for (int d = 0; d < target.length; d++) {
      int have = d < lead ? -2 : s[d - lead];
      if (target[d] == -1) {
        if (have == -2) {
          throw new ShapeError(op + ": shape " + dims.str(s) + " cannot be expanded to " + dims.str(target)
              + ": -1 is not allowed in a new leading dimension (" + d + ")");
        }
        target[d] = have;
      } else if (target[d] < 0) {
        throw new ShapeError(op + ": invalid size " + target[d] + " in " + dims.str(target));
      } else if (have != -2 && have != 1 && have != target[d]) {
        throw new ShapeError(op + ": shape " + dims.str(s) + " cannot be expanded to " + dims.str(target) + ": size " + dims.show(have)
            + " at dimension " + (d - lead) + " must be 1 or equal " + dims.show(target[d]));
      }
    }
    return target;
  }

  /** The {@code shape} attribute with at most one -1 inferred; the element count must not change. */
  public static int[] reshape(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    return inferSize(d, op, attrs.ints(Attrs.SHAPE), d.numel(in.get(0)));
  }

  /** {@code shape} with its single -1 (if any) replaced so that it holds {@code numel} elements. */
  public static int[] inferSize(String op, int[] shape, long numel) {
    if (numel != (int) numel) {
      throw new ShapeError(op + ": a tensor of " + numel + " elements is too large");
    }
    return inferSize(DimAlgebra.EAGER, op, shape, (int) numel);
  }

  /** inferSize with sizes of {@code dims}. */
  public static int[] inferSize(DimAlgebra dims, String op, int[] shape, int numel) {
    int infer = -1;
    int known = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == -1) {
        if (infer >= 0) {
          throw new ShapeError(op + ": only one dimension can be inferred (-1), but shape " + dims.str(shape)
              + " has more");
        }
        infer = d;
      } else if (shape[d] < 0) {
        throw new ShapeError(op + ": invalid shape dimension " + shape[d] + " in " + dims.str(shape));
      } else {
        known = dims.multiply(known, shape[d]);
      }
    }
    int[] out = shape.clone();
    int rest = infer >= 0 && known != 0 ? dims.divide(numel, known) : -1;
    if (rest >= 0) {
      out[infer] = rest;
      return out;
    }
    if (infer < 0 && known == numel) {
      return out;
    }
    throw new ShapeError(op + ": shape '" + dims.str(shape) + "' is invalid for input of size " + dims.show(numel));
  }

  /** The input's dims reordered by the {@code perm} attribute, which must be a permutation. */
  public static int[] permute(String op, List<int[]> in, Attrs attrs) {
    return permute(DimAlgebra.EAGER, op, in, attrs);
  }

  /** permute's rule with sizes of {@code dims}. */
  public static int[] permute(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    int[] perm = attrs.ints(Attrs.PERM);
    if (perm.length != s.length) {
      throw new ShapeError(op + ": number of dims in the permutation " + str(perm) + " (" + perm.length
          + ") does not match the tensor's rank (" + s.length + ", shape " + dims.str(s) + ")");
    }
    boolean[] seen = new boolean[perm.length];
    int[] out = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      int d = dim(op, perm[i], s.length);
      if (seen[d]) {
        throw new ShapeError(op + ": dim " + d + " appears twice in the permutation " + str(perm));
      }
      seen[d] = true;
      out[i] = s[d];
    }
    return out;
  }

  /** The input with dim {@code dim} cut to {@code [start, start + length)}. */
  public static int[] narrow(String op, List<int[]> in, Attrs attrs) {
    return narrow(DimAlgebra.EAGER, op, in, attrs);
  }

  /** narrow's rule with sizes of {@code dims}. */
  public static int[] narrow(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    if (s.length == 0) {
      throw new ShapeError(op + ": cannot be applied to a 0-dim tensor");
    }
    int d = dim(op, attrs.integer(Attrs.DIM), s.length);
    int start = attrs.integer(Attrs.START);
    int length = attrs.integer(Attrs.LENGTH);
    if (start < 0 || length < 0 || dims.exceeds(dims.add(start, length), s[d])) {
      throw new ShapeError(op + ": start (" + dims.show(start) + ") + length (" + dims.show(length)
          + ") exceeds dimension size (" + dims.show(s[d]) + ") of dim " + d + " of shape " + dims.str(s));
    }
    int[] out = s.clone();
    out[d] = length;
    return out;
  }

  /** The input with dim {@code dim} cut to the {@code length} entries {@code start, start + step, ...}. */
  public static int[] slice(String op, List<int[]> in, Attrs attrs) {
    return slice(DimAlgebra.EAGER, op, in, attrs);
  }

  /** slice's rule with sizes of {@code dims}; start, length and step are plain ints. */
  public static int[] slice(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    if (s.length == 0) {
      throw new ShapeError(op + ": cannot be applied to a 0-dim tensor");
    }
    int d = dim(op, attrs.integer(Attrs.DIM), s.length);
    int start = attrs.integer(Attrs.START);
    int length = attrs.integer(Attrs.LENGTH);
    int step = attrs.integer(Attrs.STEP);
    if (step < 1) {
      throw new ShapeError(op + ": step must be positive, but got " + step);
    }
    boolean outside = start < 0 || length < 0;
    if (!outside && length > 0) {
      long last = (long) start + (long) (length - 1) * step;
      outside = last >= Integer.MAX_VALUE || dims.exceeds((int) last + 1, s[d]);
    }
    if (outside) {
      throw new ShapeError(op + ": " + length + " entries from " + start + " by " + step + " do not fit dimension size ("
          + dims.show(s[d]) + ") of dim " + d + " of shape " + dims.str(s));
    }
    int[] out = s.clone();
    out[d] = length;
    return out;
  }

  /** The input with {@code before} and {@code after} zeros added along dim {@code dim}. */
  public static int[] pad(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    int d = dim(op, attrs.integer(Attrs.DIM), s.length);
    int before = attrs.integer(Attrs.BEFORE);
    int after = attrs.integer(Attrs.AFTER);
    if (before < 0 || after < 0) {
      throw new ShapeError(op + ": padding must be >= 0, but got " + before + " and " + after);
    }
    int[] out = s.clone();
    out[d] = dims.add(out[d], dims.add(before, after));
    return out;
  }

  /** Concatenation along {@code dim}: all inputs have the same rank and agree in every other dim. */
  public static int[] cat(String op, List<int[]> in, Attrs attrs) {
    return cat(DimAlgebra.EAGER, op, in, attrs);
  }

  /** cat's rule with sizes of {@code dims}. */
  public static int[] cat(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    if (in.isEmpty()) {
      throw new ShapeError(op + ": expected a non-empty list of tensors");
    }
    int[] first = in.get(0);
    if (first.length == 0) {
      throw new ShapeError(op + ": zero-dimensional tensor (at position 0) cannot be concatenated");
    }
    int d = dim(op, attrs.integer(Attrs.DIM), first.length);
    int[] out = first.clone();
    for (int i = 1; i < in.size(); i++) {
      int[] s = in.get(i);
      if (s.length != first.length) {
        throw new ShapeError(op + ": tensors must have the same number of dimensions, but tensor 0 has shape "
            + dims.str(first) + " and tensor " + i + " has shape " + dims.str(s));
      }
      for (int k = 0; k < s.length; k++) {
        if (k != d && s[k] != first[k]) {
          throw new ShapeError(op + ": sizes of tensors must match except in dimension " + d + ", but tensor 0 has shape "
              + dims.str(first) + " and tensor " + i + " has shape " + dims.str(s) + " (dimension " + k + ": "
              + dims.show(first[k]) + " != " + dims.show(s[k]) + ")");
        }
      }
      out[d] = dims.add(out[d], s[d]);
    }
    return out;
  }

  /** {@code x[..., index, ...]} along {@code dim} with a 1-D index: that dim's size becomes the index length. */
  public static int[] indexSelect(String op, List<int[]> in, Attrs attrs) {
    return indexSelect(DimAlgebra.EAGER, op, in, attrs);
  }

  /** indexSelect's rule with sizes of {@code dims}. */
  public static int[] indexSelect(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    int[] index = in.get(1);
    if (index.length > 1) {
      throw new ShapeError(op + ": index should have at most 1 dimension, but has shape " + dims.str(index));
    }
    int d = dim(op, attrs.integer(Attrs.DIM), s.length);
    int[] out = s.clone();
    if (out.length > 0) {
      out[d] = dims.numel(index);
    }
    return out;
  }

  /** {@code torch.gather}: the index's shape; it has the input's rank and is no larger outside {@code dim}. */
  public static int[] gather(String op, List<int[]> in, Attrs attrs) {
    return gather(DimAlgebra.EAGER, op, in, attrs);
  }

  /** gather's rule with sizes of {@code dims}. */
  public static int[] gather(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] s = in.get(0);
    int[] index = in.get(1);
    int d = dim(op, attrs.integer(Attrs.DIM), s.length);
    checkIndexFits(dims, op, "input", s, index, d);
    return index.clone();
  }

  /** {@code scatter_add} into zeros of the {@code shape} attribute: src and index have one shape. */
  public static int[] scatterAdd(String op, List<int[]> in, Attrs attrs) {
    return scatterAdd(DimAlgebra.EAGER, op, in, attrs);
  }

  /** scatterAdd's rule with sizes of {@code dims}. */
  public static int[] scatterAdd(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] src = in.get(0);
    int[] index = in.get(1);
    int[] shape = attrs.ints(Attrs.SHAPE);
    int d = dim(op, attrs.integer(Attrs.DIM), shape.length);
    if (!Arrays.equals(src, index)) {
      throw new ShapeError(op + ": src " + dims.str(src) + " and index " + dims.str(index) + " must have the same shape");
    }
    checkIndexFits(dims, op, "output", shape, index, d);
    return shape;
  }

  /** {@code index_add} into zeros of the {@code shape} attribute; src has that shape with dim sized as the index. */
  public static int[] indexAdd(String op, List<int[]> in, Attrs attrs) {
    return indexAdd(DimAlgebra.EAGER, op, in, attrs);
  }

  /** indexAdd's rule with sizes of {@code dims}. */
  public static int[] indexAdd(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] src = in.get(0);
    int[] index = in.get(1);
    int[] shape = attrs.ints(Attrs.SHAPE);
    int d = dim(op, attrs.integer(Attrs.DIM), shape.length);
    int[] expected = shape.clone();
    if (expected.length > 0) {
      expected[d] = dims.numel(index);
    }
    if (index.length > 1 || !Arrays.equals(src, expected)) {
      throw new ShapeError(op + ": src " + dims.str(src) + " must have shape " + dims.str(expected)
          + " for a 1-D index " + dims.str(index) + " along dim " + d + " of " + dims.str(shape));
    }
    return shape;
  }

  private static void checkIndexFits(DimAlgebra dims, String op, String what, int[] shape, int[] index, int d) {
    if (index.length != shape.length) {
      throw new ShapeError(op + ": index " + dims.str(index) + " must have the same number of dimensions as the "
          + what + " " + dims.str(shape));
    }
    for (int k = 0; k < shape.length; k++) {
      if (k != d && dims.exceeds(index[k], shape[k])) {
        throw new ShapeError(op + ": index " + dims.str(index) + " is larger than the " + what + " " + dims.str(shape)
            + " in dimension " + k + " (only dimension " + d + " may differ)");
      }
    }
  }

  /** The number of elements of a shape. */
  public static long numel(int[] shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    return n;
  }

  /** {@code shape} with a 1 inserted at {@code dim} for every reduced dim: where a reduction's gradient is unsqueezed to. */
  public static int[] keepDims(int[] inShape, int[] dims) {
    boolean[] reduced = reducedDims("sum", inShape.length, dims);
    return reduce(inShape, reduced, true);
  }

  /** The permutation that undoes {@code perm}. */
  public static int[] inversePermutation(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[perm[i]] = i;
    }
    return inv;
  }

  /** The identity permutation of {@code rank} dims with the last two swapped (a batched transpose). */
  public static int[] swapLastTwo(int rank) {
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return perm;
  }
}

package dev.flint.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property tests (jqwik) of the op table's shape rules and the Tensor views built on them, against
 * {@link Reference}: PyTorch's documented rules written out again, independently and as plainly as
 * possible, in this file. Shapes have rank 0 to 4 and sizes 0 to 4 (empty dims included), so real
 * tensors of them are small enough to build: the view properties run the actual Tensor methods and
 * also compare the elements, not only the shapes.
 */
class ShapeRulesPropertyTest {

  // ---------------------------------------------------------------- broadcasting

  @Property
  void broadcastingTwoShapesFollowsNumpysRule(@ForAll("shapes") int[] a, @ForAll("shapes") int[] b) {
    int[] expected = Reference.broadcast(a, b);
    assertSameOutcome(expected, () -> Op.ADD.inferShape(List.of(a, b), Attrs.NONE), "add " + str(a) + " " + str(b));
    assertSameOutcome(expected, () -> Op.MUL.inferShape(List.of(b, a), Attrs.NONE), "broadcasting is symmetric");
  }

  @Property
  void broadcastingCompatibleShapesFollowsNumpysRule(@ForAll("broadcastablePairs") int[][] pair) {
    int[] expected = Reference.broadcast(pair[0], pair[1]);
    assertTrue(expected != null, "the generator makes broadcastable pairs: " + str(pair[0]) + " " + str(pair[1]));
    assertSameOutcome(expected, () -> Op.SUB.inferShape(List.of(pair[0], pair[1]), Attrs.NONE), "sub");
    assertArrayEquals(expected, Tensor.zeros(pair[0]).add(Tensor.zeros(pair[1])).shape(), "Tensor.add");
  }

  @Property
  void whereBroadcastsThreeShapes(@ForAll("broadcastablePairs") int[][] pair, @ForAll("shapes") int[] c) {
    int[] ab = Reference.broadcast(pair[0], pair[1]);
    int[] expected = Reference.broadcast(ab, c);
    assertSameOutcome(expected, () -> Op.WHERE.inferShape(List.of(pair[0], pair[1], c), Attrs.NONE), "where");
  }

  // ---------------------------------------------------------------- matmul

  @Property
  void tensorMatmulFollowsTorchMatmul(@ForAll("matmulPairs") int[][] pair) {
    int[] a = pair[0];
    int[] b = pair[1];
    int[] expected = Reference.matmul(a, b);
    assertSameOutcome(expected, () -> Tensor.zeros(a).matmul(Tensor.zeros(b)).shape(), "matmul " + str(a) + " @ " + str(b));
    if (a.length >= 2 && b.length >= 2) {
      assertSameOutcome(expected, () -> Op.MATMUL.inferShape(List.of(a, b), Attrs.NONE), "the MATMUL row");
    }
  }

  @Property
  void matmulMultipliesLikeTheDefinition(@ForAll("matmulPairs") int[][] pair) {
    int[] a = pair[0];
    int[] b = pair[1];
    int[] outShape = Reference.matmul(a, b);
    if (outShape == null || a.length > 2 || b.length > 2) {
      return;
    }
    // 1-D and 2-D operands: check the numbers too, with a row (or column) vector made explicit
    int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
    int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
    double[] x = ramp(a2);
    double[] y = ramp(b2);
    int n = a2[0];
    int k = a2[1];
    int m = b2[1];
    double[] expected = new double[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        for (int p = 0; p < k; p++) {
          expected[i * m + j] += x[i * k + p] * y[p * m + j];
        }
      }
    }
    Tensor out = tensor(x, a).matmul(tensor(y, b));
    assertArrayEquals(outShape, out.shape());
    assertArrayEquals(expected, out.toDoubleArray(), 1e-9);
  }

  // ---------------------------------------------------------------- cat

  @Property
  void catFollowsTorchCat(@ForAll("catCases") CatCase c) {
    int[] expected = Reference.cat(c.shapes, c.dim);
    Tensor[] tensors = c.shapes.stream().map(Tensor::zeros).toArray(Tensor[]::new);
    assertSameOutcome(expected, () -> Tensor.cat(c.dim, tensors).shape(), "cat " + c);
  }

  @Property
  void catKeepsEachPieceInOrder(@ForAll("catCases") CatCase c) {
    int[] outShape = Reference.cat(c.shapes, c.dim);
    if (outShape == null) {
      return;
    }
    int d = c.dim < 0 ? c.dim + outShape.length : c.dim;
    List<Tensor> pieces = new ArrayList<>();
    for (int i = 0; i < c.shapes.size(); i++) {
      pieces.add(tensor(ramp(c.shapes.get(i)), c.shapes.get(i)).add(100.0 * i));
    }
    Tensor out = Tensor.cat(c.dim, pieces);
    int at = 0;
    for (Tensor piece : pieces) {
      int size = piece.shape()[d];
      assertArrayEquals(piece.toDoubleArray(), out.narrow(d, at, size).toDoubleArray(), 0.0, "piece at " + at);
      at += size;
    }
  }

  /** Found by catFollowsTorchCat: a narrow view of an empty tensor pointed past its storage. */
  @Example
  void catOfEmptyPieces() {
    assertArrayEquals(new int[] {2, 0}, Tensor.cat(0, Tensor.zeros(1, 0), Tensor.zeros(1, 0)).shape());
    assertArrayEquals(new int[] {0, 3}, Tensor.cat(0, Tensor.zeros(0, 3), Tensor.zeros(0, 3)).shape());
  }

  // ---------------------------------------------------------------- views

  /** Found by flattenMergesARangeOfDims: a 0-d tensor took any dims (PyTorch accepts only -1 and 0). */
  @Example
  void flatteningAScalarChecksItsDims() {
    assertArrayEquals(new int[] {1}, Tensor.scalar(2.0).flatten(-1, 0).shape());
    assertThrows(IndexOutOfBoundsException.class, () -> Tensor.scalar(2.0).flatten(0, 1));
  }

  @Property
  void reshapeInfersAtMostOneSize(@ForAll("shapes") int[] shape, @ForAll("reshapeTargets") int[] target) {
    int[] expected = Reference.reshape(shape, target);
    assertSameOutcome(expected, () -> Op.RESHAPE.inferShape(List.of(shape), Attrs.of(Attrs.SHAPE, target)),
        "reshape " + str(shape) + " to " + str(target));
    if (expected != null) {
      Tensor x = tensor(ramp(shape), shape);
      Tensor y = x.reshape(target);
      assertArrayEquals(expected, y.shape());
      assertArrayEquals(x.toDoubleArray(), y.toDoubleArray(), 0.0, "reshape keeps the row-major order");
    }
  }

  @Property
  void reshapeToAShuffleOfTheSameSizes(@ForAll("shapes") int[] shape, @ForAll long seed,
      @ForAll boolean inferOne) {
    int[] target = Reference.shuffled(shape, seed);
    if (inferOne && target.length > 0) {
      target[(int) Math.floorMod(seed, target.length)] = -1;
    }
    int[] expected = Reference.reshape(shape, target);
    assertSameOutcome(expected, () -> Tensor.zeros(shape).reshape(target).shape(), "reshape " + str(shape) + " to " + str(target));
  }

  @Property
  void permuteReordersDimsAndElements(@ForAll("shapes") int[] shape, @ForAll long seed, @ForAll boolean corrupt) {
    int[] perm = Reference.permutation(shape.length, seed);
    if (corrupt && perm.length > 0) {
      perm[0] = perm[perm.length - 1];   // a repeated dim (or, for rank 1, unchanged)
    }
    int[] expected = Reference.permute(shape, perm);
    assertSameOutcome(expected, () -> Op.PERMUTE.inferShape(List.of(shape), Attrs.of(Attrs.PERM, perm)), "permute");
    if (expected != null) {
      double[] values = ramp(shape);
      Tensor y = tensor(values, shape).permute(perm);
      assertArrayEquals(expected, y.shape());
      assertArrayEquals(Reference.permuteValues(values, shape, perm), y.contiguous().toDoubleArray(), 0.0);
    }
  }

  @Property
  void transposeSwapsTwoDims(@ForAll("shapes") int[] shape, @ForAll @IntRange(min = -5, max = 4) int d0,
      @ForAll @IntRange(min = -5, max = 4) int d1) {
    int[] expected = Reference.transpose(shape, d0, d1);
    assertSameOutcome(expected, () -> Tensor.zeros(shape).transpose(d0, d1).shape(), "transpose " + str(shape) + " " + d0 + " " + d1);
    if (expected != null && shape.length > 0) {
      int[] perm = Reference.identity(shape.length);
      int a = Math.floorMod(d0, shape.length);
      int b = Math.floorMod(d1, shape.length);
      perm[a] = b;
      perm[b] = a;
      double[] values = ramp(shape);
      assertArrayEquals(Reference.permuteValues(values, shape, perm),
          tensor(values, shape).transpose(d0, d1).contiguous().toDoubleArray(), 0.0);
    }
  }

  @Property
  void squeezeDropsSizeOneDims(@ForAll("shapesWithOnes") int[] shape, @ForAll @IntRange(min = -5, max = 4) int dim) {
    assertArrayEquals(Reference.squeezeAll(shape), Tensor.zeros(shape).squeeze().shape(), "squeeze() " + str(shape));
    assertSameOutcome(Reference.squeeze(shape, dim), () -> Tensor.zeros(shape).squeeze(dim).shape(),
        "squeeze(" + dim + ") " + str(shape));
  }

  @Property
  void unsqueezeInsertsASizeOneDim(@ForAll("shapes") int[] shape, @ForAll @IntRange(min = -6, max = 5) int dim) {
    assertSameOutcome(Reference.unsqueeze(shape, dim), () -> Tensor.zeros(shape).unsqueeze(dim).shape(),
        "unsqueeze(" + dim + ") " + str(shape));
  }

  @Property
  void flattenMergesARangeOfDims(@ForAll("shapes") int[] shape, @ForAll @IntRange(min = -5, max = 4) int start,
      @ForAll @IntRange(min = -5, max = 4) int end) {
    assertSameOutcome(Reference.flatten(shape, start, end), () -> Tensor.zeros(shape).flatten(start, end).shape(),
        "flatten(" + start + ", " + end + ") " + str(shape));
    assertSameOutcome(Reference.flatten(shape, start, -1), () -> Tensor.zeros(shape).flatten(start).shape(),
        "flatten(" + start + ") " + str(shape));
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<int[]> shapes() {
    return Arbitraries.integers().between(0, 4).array(int[].class).ofMaxSize(4);
  }

  @Provide
  Arbitrary<int[]> shapesWithOnes() {
    // size 1 three times as often as in shapes(), so squeeze has dims to drop
    return Arbitraries.of(1, 1, 1, 0, 2, 2, 3, 3).array(int[].class).ofMaxSize(4);
  }

  @Provide
  Arbitrary<int[]> reshapeTargets() {
    return Arbitraries.integers().between(-2, 8).array(int[].class).ofMaxSize(4);
  }

  /** A shape and a second one made from it by dropping leading dims and setting some to 1 (or to anything). */
  @Provide
  Arbitrary<int[][]> broadcastablePairs() {
    return Combinators.combine(shapes(), Arbitraries.integers().between(0, 4), Arbitraries.longs())
        .as((a, drop, seed) -> {
          java.util.Random r = new java.util.Random(seed);
          int keep = Math.max(0, a.length - Math.min(drop, a.length));
          int[] b = Arrays.copyOfRange(a, a.length - keep, a.length);
          for (int i = 0; i < b.length; i++) {
            if (r.nextInt(3) == 0) {
              b[i] = 1;
            }
          }
          int[] first = a.clone();
          for (int i = 0; i < first.length; i++) {
            if (r.nextInt(4) == 0) {
              first[i] = 1;
            }
          }
          return r.nextBoolean() ? new int[][] {first, b} : new int[][] {b, first};
        });
  }

  /** Operand shapes for matmul: mostly with agreeing inner sizes, sometimes not; 1-D to 4-D. */
  @Provide
  Arbitrary<int[][]> matmulPairs() {
    Arbitrary<int[]> batch = Arbitraries.integers().between(1, 3).array(int[].class).ofMaxSize(2);
    Arbitrary<Integer> size = Arbitraries.integers().between(0, 4);
    return Combinators.combine(batch, batch, size, size, size, Arbitraries.integers().between(0, 8))
        .as((ba, bb, n, k, m, form) -> {
          int kb = form == 8 ? k + 1 : k;   // one pair in nine has mismatched inner sizes
          int[] a = (form & 1) == 0 ? new int[] {k} : concat(ba, n, k);
          int[] b = (form & 2) == 0 ? new int[] {kb} : concat(bb, kb, m);
          return new int[][] {a, b};
        });
  }

  /** Shapes to concatenate: copies of one shape, resized along a dim, sometimes spoiled. */
  @Provide
  Arbitrary<CatCase> catCases() {
    return Combinators.combine(shapes(), Arbitraries.integers().between(-5, 4), Arbitraries.integers().between(1, 3),
        Arbitraries.longs()).as((base, dim, count, seed) -> {
          java.util.Random r = new java.util.Random(seed);
          List<int[]> shapes = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            int[] s = base.clone();
            int d = s.length == 0 ? -1 : Math.floorMod(dim, s.length);
            if (d >= 0) {
              s[d] = r.nextInt(4);
            }
            if (r.nextInt(6) == 0 && s.length > 0) {
              s[r.nextInt(s.length)] = r.nextInt(4);   // may break the other dims
            }
            if (r.nextInt(10) == 0) {
              s = Arrays.copyOf(s, s.length + 1);      // a different rank
            }
            shapes.add(s);
          }
          return new CatCase(shapes, dim);
        });
  }

  /** Inputs of one cat: the shapes and the dim. */
  static final class CatCase {
    final List<int[]> shapes;
    final int dim;

    CatCase(List<int[]> shapes, int dim) {
      this.shapes = shapes;
      this.dim = dim;
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("dim ").append(dim).append(':');
      shapes.forEach(x -> s.append(' ').append(str(x)));
      return s.toString();
    }
  }

  // ---------------------------------------------------------------- checks

  /** Either both fail (the rule with a message naming shapes), or both give {@code expected}. */
  private static void assertSameOutcome(int[] expected, Supplier<int[]> actual, String what) {
    int[] got;
    try {
      got = actual.get();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      if (expected != null) {
        fail(what + ": expected shape " + str(expected) + " but the rule refused: " + e.getMessage());
      }
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": a refusal without a message");
      return;
    }
    if (expected == null) {
      fail(what + ": PyTorch's rule refuses this, but the result was " + str(got));
    }
    assertEquals(str(expected), str(got), what);
  }

  private static String str(int[] shape) {
    return Arrays.toString(shape);
  }

  private static int[] concat(int[] batch, int rows, int cols) {
    int[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = rows;
    out[batch.length + 1] = cols;
    return out;
  }

  /** A FLOAT64 tensor of {@code shape} (0-d included: {@code Tensor.of(v)} alone would be 1-D). */
  private static Tensor tensor(double[] values, int[] shape) {
    return Tensor.of(values).reshape(shape);
  }

  /** 0, 1, 2, ... in the shape's element count. */
  private static double[] ramp(int[] shape) {
    double[] v = new double[Math.toIntExact(Reference.numel(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return v;
  }

  /**
   * PyTorch's shape rules as its documentation states them, written without looking at
   * {@link Shapes}. Each method returns the output shape, or null where PyTorch raises.
   */
  static final class Reference {
    private Reference() {}

    static long numel(int[] shape) {
      long n = 1;
      for (int s : shape) {
        n *= s;
      }
      return n;
    }

    /** "Two dims are compatible when they are equal or one of them is 1", aligned from the right. */
    static int[] broadcast(int[] a, int[] b) {
      if (a == null || b == null) {
        return null;
      }
      int rank = Math.max(a.length, b.length);
      int[] out = new int[rank];
      for (int i = 1; i <= rank; i++) {
        int x = i <= a.length ? a[a.length - i] : 1;
        int y = i <= b.length ? b[b.length - i] : 1;
        if (x != y && x != 1 && y != 1) {
          return null;
        }
        out[rank - i] = x == 1 ? y : x;
      }
      return out;
    }

    /** torch.matmul: 1-D operands become a row (left) or a column (right) that is removed afterwards. */
    static int[] matmul(int[] a, int[] b) {
      if (a.length == 0 || b.length == 0) {
        return null;
      }
      if (a.length == 1 && b.length == 1) {
        return a[0] == b[0] ? new int[0] : null;
      }
      int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
      int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
      if (a2[a2.length - 1] != b2[b2.length - 2]) {
        return null;
      }
      int[] batch = broadcast(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
      if (batch == null) {
        return null;
      }
      List<Integer> out = new ArrayList<>();
      for (int s : batch) {
        out.add(s);
      }
      if (a.length > 1) {
        out.add(a2[a2.length - 2]);
      }
      if (b.length > 1) {
        out.add(b2[b2.length - 1]);
      }
      return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** torch.cat: same rank (at least 1), equal sizes except along dim, which adds up. */
    static int[] cat(List<int[]> shapes, int dim) {
      int[] first = shapes.get(0);
      Integer d = dim(dim, first.length);
      if (d == null || first.length == 0) {
        return null;
      }
      int[] out = first.clone();
      for (int i = 1; i < shapes.size(); i++) {
        int[] s = shapes.get(i);
        if (s.length != first.length) {
          return null;
        }
        for (int k = 0; k < s.length; k++) {
          if (k != d && s[k] != first[k]) {
            return null;
          }
        }
        out[d] += s[d];
      }
      return out;
    }

    /** A dim in [-rank, rank) (a 0-d tensor accepts -1 and 0), normalized; null when out of range. */
    static Integer dim(int dim, int rank) {
      int r = Math.max(rank, 1);
      if (dim < -r || dim >= r) {
        return null;
      }
      return dim < 0 ? dim + r : dim;
    }

    /** reshape: sizes >= 0 except one optional -1, which is inferred when the known sizes leave no doubt. */
    static int[] reshape(int[] shape, int[] target) {
      long known = 1;
      int inferred = -1;
      for (int i = 0; i < target.length; i++) {
        if (target[i] == -1 && inferred < 0) {
          inferred = i;
        } else if (target[i] < 0) {
          return null;
        } else {
          known *= target[i];
        }
      }
      long n = numel(shape);
      int[] out = target.clone();
      if (inferred >= 0) {
        if (known == 0 || n % known != 0) {
          return null;   // PyTorch: "the unspecified dimension size -1 can be any value" for known == 0
        }
        out[inferred] = (int) (n / known);
        return out;
      }
      return known == n ? out : null;
    }

    static int[] permute(int[] shape, int[] perm) {
      if (perm.length != shape.length) {
        return null;
      }
      boolean[] seen = new boolean[shape.length];
      int[] out = new int[shape.length];
      for (int i = 0; i < perm.length; i++) {
        Integer d = dim(perm[i], shape.length);
        if (d == null || seen[d]) {
          return null;
        }
        seen[d] = true;
        out[i] = shape[d];
      }
      return out;
    }

    /** The row-major elements of the permuted tensor: out[i0, i1, ...] = in[..., i_k at perm[k], ...]. */
    static double[] permuteValues(double[] values, int[] shape, int[] perm) {
      int rank = shape.length;
      int[] outShape = permute(shape, perm);
      int[] inStrides = new int[rank];
      for (int d = rank - 1, s = 1; d >= 0; d--) {
        inStrides[d] = s;
        s *= shape[d];
      }
      double[] out = new double[values.length];
      int[] index = new int[rank];
      for (int flat = 0; flat < out.length; flat++) {
        int rest = flat;
        for (int d = rank - 1; d >= 0; d--) {
          index[d] = rest % outShape[d];
          rest /= outShape[d];
        }
        int at = 0;
        for (int d = 0; d < rank; d++) {
          at += index[d] * inStrides[Math.floorMod(perm[d], rank)];
        }
        out[flat] = values[at];
      }
      return out;
    }

    static int[] transpose(int[] shape, int d0, int d1) {
      Integer a = dim(d0, shape.length);
      Integer b = dim(d1, shape.length);
      if (a == null || b == null) {
        return null;
      }
      int[] out = shape.clone();
      if (shape.length > 0) {
        out[a] = shape[b];
        out[b] = shape[a];
      }
      return out;
    }

    static int[] squeezeAll(int[] shape) {
      return Arrays.stream(shape).filter(s -> s != 1).toArray();
    }

    static int[] squeeze(int[] shape, int dim) {
      Integer d = dim(dim, shape.length);
      if (d == null) {
        return null;
      }
      if (shape.length == 0 || shape[d] != 1) {
        return shape.clone();
      }
      int[] out = new int[shape.length - 1];
      for (int i = 0, j = 0; i < shape.length; i++) {
        if (i != d) {
          out[j++] = shape[i];
        }
      }
      return out;
    }

    /** unsqueeze accepts dims in [-rank-1, rank]. */
    static int[] unsqueeze(int[] shape, int dim) {
      int r = shape.length + 1;
      if (dim < -r || dim >= r) {
        return null;
      }
      int d = dim < 0 ? dim + r : dim;
      int[] out = new int[r];
      for (int i = 0, j = 0; i < r; i++) {
        out[i] = i == d ? 1 : shape[j++];
      }
      return out;
    }

    /** torch.flatten(x, start, end): a 0-d tensor becomes [1]; start must not come after end. */
    static int[] flatten(int[] shape, int start, int end) {
      Integer s = dim(start, shape.length);
      Integer e = dim(end, shape.length);
      if (s == null || e == null) {
        return null;
      }
      if (shape.length == 0) {
        return new int[] {1};
      }
      if (s > e) {
        return null;
      }
      int[] out = new int[shape.length - (e - s)];
      for (int i = 0; i < s; i++) {
        out[i] = shape[i];
      }
      long merged = 1;
      for (int i = s; i <= e; i++) {
        merged *= shape[i];
      }
      out[s] = (int) merged;
      for (int i = e + 1; i < shape.length; i++) {
        out[i - (e - s)] = shape[i];
      }
      return out;
    }

    static int[] identity(int rank) {
      int[] p = new int[rank];
      for (int i = 0; i < rank; i++) {
        p[i] = i;
      }
      return p;
    }

    /** A random permutation of {@code 0..rank-1}. */
    static int[] permutation(int rank, long seed) {
      return shuffled(identity(rank), seed);
    }

    /** {@code values} in a random order. */
    static int[] shuffled(int[] values, long seed) {
      java.util.Random r = new java.util.Random(seed);
      int[] out = values.clone();
      for (int i = out.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
      return out;
    }
  }
}

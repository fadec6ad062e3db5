package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused attention against the naive composition (matmul, softmax, matmul, PyTorch's math reference) and
 * finite differences, and its saved memory against T.
 */
class ScaledDotProductAttentionTest {
  private static final Generator GEN = new Generator(42);

  private static Tensor randn(DType dtype, int... shape) {
    return Tensor.randn(GEN, shape).to(dtype);
  }

  /** PyTorch's documented math: softmax(q kᵀ / √E + mask) v, the mask BOOL (true = allowed) or added. */
  static Tensor naive(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
    Tensor scores = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(q.size(-1)));
    if (causal) {
      mask = Tensor.ones(DType.BOOL, q.size(-2), k.size(-2)).tril();
    }
    if (mask != null) {
      scores = mask.dtype() == DType.BOOL ? Tensor.where(mask, scores, Double.NEGATIVE_INFINITY) : scores.add(mask);
    }
    return scores.softmax(-1).matmul(v);
  }

  private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
    PyTorchFixtures.assertClose(expected, actual, tol, what);
  }

  /** Forward and all gradients of the fused form against the naive one, for one case. */
  private static void compare(DType dtype, int[] batch, int t, int s, int e, int ev, Tensor mask, boolean causal) {
    double tol = dtype == DType.FLOAT64 ? 1e-11 : 2e-5;
    Tensor q = randn(dtype, concat(batch, t, e)).requiresGrad(true);
    Tensor k = randn(dtype, concat(batch, s, e)).requiresGrad(true);
    Tensor v = randn(dtype, concat(batch, s, ev)).requiresGrad(true);
    Tensor fused = F.scaledDotProductAttention(q, k, v, mask, 0, causal);
    Tensor[] ref = {q.detach().requiresGrad(true), k.detach().requiresGrad(true), v.detach().requiresGrad(true)};
    Tensor expected = naive(ref[0], ref[1], ref[2], mask, causal);
    assertClose(expected, fused, tol, "output");
    Tensor cot = randn(dtype, expected.shape());
    fused.mul(cot).sum().backward();
    expected.mul(cot).sum().backward();
    assertClose(ref[0].grad(), q.grad(), tol, "dq");
    assertClose(ref[1].grad(), k.grad(), tol, "dk");
    assertClose(ref[2].grad(), v.grad(), tol, "dv");
  }

  /** A random BOOL mask in which every row allows at least its diagonal entry. */
  private static Tensor randomMask(int t, int s) {
    boolean[] m = new boolean[t * s];
    for (int i = 0; i < m.length; i++) {
      m[i] = GEN.nextDouble() > 0.4 || i / s == i % s;
    }
    return Tensor.of(m, t, s);
  }

  private static int[] concat(int[] batch, int a, int b) {
    int[] out = java.util.Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = a;
    out[batch.length + 1] = b;
    return out;
  }

  @Test
  void matchesTheNaiveCompositionInBothDtypes() {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      compare(dtype, new int[] {}, 5, 5, 4, 4, null, false);
      compare(dtype, new int[] {2, 3}, 6, 6, 4, 3, null, true);                      // batch, heads, causal
      compare(dtype, new int[] {2}, 4, 7, 5, 2, null, false);                         // S != T
      compare(dtype, new int[] {2}, 7, 4, 3, 3, null, true);                          // causal with S < T
      Tensor bool = randomMask(6, 5);
      compare(dtype, new int[] {2, 2}, 6, 5, 4, 4, bool, false);                       // BOOL [T, S], broadcast
      compare(dtype, new int[] {2, 3}, 4, 6, 3, 2, randn(dtype, 2, 1, 4, 6), false);   // float [B, 1, T, S]
    }
  }

  @Test
  void rowsLongerThanAKeyBlockAgreeWithTheNaiveComposition() {
    // 150 keys span three blocks of the online softmax; large scores test its rescaling
    compare(DType.FLOAT64, new int[] {1}, 150, 150, 8, 8, null, true);
    compare(DType.FLOAT64, new int[] {2}, 3, 130, 4, 4, randn(DType.FLOAT64, 3, 130).mul(20), false);
    compare(DType.FLOAT64, new int[] {1}, 70, 130, 4, 5, null, true);   // causal, S > T, tiles on both sides
    compare(DType.FLOAT32, new int[] {2, 2}, 129, 129, 8, 8, null, true);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Tensor q = randn(DType.FLOAT64, 2, 3, 4);
    Tensor k = randn(DType.FLOAT64, 2, 5, 4);
    Tensor v = randn(DType.FLOAT64, 2, 5, 3);
    GradCheck.checkEach(x -> F.scaledDotProductAttention(x[0], x[1], x[2], false), q, k, v);
    GradCheck.checkEach(x -> F.scaledDotProductAttention(x[0], x[1], x[2], true), q, k, v);
    Tensor bool = Tensor.of(new boolean[] {true, false, true, true, false, false, true, false, false, true,
        true, true, true, true, false}, 3, 5);
    GradCheck.checkEach(x -> F.scaledDotProductAttention(x[0], x[1], x[2], bool, 0, false), q, k, v);
    // a float mask is differentiable too, and broadcast over the batch
    GradCheck.checkEach(x -> F.scaledDotProductAttention(x[0], x[1], x[2], x[3], 0, false), q, k, v,
        randn(DType.FLOAT64, 3, 5));
  }

  @Test
  void dropoutDropsWeightsAndBackwardRedrawsTheSameMask() {
    Tensor q = randn(DType.FLOAT64, 2, 40, 8);
    Tensor k = randn(DType.FLOAT64, 2, 40, 8);
    Tensor eye = Tensor.eye(40).to(DType.FLOAT64).expand(2, 40, 40);   // value = I: the output is the weights
    Tensor weights = naive(q, k, eye, null, false);
    Tensor dropped = F.scaledDotProductAttention(q, k, eye, null, 0.25, false);
    double[] w = weights.toDoubleArray();
    double[] d = dropped.toDoubleArray();
    int zeros = 0;
    for (int i = 0; i < w.length; i++) {
      if (d[i] == 0) {
        zeros++;
      } else {
        assertEquals(w[i] / 0.75, d[i], 1e-12);   // kept weights are scaled by 1/(1-p)
      }
    }
    assertEquals(0.25, zeros / (double) w.length, 0.02);
    GradCheck.checkEach(x -> {
      Generator.seedAll(7);   // the same draw in every evaluation
      return F.scaledDotProductAttention(x[0], x[1], x[2], null, 0.3, false);
    }, randn(DType.FLOAT64, 1, 4, 3), randn(DType.FLOAT64, 1, 6, 3), randn(DType.FLOAT64, 1, 6, 2));
  }

  @Test
  void aFullyMaskedRowGivesZerosAndNoGradientAsPyTorch25() {
    Tensor q = randn(DType.FLOAT64, 3, 4).requiresGrad(true);
    Tensor k = randn(DType.FLOAT64, 4, 4).requiresGrad(true);
    Tensor v = randn(DType.FLOAT64, 4, 2).requiresGrad(true);
    Tensor mask = Tensor.of(new boolean[] {true, true, false, false, false, false, false, false,
        false, true, true, true}, 3, 4);
    Tensor y = F.scaledDotProductAttention(q, k, v, mask, 0, false);
    assertArrayEquals(new double[] {0, 0}, y.select(0, 1).toDoubleArray());
    assertClose(naive(q, k, v, mask, false).select(0, 0), y.select(0, 0), 1e-12, "row 0");
    y.sum().backward();
    assertArrayEquals(new double[] {0, 0, 0, 0}, q.grad().select(0, 1).toDoubleArray());
    for (double g : k.grad().toDoubleArray()) {
      assertTrue(Double.isFinite(g));
    }
  }

  @Test
  void savedMemoryGrowsLinearlyInT() {
    long at512 = saved(512);
    long at1024 = saved(1024);
    assertEquals(2.0, at1024 / (double) at512, 0.01, at512 + " -> " + at1024 + " bytes");
    // q, k, v, out (4 · T · E · 4 bytes over 2 heads), one lse per row and the [1, T] mask as doubles: far
    // below one [T, T] matrix. (Without a mask the op row runs; its saved values, q, k, v and the packed
    // output, are checked by SignatureTest, and the compiled ones by the processor's AttentionMemoryTest.)
    long heads = 2;
    assertEquals(heads * (4L * 1024 * 16 * 4 + 1024 * 8) + 1024 * 8, at1024);
    assertTrue(at1024 < 1024L * 1024 * 4, at1024 + " bytes");
  }

  private static long saved(int t) {
    Tensor q = randn(DType.FLOAT32, 2, t, 16).requiresGrad(true);
    Tensor k = randn(DType.FLOAT32, 2, t, 16).requiresGrad(true);
    Tensor v = randn(DType.FLOAT32, 2, t, 16).requiresGrad(true);
    Tensor y = F.scaledDotProductAttention(q, k, v, Tensor.ones(DType.BOOL, 1, t), 0, false);
    return ((ScaledDotProductAttention.Backward) y.gradFn()).savedBytes();
  }

  @Test
  void badArgumentsAreClearErrors() {
    Tensor q = randn(DType.FLOAT32, 2, 3, 4);
    Tensor k = randn(DType.FLOAT32, 2, 5, 4);
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> F.scaledDotProductAttention(q, k, k, Tensor.ones(DType.BOOL, 3, 5), 0, true));
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> F.scaledDotProductAttention(q, randn(DType.FLOAT32, 2, 5, 3), k, false));
    assertTrue(width.getMessage().contains("[2, 5, 3]"), width.getMessage());
    IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
        () -> F.scaledDotProductAttention(q, k, k, Tensor.ones(DType.BOOL, 4, 5), 0, false));
    assertTrue(mask.getMessage().contains("[4, 5]") && mask.getMessage().contains("[2, 3, 5]"), mask.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> F.scaledDotProductAttention(q, k, k.to(DType.FLOAT64), false));
  }
}

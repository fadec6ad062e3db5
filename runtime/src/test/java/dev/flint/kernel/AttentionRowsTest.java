package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.autograd.EagerAlgebra;
import dev.flint.autograd.GradCheck;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused attention rows ({@link AttentionRows}): FLOAT64 against the composition
 * {@code softmax(scale·q·kᵀ + causal mask)·v} and its log-sum-exp written out here, on strided heads; the
 * backward against finite differences (a gradient on the log-sum-exp column too); FLOAT32 (the Vector API
 * kernel when the module is present: surefire runs this class with and without it) against FLOAT64,
 * with ragged row blocks and head sizes that are not whole vectors.
 */
class AttentionRowsTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  /** {@code [n, t, e + 1]}: the composition's output and log-sum-exp, in double, from contiguous copies. */
  private static double[] reference(Tensor q, Tensor k, Tensor v, double scale, boolean causal) {
    int r = q.dim();
    int t = q.size(r - 2);
    int e = q.size(r - 1);
    int s = k.size(r - 2);
    double[] qd = q.contiguous().to(DType.FLOAT64).toDoubleArray();
    double[] kd = k.contiguous().to(DType.FLOAT64).toDoubleArray();
    double[] vd = v.contiguous().to(DType.FLOAT64).toDoubleArray();
    int n = qd.length / (t * e);
    double[] out = new double[n * t * (e + 1)];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < t; i++) {
        double[] sc = new double[s];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
          double dot = 0;
          for (int c = 0; c < e; c++) {
            dot += qd[(b * t + i) * e + c] * kd[(b * s + j) * e + c];
          }
          sc[j] = causal && j > i ? Double.NEGATIVE_INFINITY : scale * dot;
          max = Math.max(max, sc[j]);
        }
        double sum = 0;
        for (int j = 0; j < s; j++) {
          sum += Math.exp(sc[j] - max);
        }
        for (int c = 0; c < e; c++) {
          double acc = 0;
          for (int j = 0; j < s; j++) {
            acc += Math.exp(sc[j] - max) / sum * vd[(b * s + j) * e + c];
          }
          out[(b * t + i) * (e + 1) + c] = acc;
        }
        out[(b * t + i) * (e + 1) + e] = max + Math.log(sum);
      }
    }
    return out;
  }

  /** Heads {@code [b, h, t, e]} as a GPT makes them: a permuted view of {@code [b, t, h, e]}. */
  private static Tensor heads(Generator g, DType dtype, int b, int h, int t, int e) {
    return Tensor.randn(g, b, t, h, e).to(dtype).transpose(1, 2);
  }

  @Test
  void float64MatchesTheCompositionOnStridedHeads() {
    Generator g = new Generator(7);
    for (boolean causal : new boolean[] {false, true}) {
      Tensor q = heads(g, DType.FLOAT64, 2, 3, 6, 5);
      Tensor k = heads(g, DType.FLOAT64, 2, 3, causal ? 6 : 9, 5);
      Tensor v = heads(g, DType.FLOAT64, 2, 3, causal ? 6 : 9, 5);
      Tensor y = Kernels.attention(q, k, v, 0.45, causal);
      assertArrayEquals(new int[] {2, 3, 6, 6}, y.shape());
      assertArrayEquals(reference(q, k, v, 0.45, causal), y.toDoubleArray(), 1e-12);
    }
  }

  @Test
  void backwardMatchesFiniteDifferences() {
    Generator g = new Generator(11);
    EagerAlgebra a = EagerAlgebra.INSTANCE;
    for (boolean causal : new boolean[] {false, true}) {
      Tensor q = Tensor.randn(g, 2, 5, 3).to(DType.FLOAT64).requiresGrad(true);
      Tensor k = Tensor.randn(g, 2, causal ? 5 : 4, 3).to(DType.FLOAT64).requiresGrad(true);
      Tensor v = Tensor.randn(g, 2, causal ? 5 : 4, 3).to(DType.FLOAT64).requiresGrad(true);
      GradCheck.checkEach(x -> a.attention(x[0], x[1], x[2], 0.7, causal), q, k, v);
    }
  }

  @Test
  void float32MatchesFloat64() {
    Generator g = new Generator(3);
    for (int e : new int[] {32, 19}) {
      for (boolean causal : new boolean[] {false, true}) {
        int t = 67;
        int s = causal ? 67 : 45;
        Tensor q = heads(g, DType.FLOAT32, 2, 2, t, e);
        Tensor k = heads(g, DType.FLOAT32, 2, 2, s, e);
        Tensor v = heads(g, DType.FLOAT32, 2, 2, s, e);
        double scale = 1 / Math.sqrt(e);
        Tensor y = Kernels.attention(q, k, v, scale, causal);
        Tensor y64 = Kernels.attention(q.to(DType.FLOAT64), k.to(DType.FLOAT64), v.to(DType.FLOAT64), scale, causal);
        close(y64, y, "forward e=" + e + " causal=" + causal);
        Tensor grad = Tensor.randn(g, y.shape()).to(DType.FLOAT32);
        Tensor d = Kernels.attentionBackward(grad, q, k, v, y, scale, causal);
        Tensor d64 = Kernels.attentionBackward(grad.to(DType.FLOAT64), q.to(DType.FLOAT64), k.to(DType.FLOAT64),
            v.to(DType.FLOAT64), y64, scale, causal);
        close(d64, d, "backward e=" + e + " causal=" + causal);
      }
    }
  }

  /**
   * A planned {@code out} skips building the shape rule's argument list, not its checks: a wrong out or
   * mismatched operands are refused with the expected and found shapes (not an index error or partial rows).
   */
  @Test
  void outArgumentsAndOperandsAreCheckedEvenWithAnOut() {
    Generator g = new Generator(1);
    Tensor q = Tensor.randn(g, 2, 4, 8).to(DType.FLOAT64);
    Tensor k = Tensor.randn(g, 2, 6, 8).to(DType.FLOAT64);
    Tensor v = Tensor.randn(g, 2, 6, 8).to(DType.FLOAT64);
    IllegalArgumentException wrongOut = assertThrows(IllegalArgumentException.class,
        () -> Kernels.attention(q, k, v, 0.3, false, Tensor.zeros(DType.FLOAT64, 2, 5, 9)));
    assertTrue(wrongOut.getMessage().contains("expected out of shape [2, 4, 9], but got [2, 5, 9]"), wrongOut.getMessage());
    Tensor narrowKey = Tensor.randn(g, 2, 6, 5).to(DType.FLOAT64);
    IllegalArgumentException wrongKey = assertThrows(IllegalArgumentException.class,
        () -> Kernels.attention(q, narrowKey, v, 0.3, false, Tensor.zeros(DType.FLOAT64, 2, 4, 9)));
    assertTrue(wrongKey.getMessage().contains("[2, 6, 5]"), wrongKey.getMessage());
    Tensor y = Kernels.attention(q, k, v, 0.3, false);
    Tensor grad = Tensor.randn(g, 2, 4, 9).to(DType.FLOAT64);
    IllegalArgumentException wrongGradOut = assertThrows(IllegalArgumentException.class,
        () -> Kernels.attentionBackward(grad, q, k, v, y, 0.3, false, Tensor.zeros(DType.FLOAT64, 2, 14, 8)));
    assertTrue(wrongGradOut.getMessage().contains("expected out of shape [2, 16, 8], but got [2, 14, 8]"),
        wrongGradOut.getMessage());
    IllegalArgumentException wrongGrad = assertThrows(IllegalArgumentException.class,
        () -> Kernels.attentionBackward(Tensor.zeros(DType.FLOAT64, 2, 4, 8), q, k, v, y, 0.3, false,
            Tensor.zeros(DType.FLOAT64, 2, 16, 8)));
    assertTrue(wrongGrad.getMessage().contains("[2, 4, 8]"), wrongGrad.getMessage());
    // and a right out still computes what the allocating form does
    Tensor planned = Kernels.attention(q, k, v, 0.3, false, Tensor.zeros(DType.FLOAT64, 2, 4, 9));
    assertArrayEquals(y.toDoubleArray(), planned.toDoubleArray());
  }

  /** Within 2e-5 of the largest magnitude of the FLOAT64 values. */
  private static void close(Tensor expected, Tensor actual, String what) {
    double[] x = expected.toDoubleArray();
    double[] y = actual.toDoubleArray();
    double max = 0;
    for (double v : x) {
      max = Math.max(max, Math.abs(v));
    }
    for (int i = 0; i < x.length; i++) {
      double err = Math.abs(x[i] - y[i]);
      assertTrue(err <= 2e-5 * max, what + ": element " + i + " is " + y[i] + ", expected " + x[i]);
    }
  }
}

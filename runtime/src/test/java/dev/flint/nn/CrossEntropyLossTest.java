package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CrossEntropyLossTest {
  static final int N = 4;
  static final int C = 5;
  static final double[] LOGITS = {
    1.0, 2.0, 0.5, -1.0, 0.0,
    -0.5, 0.3, 2.2, 1.1, -2.0,
    3.0, -1.0, 0.0, 0.2, 0.7,
    0.1, 0.1, -0.4, 2.5, 1.9,
  };
  static final long[] TARGET = {1, 2, 0, 4};
  static final double[] W = {1.0, 2.0, 0.5, 1.5, 3.0};

  /** log softmax of each row, by log-sum-exp. */
  static double[] logSoftmax(double[] x, int rows, int cols) {
    double[] out = new double[x.length];
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        max = Math.max(max, x[r * cols + c]);
      }
      double s = 0;
      for (int c = 0; c < cols; c++) {
        s += Math.exp(x[r * cols + c] - max);
      }
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = x[r * cols + c] - max - Math.log(s);
      }
    }
    return out;
  }

  /**
   * PyTorch's class-index cross entropy per sample: (1−ε)·w[y]·(−log p[y]) + (ε/C)·Σ_c w[c]·(−log p[c]),
   * 0 for ignored samples; the last entry holds the mean's denominator Σ w[y] over kept samples.
   */
  static double[] reference(double[] logits, long[] target, double[] w, long ignore, double eps) {
    double[] lp = logSoftmax(logits, target.length, C);
    double[] out = new double[target.length + 1];
    for (int n = 0; n < target.length; n++) {
      if (target[n] == ignore) {
        continue;
      }
      int y = (int) target[n];
      double wy = w == null ? 1 : w[y];
      double smooth = 0;
      for (int c = 0; c < C; c++) {
        smooth += (w == null ? 1 : w[c]) * -lp[n * C + c];
      }
      out[n] = (1 - eps) * wy * -lp[n * C + y] + eps / C * smooth;
      out[target.length] += wy;
    }
    return out;
  }

  private static Tensor logits() {
    return Tensor.of(LOGITS.clone(), N, C);
  }

  private static void assertAll(double[] ref, java.util.function.Function<Reduction, CrossEntropyLoss> make, long[] target) {
    double[] perSample = java.util.Arrays.copyOf(ref, N);
    Tensor none = make.apply(Reduction.NONE).forward(logits(), Tensor.of(target.clone()));
    assertArrayEquals(new int[] {N}, none.shape());
    assertArrayEquals(perSample, none.toDoubleArray(), 1e-12, "NONE");
    assertEquals(LossChecks.sum(perSample), make.apply(Reduction.SUM).forward(logits(), Tensor.of(target.clone())).item(),
        1e-12, "SUM");
    assertEquals(LossChecks.sum(perSample) / ref[N],
        make.apply(Reduction.MEAN).forward(logits(), Tensor.of(target.clone())).item(), 1e-12, "MEAN");
  }

  @Test
  void classIndicesMatchTheFormula() {
    double[] ref = reference(LOGITS, TARGET, null, -100, 0);
    assertEquals(N, ref[N]);
    assertAll(ref, CrossEntropyLoss::new, TARGET);
    // The default is the mean.
    assertEquals(LossChecks.sum(java.util.Arrays.copyOf(ref, N)) / N,
        new CrossEntropyLoss().forward(logits(), Tensor.of(TARGET.clone())).item(), 1e-12);
  }

  @Test
  void ignoredTargetsCountNeitherInTheSumNorInTheMean() {
    long[] target = {1, -100, 0, -100};
    double[] ref = reference(LOGITS, target, null, -100, 0);
    assertEquals(2, ref[N]);
    assertAll(ref, CrossEntropyLoss::new, target);
    long[] ignoreTwo = {1, 2, 0, 2};
    assertAll(reference(LOGITS, ignoreTwo, null, 2, 0), r -> new CrossEntropyLoss(r).ignoreIndex(2), ignoreTwo);
  }

  @Test
  void classWeightsWeightTheMean() {
    assertAll(reference(LOGITS, TARGET, W, -100, 0), r -> new CrossEntropyLoss(r).weight(Tensor.of(W.clone())), TARGET);
  }

  @Test
  void labelSmoothingMixesInTheMeanOverClasses() {
    assertAll(reference(LOGITS, TARGET, null, -100, 0.1), r -> new CrossEntropyLoss(r).labelSmoothing(0.1), TARGET);
  }

  @Test
  void labelSmoothingWithWeightsAndIgnoredTargets() {
    long[] target = {3, -100, 0, 4};
    assertAll(reference(LOGITS, target, W, -100, 0.25),
        r -> new CrossEntropyLoss(r).labelSmoothing(0.25).weight(Tensor.of(W.clone())), target);
  }

  @Test
  void probabilityTargetsWithSmoothingAndWeights() {
    double[] q = new double[N * C];
    for (int n = 0; n < N; n++) {
      double s = 0;
      for (int c = 0; c < C; c++) {
        q[n * C + c] = 1 + ((n * 7 + c * 3) % 5);
        s += q[n * C + c];
      }
      for (int c = 0; c < C; c++) {
        q[n * C + c] /= s;
      }
    }
    double eps = 0.2;
    double[] lp = logSoftmax(LOGITS, N, C);
    double[] ref = new double[N];
    for (int n = 0; n < N; n++) {
      for (int c = 0; c < C; c++) {
        ref[n] -= W[c] * ((1 - eps) * q[n * C + c] + eps / C) * lp[n * C + c];
      }
    }
    LossChecks.assertReductions(ref, new int[] {N},
        r -> new CrossEntropyLoss(r).labelSmoothing(eps).weight(Tensor.of(W.clone()))
            .forward(logits(), Tensor.of(q.clone(), N, C)), 1e-12);
  }

  @Test
  void spatialInputsTakeTheClassesAlongDimensionOne() {
    // input [2, 3, 2]: for (n, j) the logits are input[n, :, j]; target [2, 2].
    double[] x = {0.1, 1.0, 2.0, -1.0, 0.5, 0.3, -0.2, 0.8, 1.5, 0.0, 0.4, -0.7};
    long[] target = {2, 0, 1, -100};
    double[] ref = new double[4];
    double count = 0;
    for (int n = 0; n < 2; n++) {
      for (int j = 0; j < 2; j++) {
        long y = target[n * 2 + j];
        if (y == -100) {
          continue;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
          max = Math.max(max, x[n * 6 + c * 2 + j]);
        }
        double s = 0;
        for (int c = 0; c < 3; c++) {
          s += Math.exp(x[n * 6 + c * 2 + j] - max);
        }
        ref[n * 2 + j] = -(x[n * 6 + (int) y * 2 + j] - max - Math.log(s));
        count++;
      }
    }
    Tensor none = new CrossEntropyLoss(Reduction.NONE).forward(Tensor.of(x.clone(), 2, 3, 2), Tensor.of(target.clone(), 2, 2));
    assertArrayEquals(new int[] {2, 2}, none.shape());
    assertArrayEquals(ref, none.toDoubleArray(), 1e-12);
    assertEquals(LossChecks.sum(ref) / count,
        new CrossEntropyLoss().forward(Tensor.of(x.clone(), 2, 3, 2), Tensor.of(target.clone(), 2, 2)).item(), 1e-12);
  }

  @Test
  void unbatchedInputTakesAScalarTarget() {
    double[] row = {1.0, 2.0, 0.5, -1.0, 0.0};
    double expected = -logSoftmax(row, 1, C)[3];
    Tensor none = new CrossEntropyLoss(Reduction.NONE).forward(Tensor.of(row.clone()), Tensor.scalar(3, DType.INT64));
    assertEquals(0, none.dim());
    assertEquals(expected, none.item(), 1e-12);
    assertEquals(expected, new CrossEntropyLoss().forward(Tensor.of(row.clone()), Tensor.scalar(3, DType.INT64)).item(), 1e-12);
  }

  @Test
  void gradientIsSoftmaxMinusOneHotOverN() {
    Tensor x = logits().requiresGrad(true);
    new CrossEntropyLoss().forward(x, Tensor.of(TARGET.clone())).backward();
    double[] lp = logSoftmax(LOGITS, N, C);
    double[] expected = new double[N * C];
    for (int n = 0; n < N; n++) {
      for (int c = 0; c < C; c++) {
        expected[n * C + c] = (Math.exp(lp[n * C + c]) - (c == TARGET[n] ? 1 : 0)) / N;
      }
    }
    assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void float32LogitsWork() {
    float[] f = new float[LOGITS.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) LOGITS[i];
    }
    Tensor loss = new CrossEntropyLoss().forward(Tensor.of(f, N, C), Tensor.of(TARGET.clone()));
    assertEquals(DType.FLOAT32, loss.dtype());
    assertEquals(LossChecks.sum(java.util.Arrays.copyOf(reference(LOGITS, TARGET, null, -100, 0), N)) / N, loss.item(), 1e-5);
  }

  @Test
  void floatClassIndicesAreRefusedWithTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CrossEntropyLoss().forward(Tensor.zeros(4, 5), Tensor.of(new float[] {1, 2, 0, 4})));
    assertEquals("CrossEntropyLoss: expected target of dtype INT64 with shape [4] (class indices) or a float tensor "
        + "of shape [4, 5] (probabilities), but got f32 [4]; class indices stored as floats must be converted with "
        + "target.to(DType.INT64)", e.getMessage());
  }

  @Test
  void wrongTargetShapeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CrossEntropyLoss().forward(Tensor.zeros(4, 5), Tensor.of(new long[] {1, 2, 0, 4}, 4, 1)));
    assertEquals("CrossEntropyLoss: expected target of dtype INT64 with shape [4] (class indices) or a float tensor "
        + "of shape [4, 5] (probabilities), but got i64 [4, 1]", e.getMessage());
  }

  @Test
  void outOfRangeClassNamesTheTargetAndItsIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CrossEntropyLoss().forward(Tensor.zeros(4, 5), Tensor.of(new long[] {1, 2, 0, 7})));
    assertEquals("CrossEntropyLoss: target 7 is out of range for 5 classes (at batch index 3)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new CrossEntropyLoss().forward(Tensor.zeros(4, 5), Tensor.of(new long[] {1, -1, 0, 2})));
    assertEquals("CrossEntropyLoss: target -1 is out of range for 5 classes (at batch index 1)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new CrossEntropyLoss().forward(Tensor.zeros(2, 3, 2), Tensor.of(new long[] {0, 1, 2, 3}, 2, 2)));
    assertEquals("CrossEntropyLoss: target 3 is out of range for 3 classes (at target index [1, 1])", e.getMessage());
  }

  @Test
  void classWeightOfTheWrongSizeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CrossEntropyLoss().weight(Tensor.ones(3)).forward(Tensor.zeros(4, 5), Tensor.of(TARGET.clone())));
    assertEquals("CrossEntropyLoss: weight has 3 values, but the input has 5 classes (dimension 1 of shape [4, 5])",
        e.getMessage());
  }

  @Test
  void classIndexGradientsPassGradCheck() {
    long[] target = {3, -100, 0, 4};
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new CrossEntropyLoss(r).labelSmoothing(0.15).weight(Tensor.of(W.clone()))
          .forward(in[0], in[1]), logits(), Tensor.of(target.clone()));
    }
  }

  @Test
  void probabilityAndSpatialGradientsPassGradCheck() {
    double[] q = new double[N * C];
    for (int i = 0; i < q.length; i++) {
      q[i] = (1 + i % 3) / 10.0;
    }
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new CrossEntropyLoss(r).labelSmoothing(0.1).forward(in[0], in[1]),
          logits(), Tensor.of(q.clone(), N, C));
      GradCheck.checkEach(in -> new CrossEntropyLoss(r).forward(in[0], in[1]),
          Tensor.of(java.util.Arrays.copyOf(LOGITS, 12), 2, 3, 2), Tensor.of(new long[] {2, 0, 1, -100}, 2, 2));
    }
  }

  @Test
  void int32ClassIndicesAreRefusedAsInPyTorchWithTheConversionToMake() {
    int[] target = {1, 2, 0, 4};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CrossEntropyLoss().forward(logits(), Tensor.of(target)));
    assertTrue(e.getMessage().contains("target.to(DType.INT64)"), e.getMessage());
    assertEquals(new CrossEntropyLoss().forward(logits(), Tensor.of(TARGET.clone())).item(),
        new CrossEntropyLoss().forward(logits(), Tensor.of(target).to(DType.INT64)).item(), 0);
  }

  // Note [Fused cross entropy]: contiguous [N, C] logits with class indices, mean or sum, against the op
  // table's composition (the per-element losses of Reduction.NONE, reduced here), with ignored targets.
  @Test
  void fusedPathEqualsTheComposedOps() {
    Tensor base = Tensor.randn(new dev.flint.tensor.Generator(3), 6, 7).to(DType.FLOAT64);
    Tensor target = Tensor.of(new long[] {1, 6, -100, 0, 3, 3}, 6);
    for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
      Tensor xFused = base.clone().requiresGrad(true);
      Tensor fused = new CrossEntropyLoss(r).forward(xFused, target);
      assertEquals("NllLossBackward", fused.gradFn().name());
      fused.backward();

      Tensor xComposed = base.clone().requiresGrad(true);
      Tensor each = new CrossEntropyLoss(Reduction.NONE).forward(xComposed, target);
      Tensor composed = r == Reduction.MEAN ? each.sum().div(Tensor.scalar(5.0, DType.FLOAT64)) : each.sum();
      composed.backward();

      assertEquals(composed.item(), fused.item(), 1e-12 * Math.abs(composed.item()));
      assertArrayEquals(xComposed.grad().toDoubleArray(), xFused.grad().toDoubleArray(), 1e-12);
    }
  }

  @Test
  void fusedPathInFloat32AndTwoLiveGraphsOfOneLoss() {
    CrossEntropyLoss loss = new CrossEntropyLoss();
    Tensor y = Tensor.of(TARGET, N);
    for (int step = 0; step < 3; step++) {   // later steps reuse the buffer sets the first gave back
      Tensor x1 = Tensor.of(LOGITS, N, C).to(DType.FLOAT32).requiresGrad(true);
      Tensor x2 = Tensor.of(LOGITS, N, C).to(DType.FLOAT32).mul(Tensor.scalar(2.0, DType.FLOAT32)).detach().requiresGrad(true);
      Tensor l1 = loss.forward(x1, y);
      Tensor l2 = loss.forward(x2, y);
      l1.add(l2).backward();
      double[] p1 = logSoftmax(LOGITS, N, C);
      double[] twice = LOGITS.clone();
      for (int i = 0; i < twice.length; i++) {
        twice[i] *= 2;
      }
      double[] p2 = logSoftmax(twice, N, C);
      float[] g1 = x1.grad().toFloatArray();
      float[] g2 = x2.grad().toFloatArray();
      for (int n = 0; n < N; n++) {
        for (int c = 0; c < C; c++) {
          double hot = c == TARGET[n] ? 1 : 0;
          assertEquals((Math.exp(p1[n * C + c]) - hot) / N, g1[n * C + c], 1e-6, "first graph's gradient");
          assertEquals((Math.exp(p2[n * C + c]) - hot) / N, g2[n * C + c], 1e-6, "second graph's gradient");
        }
      }
    }
  }
}

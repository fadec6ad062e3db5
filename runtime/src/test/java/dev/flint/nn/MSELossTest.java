package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MSELossTest {
  static final double[] X = {0.5, -1.0, 2.0, 3.5, 0.0, -0.25};
  static final double[] Y = {1.0, -1.5, 2.0, 1.0, 0.75, 0.5};

  @Test
  void reductionsMatchTheFormula() {
    double[] ref = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      ref[i] = (X[i] - Y[i]) * (X[i] - Y[i]);
    }
    LossChecks.assertReductions(ref, new int[] {2, 3},
        r -> new MSELoss(r).forward(Tensor.of(X.clone(), 2, 3), Tensor.of(Y.clone(), 2, 3)), 1e-15);
  }

  @Test
  void defaultIsMeanAndFloat32Works() {
    float[] x = {1f, 2f, 3f};
    float[] y = {0f, 0f, 1f};
    Tensor loss = new MSELoss().forward(Tensor.of(x), Tensor.of(y));
    assertEquals(DType.FLOAT32, loss.dtype());
    assertEquals((1 + 4 + 4) / 3.0, loss.item(), 1e-6);
  }

  @Test
  void gradientIsTwoTimesTheErrorOverN() {
    Tensor x = Tensor.of(X.clone(), 2, 3).requiresGrad(true);
    new MSELoss().forward(x, Tensor.of(Y.clone(), 2, 3)).backward();
    double[] expected = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      expected[i] = 2 * (X[i] - Y[i]) / X.length;
    }
    assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MSELoss().forward(Tensor.zeros(4, 1), Tensor.zeros(4)));
    assertTrue(e.getMessage().startsWith("MSELoss: input shape [4, 1] and target shape [4] differ"), e.getMessage());
  }

  @Test
  void dtypeMismatchSaysHowToConvert() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MSELoss().forward(Tensor.zeros(3), Tensor.zeros(DType.FLOAT64, 3)));
    assertEquals("MSELoss: input is f32 but target is f64; convert the target with target.to(DType.FLOAT32)",
        e.getMessage());
  }

  @Test
  void gradientsPassGradCheck() {
    for (Reduction r : Reduction.values()) {
      GradCheck.checkEach(in -> new MSELoss(r).forward(in[0], in[1]), Tensor.of(X.clone(), 2, 3), Tensor.of(Y.clone(), 2, 3));
    }
  }

  // The fused path (contiguous, mean or sum) against the op table's composition sub, mul, reduce,
  // which the loss uses for a non-contiguous input: values and both gradients.
  @Test
  void fusedPathEqualsTheComposedOps() {
    Tensor base = Tensor.randn(new dev.flint.tensor.Generator(3), 5, 4);
    Tensor target = Tensor.randn(new dev.flint.tensor.Generator(4), 4, 5);
    for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
      Tensor xFused = base.transpose(0, 1).contiguous().requiresGrad(true);
      Tensor yFused = target.clone().requiresGrad(true);
      Tensor fused = new MSELoss(r).forward(xFused, yFused);
      assertEquals("MseLossBackward", fused.gradFn().name());
      fused.backward();

      Tensor xLeaf = base.clone().requiresGrad(true);
      Tensor yComposed = target.clone().requiresGrad(true);
      Tensor composed = new MSELoss(r).forward(xLeaf.transpose(0, 1), yComposed);   // a strided view
      composed.backward();

      assertEquals(composed.item(), fused.item(), 1e-5 * Math.abs(composed.item()));
      assertArrayEquals(xLeaf.grad().transpose(0, 1).toFloatArray(), xFused.grad().toFloatArray(), 1e-6f);
      assertArrayEquals(yComposed.grad().toFloatArray(), yFused.grad().toFloatArray(), 1e-6f);
    }
  }

  // One loss instance, two graphs alive at once (gradient accumulation over two batches): the
  // second forward must not take the first graph's gradient buffer.
  @Test
  void twoLiveGraphsOfOneLossDoNotShareGradientBuffers() {
    MSELoss loss = new MSELoss();
    Tensor x1 = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
    Tensor x2 = Tensor.of(new double[] {-1, 5, 0}).requiresGrad(true);
    Tensor y = Tensor.of(new double[] {0, 0, 0});
    for (int step = 0; step < 3; step++) {   // steps 2 and 3 reuse the sets step 1 gave back
      x1.setGrad(null);
      x2.setGrad(null);
      Tensor l1 = loss.forward(x1.mul(x1), y);
      Tensor l2 = loss.forward(x2, y);
      l1.add(l2).backward();
      // d/dx1 mean((x1²)²) = 4 x1³ / 3;  d/dx2 mean(x2²) = 2 x2 / 3
      assertArrayEquals(new double[] {4.0 / 3, 32.0 / 3, 36}, x1.grad().toDoubleArray(), 1e-12);
      assertArrayEquals(new double[] {-2.0 / 3, 10.0 / 3, 0}, x2.grad().toDoubleArray(), 1e-12);
    }
  }

  @Test
  void backwardTwiceWithARetainedGraphGivesTheSameGradient() {
    Tensor x = Tensor.of(X.clone(), 2, 3).requiresGrad(true);
    Tensor l = new MSELoss(Reduction.SUM).forward(x, Tensor.of(Y.clone(), 2, 3));
    l.backward(null, true);
    double[] once = x.grad().toDoubleArray();
    l.backward();
    double[] twice = x.grad().toDoubleArray();
    for (int i = 0; i < X.length; i++) {
      assertEquals(2 * (X[i] - Y[i]), once[i], 1e-15);
      assertEquals(2 * once[i], twice[i], 1e-15);
    }
  }

  @Test
  void aTargetWrittenInPlaceBeforeBackwardIsRefusedAsTheComposedOpsDo() {
    Tensor x = Tensor.of(X.clone(), 2, 3).requiresGrad(true);
    Tensor y = Tensor.of(Y.clone(), 2, 3);
    Tensor loss = new MSELoss().forward(x, y);
    y.fill(0);
    IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
    assertTrue(e.getMessage().contains("MseLossBackward (the target, shape [2, 3]) was modified by an in-place"),
        e.getMessage());
  }

  @Test
  void onlyTheTargetNeedsAGradient() {
    Tensor x = Tensor.of(X.clone(), 2, 3);
    Tensor y = Tensor.of(Y.clone(), 2, 3).requiresGrad(true);
    new MSELoss(Reduction.SUM).forward(x, y).backward();
    double[] expected = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      expected[i] = -2 * (X[i] - Y[i]);
    }
    assertArrayEquals(expected, y.grad().toDoubleArray(), 1e-15);
  }
}

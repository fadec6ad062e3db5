package dev.flint.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Eager backward: the tutorial example, accumulation, broadcasting and views, freeing, grad mode. */
class EngineTest {

  @Test
  void tutorialExampleGradIsTwoX() {
    Tensor x = Tensor.of(new float[][] {{1, 0}, {-1, 1}}).requiresGrad(true);
    Tensor z = x.pow(2).sum();
    z.backward();
    assertArrayEquals(new float[] {2, 0, -2, 2}, x.grad().toFloatArray());
    assertEquals(DType.FLOAT32, x.grad().dtype());
    assertEquals(3.0, z.item());
  }

  @Test
  void gradientsAccumulateOverBackwardCallsAndUses() {
    Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
    x.mul(x).add(x).sum().backward();   // d/dx (x^2 + x) = 2x + 1
    assertArrayEquals(new double[] {3, 5, 7}, x.grad().toDoubleArray());
    x.mul(3).sum().backward();
    assertArrayEquals(new double[] {6, 8, 10}, x.grad().toDoubleArray());
  }

  @Test
  void broadcastGradientsAreSummedBackToTheOperandShape() {
    Tensor a = Tensor.ones(2, 3).requiresGrad(true);
    Tensor b = Tensor.of(new float[] {1, 2, 3}).requiresGrad(true);
    Tensor c = Tensor.scalar(2.0).requiresGrad(true);
    a.mul(b).mul(c).sum().backward();
    assertArrayEquals(new float[] {2, 4, 6, 2, 4, 6}, a.grad().toFloatArray());
    assertArrayEquals(new int[] {3}, b.grad().shape());
    assertArrayEquals(new float[] {4, 4, 4}, b.grad().toFloatArray());
    assertArrayEquals(new int[] {}, c.grad().shape());
    assertEquals(12, c.grad().item());
  }

  @Test
  void gradientsFlowThroughViews() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
    Tensor y = x.transpose(0, 1).reshape(6).narrow(0, 1, 3);   // x^T flattened = [1,4,2,5,3,6]; take [4,2,5]
    y.mul(Tensor.of(new double[] {10, 20, 30})).sum().backward();
    assertArrayEquals(new double[] {0, 20, 0, 10, 30, 0}, x.grad().toDoubleArray());
  }

  @Test
  void nonScalarBackwardNeedsAGradient() {
    Tensor x = Tensor.ones(2, 2).requiresGrad(true);
    Tensor y = x.mul(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().startsWith("grad can be implicitly created only for scalar outputs, but got shape [2, 2]"),
        e.getMessage());
    y.backward(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    assertArrayEquals(new float[] {2, 4, 6, 8}, x.grad().toFloatArray());
  }

  @Test
  void secondBackwardFailsUnlessTheGraphIsRetained() {
    Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    Tensor y = x.exp().sum();
    y.backward(Tensor.scalar(1, DType.FLOAT64), true);
    y.backward();
    assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("Trying to backward through the graph a second time"), e.getMessage());
  }

  @Test
  void noGradScopeRecordsNothing() {
    Tensor x = Tensor.ones(2).requiresGrad(true);
    Tensor y;
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      y = x.mul(2).add(1);
      assertFalse(GradMode.isEnabled());
    }
    assertTrue(GradMode.isEnabled());
    assertNull(y.gradFn());
    assertFalse(y.requiresGrad());
    assertTrue(x.mul(2).requiresGrad());
  }

  @Test
  void gradIsNullForTensorsThatDoNotRequireGrad() {
    Tensor w = Tensor.ones(2);
    Tensor x = Tensor.ones(2).requiresGrad(true);
    x.mul(w).sum().backward();
    assertNull(w.grad());
    Tensor hidden = x.mul(2);
    hidden.sum().backward();
    assertNull(hidden.grad(), "non-leaf gradients are not kept unless retainGrad()");
  }

  @Test
  void retainGradKeepsANonLeafGradient() {
    Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    Tensor h = x.mul(3).retainGrad();
    h.mul(h).sum().backward();
    assertArrayEquals(new double[] {6, 12}, h.grad().toDoubleArray());
    assertArrayEquals(new double[] {18, 36}, x.grad().toDoubleArray());
  }

  @Test
  void detachCutsTheGraph() {
    Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    Tensor y = x.mul(x.detach()).sum();
    y.backward();
    assertArrayEquals(new double[] {1, 2}, x.grad().toDoubleArray());
  }

  @Test
  void gradFnNamesTheOp() {
    Tensor x = Tensor.ones(2).requiresGrad(true);
    assertEquals("MulBackward", x.mul(2).gradFn().name());
    assertEquals("PowBackward", x.pow(3).gradFn().name());
    assertEquals("AddBackward", x.add(x).gradFn().name());
    assertTrue(x.isLeaf());
    assertFalse(x.add(x).isLeaf());
  }

  @Test
  void mixedPrecisionGradientsTakeTheLeafDtype() {
    Tensor a = Tensor.ones(2).requiresGrad(true);                                  // f32
    Tensor b = Tensor.of(new double[] {2, 3}).requiresGrad(true);                   // f64
    Tensor y = a.mul(b);
    assertEquals(DType.FLOAT64, y.dtype());
    y.sum().backward();
    assertEquals(DType.FLOAT32, a.grad().dtype());
    assertArrayEquals(new float[] {2, 3}, a.grad().toFloatArray());
  }

  @Test
  void castIsDifferentiable() {
    Tensor a = Tensor.of(new float[] {1, 2}).requiresGrad(true);
    Tensor y = a.to(DType.FLOAT64).mul(Tensor.of(new double[] {5, 7})).sum();
    y.backward();
    assertArrayEquals(new float[] {5, 7}, a.grad().toFloatArray());
    assertSame(a, a.to(DType.FLOAT32));
  }

  @Test
  void cloneIsDifferentiableAndCopies() {
    Tensor a = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    Tensor c = a.clone();
    assertTrue(c.storage() != a.storage());
    c.mul(c).sum().backward();
    assertArrayEquals(new double[] {2, 4}, a.grad().toDoubleArray());
  }

  @Test
  void deepChainsDoNotOverflowTheStack() {
    Tensor x = Tensor.scalar(1.0).requiresGrad(true);
    Tensor y = x;
    for (int i = 0; i < 20000; i++) {
      y = y.add(1);
    }
    y.backward();
    assertEquals(1, x.grad().item());
  }

  @Test
  void modifyingASavedOutputThroughADetachedAliasIsDetected() {
    // exp's rule reads its output (d e^x/dx = e^x); y.detach() shares y's storage, so doubling it would
    // silently double the gradient (PyTorch: "modified by an inplace operation")
    Tensor w = Tensor.of(new double[] {0, 1}).requiresGrad(true);
    Tensor y = w.exp();
    Tensor loss = y.sum();
    y.detach().mulInPlace(2);
    IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
    assertTrue(e.getMessage().startsWith("one of the tensors needed to compute the gradient of ExpBackward (its output, "
        + "shape [2]) was modified by an in-place operation"), e.getMessage());

    Tensor v = Tensor.of(new double[] {0, 1}).requiresGrad(true);
    Tensor z = v.exp();
    z.detach().clone().mulInPlace(2);   // a clone has its own storage: backward is unaffected
    z.sum().backward();
    assertArrayEquals(new double[] {1, Math.E}, v.grad().toDoubleArray(), 1e-12);
  }

  @Test
  void modifyingASavedInputBeforeBackwardIsDetected() {
    Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    Tensor x = Tensor.of(new double[] {3, 4});
    Tensor y = w.mul(x).sum();
    x.fill(0);   // MUL needs x to compute w's gradient
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().startsWith("one of the tensors needed to compute the gradient of MulBackward (input 1, "
        + "shape [2]) was modified by an in-place operation"), e.getMessage());
    Tensor a = Tensor.of(new double[] {3, 4});
    Tensor z = w.add(a).sum();
    a.fill(0);   // ADD does not read its inputs: no error, as in PyTorch
    z.backward();
    assertArrayEquals(new double[] {1, 1}, w.grad().toDoubleArray());
  }

  @Test
  void inPlaceOnALeafThatRequiresGradIsRefused() {
    Tensor w = Tensor.ones(2).requiresGrad(true);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.fill(3));
    assertTrue(e.getMessage().contains("leaf tensor that requires grad"), e.getMessage());
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      w.fill(3);
      w.copyFrom(Tensor.of(new float[] {4, 5}));
    }
    assertArrayEquals(new float[] {4, 5}, w.toFloatArray());
    assertTrue(w.requiresGrad());
  }
}

package dev.flint.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.flint.internal.Internals;
import dev.flint.optim.SGD;
import dev.flint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Note [Recycled gradients]: zeroGrad() then backward reuses gradient storage nobody else has seen. */
class RecycledGradientsTest {
  private static void backwardOfSumOfSquares(Tensor w, double scale) {
    w.mul(w).sum().mul(Tensor.scalar(scale, w.dtype())).backward();   // d/dw = 2·scale·w
  }

  @Test
  void aGradientNobodyReadIsRefilledInPlaceWithTheNewValues() {
    Tensor w = Tensor.of(new double[] {1, -2, 3}).requiresGrad(true);
    SGD opt = new SGD(List.of(w), 0.1);
    backwardOfSumOfSquares(w, 1);
    Tensor first = Internals.gradForUpdate(w);   // internal read: does not hand the gradient out
    opt.zeroGrad();
    assertNull(Internals.gradForUpdate(w));
    backwardOfSumOfSquares(w, 10);
    assertSame(first, Internals.gradForUpdate(w), "the cleared gradient's tensor takes the next first gradient");
    assertArrayEquals(new double[] {20, -40, 60}, w.grad().toDoubleArray(), 0);
  }

  @Test
  void aGradientReadThroughGradKeepsItsValuesAfterZeroGradAndBackward() {
    // PyTorch: zero_grad(set_to_none=True) leaves an old .grad reference untouched
    Tensor w = Tensor.of(new double[] {1, -2, 3}).requiresGrad(true);
    SGD opt = new SGD(List.of(w), 0.1);
    backwardOfSumOfSquares(w, 1);
    Tensor kept = w.grad();
    opt.zeroGrad();
    backwardOfSumOfSquares(w, 10);
    assertNotSame(kept, w.grad());
    assertArrayEquals(new double[] {2, -4, 6}, kept.toDoubleArray(), 0);
    assertArrayEquals(new double[] {20, -40, 60}, w.grad().toDoubleArray(), 0);
  }

  @Test
  void aGradientTheUserSetIsNeverRecycled() {
    Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    Tensor mine = Tensor.of(new double[] {7, 7});
    w.setGrad(mine);
    w.setGrad(null);
    backwardOfSumOfSquares(w, 1);
    assertArrayEquals(new double[] {7, 7}, mine.toDoubleArray(), 0);
    assertArrayEquals(new double[] {2, 4}, w.grad().toDoubleArray(), 0);
  }

  @Test
  void aSpareOfAnotherShapeIsNotUsed() {
    Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    backwardOfSumOfSquares(w, 1);
    w.setGrad(null);
    w.setData(Tensor.of(new double[] {1, 2, 3}));
    backwardOfSumOfSquares(w, 1);
    assertArrayEquals(new double[] {2, 4, 6}, w.grad().toDoubleArray(), 0);
  }
}

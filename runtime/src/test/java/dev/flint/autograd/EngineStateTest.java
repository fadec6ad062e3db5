package dev.flint.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The engine keeps its pass state in the nodes; a failed pass must leave none of it behind. */
class EngineStateTest {
  /** y = 3x whose backward fails the first time it runs. */
  private static final class FailsOnce extends Node {
    private final Tensor[] inputs;
    private boolean failed;

    FailsOnce(Tensor x) {
      inputs = new Tensor[] {x};
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
      if (!failed) {
        failed = true;
        throw new IllegalStateException("first backward fails");
      }
      return new Tensor[] {grad.mul(Tensor.scalar(3, grad.dtype()))};
    }

    @Override
    public String name() {
      return "FailsOnceBackward";
    }
  }

  @Test
  void aPassThatThrowsLeavesNoPendingGradientForTheNext() {
    Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
    Tensor y = Tensor.of(new double[] {0, 0});
    Internals.setGradFn(y, new FailsOnce(x));
    Tensor loss = y.mul(y.detach().add(Tensor.scalar(1, y.dtype()))).sum();   // dloss/dy = 1 (y's value is 0)
    assertThrows(IllegalStateException.class, () -> loss.backward(null, true));
    loss.backward(null, true);
    assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray(), 0, "counted once");
  }

  @Test
  void aDiamondSumsBothPathsOnce() {
    Tensor x = Tensor.of(new double[] {2}).requiresGrad(true);
    Tensor a = x.mul(x);            // x²
    Tensor b = a.add(a).mul(a);     // 2x⁴
    b.sum().backward();             // 8x³ = 64
    assertArrayEquals(new double[] {64}, x.grad().toDoubleArray(), 1e-12);
    for (int i = 0; i < 3; i++) {   // again on fresh graphs: marks of earlier passes do not interfere
      x.setGrad(null);
      Tensor c = x.mul(x);
      c.add(c).mul(c).sum().backward();
      assertArrayEquals(new double[] {64}, x.grad().toDoubleArray(), 1e-12);
    }
  }
}

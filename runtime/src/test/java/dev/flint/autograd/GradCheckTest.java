package dev.flint.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.internal.Internals;
import dev.flint.kernel.Kernels;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** GradCheck passes correct gradients and catches wrong ones with a readable message. */
class GradCheckTest {

  /** A deliberately wrong square: backward returns g * x instead of 2 g x. */
  private static final class WrongSquare extends Node {
    private final Tensor x;

    WrongSquare(Tensor x) {
      this.x = x;
    }

    @Override
    public Tensor[] inputs() {
      return new Tensor[] {x};
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
      return new Tensor[] {Kernels.mul(grad, x)};
    }

    @Override
    public String name() {
      return "WrongSquareBackward";
    }
  }

  private static Tensor wrongSquare(Tensor x) {
    Tensor out = Kernels.mul(x, x);
    Internals.setGradFn(out, new WrongSquare(x));
    return out;
  }

  @Test
  void acceptsCorrectGradientsOfCompositions() {
    Tensor x = Tensor.of(new double[] {0.3, -0.7, 1.2, 0.1}, 2, 2);
    Tensor w = Tensor.of(new double[] {0.5, -1.5, 2, 0.25}, 2, 2);
    GradCheck.check(xs -> xs[0].matmul(xs[1]).tanh().mul(xs[0]).softmax(1).log().mean(), x, w);
    GradCheck.checkEach(xs -> xs[0].matmul(xs[1]).sigmoid().var(), x, w);
  }

  @Test
  void rejectsAWrongGradientNamingTheInput() {
    Tensor x = Tensor.of(new double[] {1, 2, 3});
    AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check(xs -> wrongSquare(xs[0]), x));
    assertTrue(e.getMessage().startsWith("GradCheck: input 0 (shape [3])"), e.getMessage());
    AssertionError each = assertThrows(AssertionError.class, () -> GradCheck.checkEach(xs -> wrongSquare(xs[0]), x));
    assertTrue(each.getMessage().contains("element [0]"), each.getMessage());
  }

  @Test
  void tolerancesCanBeWidened() {
    Tensor x = Tensor.of(new double[] {1, 2, 3});
    assertThrows(AssertionError.class, () -> GradCheck.check(xs -> wrongSquare(xs[0]), x));
    GradCheck.check(xs -> wrongSquare(xs[0]), 0.6, 0, x);   // the wrong rule is off by exactly half
    GradCheck.checkEach(xs -> wrongSquare(xs[0]), 0.6, 0, x);
  }

  @Test
  void rejectsAFunctionThatDoesNotDependOnItsInputs() {
    Tensor x = Tensor.of(new double[] {1, 2});
    AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check(xs -> Tensor.ones(2), x));
    assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
  }
}

package dev.flint.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code Autograd.noGrad(() -> ...)}: the body runs without recording, and grad mode comes back afterwards. */
class NoGradLambdaTest {
  @Test
  void valueFormReturnsAnUntrackedResultAndRestoresGradMode() {
    Tensor w = Tensor.ones(3).requiresGrad(true);
    Tensor y = Autograd.noGrad(() -> w.mul(2).sum());
    assertEquals(6, y.item());
    assertFalse(y.requiresGrad());
    assertNull(y.gradFn());
    assertTrue(GradMode.isEnabled());
    assertTrue(w.mul(2).requiresGrad(), "ops after the lambda record again");
  }

  @Test
  void voidFormRunsTheBodyWithGradientsOff() {
    Tensor w = Tensor.ones(2).requiresGrad(true);
    List<Boolean> seen = new ArrayList<>();
    Autograd.noGrad(() -> {
      seen.add(GradMode.isEnabled());
      w.fill(5);   // an in-place update of a leaf, as an optimizer step: allowed only without grad
    });
    assertEquals(List.of(false), seen);
    assertEquals(5, w.get(0));
    assertTrue(GradMode.isEnabled());
  }

  @Test
  void gradModeIsRestoredWhenTheBodyThrows() {
    assertThrows(IllegalStateException.class, () -> Autograd.noGrad(() -> {
      throw new IllegalStateException("boom");
    }));
    assertTrue(GradMode.isEnabled());
  }

  @Test
  void nestedInsideANoGradScopeKeepsItOff() {
    try (Autograd.Scope s = Autograd.noGrad()) {
      Autograd.noGrad(() -> { });
      assertFalse(GradMode.isEnabled(), "the inner lambda restores the outer scope's mode, not 'on'");
    }
    assertTrue(GradMode.isEnabled());
  }
}

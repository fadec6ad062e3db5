package dev.flint.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.nn.MSELoss;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AnomalyModeTest {
  @Test
  void withoutAnomalyModeANaNLossPassesSilently() {
    Tensor x = Tensor.of(new double[] {4, -1}).requiresGrad(true);
    Tensor loss = new MSELoss().forward(x.sqrt(), Tensor.of(new double[] {1, 1}));
    assertTrue(Double.isNaN(loss.item()));
  }

  @Test
  void namesTheOpThatTurnedTheLossNaN() {
    Tensor x = Tensor.of(new double[] {4, -1}).requiresGrad(true);
    try (AnomalyMode.Scope ignored = Autograd.detectAnomaly()) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new MSELoss().forward(x.sqrt(), Tensor.of(new double[] {1, 1})));
      assertEquals("anomaly mode: sqrt produced NaN at index [1] of its output f64[2] from inputs f64[2] without NaN",
          e.getMessage());
    }
    assertFalse(AnomalyMode.isEnabled(), "the scope restores the previous mode");
  }

  @Test
  void namesTheBackwardNodeThatReturnedNaN() {
    // d sqrt(x)/dx at 0 is infinite; times the zero gradient from mul(0) it is 0·∞ = NaN.
    Tensor x = Tensor.of(new double[] {1, 0}).requiresGrad(true);
    try (AnomalyMode.Scope ignored = Autograd.detectAnomaly()) {
      Tensor loss = x.sqrt().mul(0).sum();
      IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
      assertTrue(e.getMessage().startsWith("anomaly mode: SqrtBackward returned NaN in its gradient for input 0 at index [1]"),
          e.getMessage());
    }
  }

  @Test
  void nanInTheDataIsReportedAsComingFromOutside() {
    Tensor x = Tensor.of(new double[] {1, Double.NaN}).requiresGrad(true);
    try (AnomalyMode.Scope ignored = Autograd.detectAnomaly()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.log());
      assertTrue(e.getMessage().startsWith("anomaly mode: input 0 of log already holds NaN at index [1]"), e.getMessage());
    }
  }
}

package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** A loss's backward node carries PyTorch's name for it, and the target checks agree with the messages. */
class LossNamesTest {
  private static Tensor logits() {
    return Tensor.of(new double[] {1, 2, 0.5, -1, 0, 3}, 2, 3).requiresGrad(true);
  }

  @Test
  void lossesPrintAsPyTorchsGradFn() {
    Tensor labels = Tensor.of(new long[] {1, 2});
    Tensor y = Tensor.of(new double[] {0, 1, 1, 0, 1, 0}, 2, 3);
    Tensor p = logits().sigmoid();
    assertEquals("NllLossBackward", new CrossEntropyLoss().forward(logits(), labels).gradFn().name());
    assertEquals("NllLossBackward", new NLLLoss().forward(logits().logSoftmax(1), labels).gradFn().name());
    assertEquals("MseLossBackward", new MSELoss().forward(logits(), y).gradFn().name());
    assertEquals("MseLossBackward", new MSELoss(Reduction.NONE).forward(logits(), y).gradFn().name());
    assertEquals("L1LossBackward", new L1Loss().forward(logits(), y).gradFn().name());
    assertEquals("SmoothL1LossBackward", new SmoothL1Loss().forward(logits(), y).gradFn().name());
    assertEquals("BinaryCrossEntropyBackward", new BCELoss().forward(p, y).gradFn().name());
    assertEquals("BinaryCrossEntropyWithLogitsBackward", new BCEWithLogitsLoss().forward(logits(), y).gradFn().name());
    assertTrue(new CrossEntropyLoss().forward(logits(), labels).toString().contains("grad_fn=<NllLossBackward>"));
  }

  @Test
  void theNamedNodePassesTheGradientThrough() {
    Tensor x = logits();
    new CrossEntropyLoss().forward(x, Tensor.of(new long[] {1, 2})).backward();
    // d/dx of mean cross entropy: (softmax(x) - onehot) / N, by hand for row 0 = [1, 2, 0.5], label 1.
    double z = Math.exp(1) + Math.exp(2) + Math.exp(0.5);
    assertArrayEquals(new double[] {Math.exp(1) / z / 2, (Math.exp(2) / z - 1) / 2, Math.exp(0.5) / z / 2},
        java.util.Arrays.copyOf(x.grad().toDoubleArray(), 3), 1e-12);
  }

  @Test
  void withoutGradientsThereIsNoNode() {
    Tensor loss = Autograd.noGrad(() -> new CrossEntropyLoss().forward(logits(), Tensor.of(new long[] {1, 2})));
    assertNull(loss.gradFn());
  }

  @Test
  void classIndexTargetsMustBeInt64AsInPyTorch() {
    Tensor int32 = Tensor.of(new int[] {1, 2});
    IllegalArgumentException ce = assertThrows(IllegalArgumentException.class,
        () -> new CrossEntropyLoss().forward(logits(), int32));
    assertTrue(ce.getMessage().contains("expected target of dtype INT64") && ce.getMessage().contains("got i32 [2]")
        && ce.getMessage().contains("target.to(DType.INT64)"), ce.getMessage());
    IllegalArgumentException nll = assertThrows(IllegalArgumentException.class,
        () -> new NLLLoss().forward(logits(), int32));
    assertTrue(nll.getMessage().contains("expected target of dtype INT64") && nll.getMessage().contains("target.to(DType.INT64)"),
        nll.getMessage());
    assertEquals(DType.INT64, int32.to(DType.INT64).dtype());
    new CrossEntropyLoss().forward(logits(), int32.to(DType.INT64));   // the fix the message names works
  }
}

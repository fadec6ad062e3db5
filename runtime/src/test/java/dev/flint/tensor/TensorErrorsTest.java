package dev.flint.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flint.ops.ShapeError;
import org.junit.jupiter.api.Test;

/** Each tensor error of docs/design.md, "Bad input gets a clear error": the message says what was expected, what was found, and the fix. */
class TensorErrorsTest {

  @Test
  void broadcastMismatchNamesTheOpAndBothShapes() {
    ShapeError e = assertThrows(ShapeError.class, () -> Tensor.ones(2, 3).add(Tensor.ones(4)));
    assertTrue(e.getMessage().startsWith("add: shapes [2, 3] and [4] cannot be broadcast"), e.getMessage());
    ShapeError m = assertThrows(ShapeError.class, () -> Tensor.ones(2, 3).mul(Tensor.ones(3, 2)));
    assertTrue(m.getMessage().startsWith("mul: shapes [2, 3] and [3, 2] cannot be broadcast"), m.getMessage());
  }

  @Test
  void matmulMismatchNamesBothTypedShapes() {
    ShapeError e = assertThrows(ShapeError.class, () -> Tensor.ones(32, 128).matmul(Tensor.ones(100, 10)));
    assertEquals("matmul: f32[32, 128] @ f32[100, 10]: inner dimensions 128 != 100", e.getMessage());
    ShapeError b = assertThrows(ShapeError.class, () -> Tensor.ones(2, 3, 4).matmul(Tensor.ones(5, 4, 2)));
    assertTrue(b.getMessage().contains("batch dimensions [2] and [5] cannot be broadcast"), b.getMessage());
  }

  @Test
  void mixedDtypeMatmulSaysHowToConvert() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.ones(2, 2).matmul(Tensor.ones(DType.FLOAT64, 2, 2)));
    assertEquals("matmul: expected both operands to have the same dtype, but got f32 and f64: convert one with "
        + ".to(DType.FLOAT64)", e.getMessage());
  }

  @Test
  void catMismatchNamesTheShapes() {
    ShapeError e = assertThrows(ShapeError.class, () -> Tensor.cat(1, Tensor.ones(2, 1), Tensor.ones(3, 3)));
    assertEquals("cat: sizes of tensors must match except in dimension 1, but tensor 0 has shape [2, 1] and tensor 1 "
        + "has shape [3, 3] (dimension 0: 2 != 3)", e.getMessage());
    ShapeError r = assertThrows(ShapeError.class, () -> Tensor.cat(0, Tensor.ones(2), Tensor.ones(2, 2)));
    assertTrue(r.getMessage().contains("same number of dimensions"), r.getMessage());
  }

  @Test
  void outOfRangeDimsUsePyTorchsMessage() {
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.ones(2, 3).sum(2));
    assertEquals("sum: dimension out of range (expected to be in range of [-2, 1], but got 2)", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> Tensor.ones(2, 3).transpose(0, -3));
    assertThrows(IndexOutOfBoundsException.class, () -> Tensor.ones(2, 3).unsqueeze(3));
    assertThrows(IndexOutOfBoundsException.class, () -> Tensor.ones(2, 3).softmax(5));
    assertEquals(3, Tensor.scalar(3).sum(0).item(), "a 0-d tensor accepts dim 0 or -1");
    assertThrows(IndexOutOfBoundsException.class, () -> Tensor.scalar(3).sum(1));
  }

  @Test
  void viewOnANonContiguousTensorSaysToUseReshape() {
    Tensor t = Tensor.ones(2, 3).t();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.view(6));
    assertTrue(e.getMessage().startsWith("view size is not compatible with input tensor's size and stride"), e.getMessage());
    assertTrue(e.getMessage().contains("Use .reshape(...) instead"), e.getMessage());
    assertEquals(6, t.reshape(6).numel());
  }

  @Test
  void reshapeToTheWrongSizeSaysSo() {
    ShapeError e = assertThrows(ShapeError.class, () -> Tensor.ones(2, 3).reshape(4, 2));
    assertEquals("reshape: shape '[4, 2]' is invalid for input of size 6", e.getMessage());
  }

  @Test
  void gradOfATensorThatDoesNotRequireGradIsNull() {
    Tensor x = Tensor.ones(2);
    assertFalse(x.requiresGrad());
    assertNull(x.grad());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
    assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
  }

  @Test
  void integerTensorsCannotRequireGrad() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.of(new long[] {1}).requiresGrad(true));
    assertTrue(e.getMessage().contains("only floating-point tensors can require gradients"), e.getMessage());
  }

  @Test
  void meanOfAnIntegerTensorSaysToConvert() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(4).mean());
    assertTrue(e.getMessage().contains(".to(DType.FLOAT32)"), e.getMessage());
  }

  @Test
  void cudaIsReportedTruthfully() {
    assumeTrue(Device.cudaDeviceCount() == 0, "this machine has an NVIDIA driver");
    assertFalse(Device.cudaAvailable());
    assertEquals(0, Device.cudaDeviceCount());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.ones(2).to(Device.cuda(0)));
    assertEquals("cuda:0 is not available: no NVIDIA driver/GPU found on this machine; available devices: [cpu]",
        e.getMessage());
  }

  @Test
  void cudaWithAGpuButNoBackendSaysSo() {
    assumeTrue(Device.cudaDeviceCount() > 0, "no NVIDIA driver here");
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> Tensor.ones(2).to(Device.cuda(0)));
    assertTrue(e.getMessage().contains("Flint has no CUDA backend"), e.getMessage());
  }

  @Test
  void toCpuIsTheSameTensor() {
    Tensor x = Tensor.ones(2);
    assertTrue(x == x.to(Device.CPU));
  }
}

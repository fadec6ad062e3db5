package dev.flint.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** toString against what PyTorch prints for the same tensors (dtype names are Flint's). */
class TensorFormatTest {

  @Test
  void wholeFloatsPrintWithATrailingDot() {
    assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Tensor.of(new float[][] {{1, 2}, {3, 4}}).toString());
    assertEquals("tensor([  1., -10.])", Tensor.of(new float[] {1, -10}).toString());
  }

  @Test
  void fractionsPrintWithFourDecimals() {
    assertEquals("tensor([0.1000, 2.5000])", Tensor.of(new float[] {0.1f, 2.5f}).toString());
    assertEquals("tensor(3.5000)", Tensor.scalar(3.5).toString());
  }

  @Test
  void farApartMagnitudesPrintInScientificNotation() {
    assertEquals("tensor([1.0000e-05, 1.0000e+00])", Tensor.of(new double[] {1e-5, 1}).to(DType.FLOAT32).toString());
  }

  @Test
  void integersBoolsAndDtypeSuffix() {
    assertEquals("tensor([1, 2, 3])", Tensor.of(new long[] {1, 2, 3}).toString());
    assertEquals("tensor([1, 2], dtype=INT32)", Tensor.of(new int[] {1, 2}).toString());
    assertEquals("tensor([ True, False])", Tensor.of(new boolean[] {true, false}).toString());
    assertEquals("tensor([1., 2.], dtype=FLOAT64)", Tensor.of(new double[] {1, 2}).toString());
    assertEquals("tensor([nan, inf])", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY}).toString());
  }

  @Test
  void threeDimsSeparateBlocksWithABlankLine() {
    assertEquals("tensor([[[1., 1.],\n         [1., 1.]],\n\n        [[1., 1.],\n         [1., 1.]]])",
        Tensor.ones(2, 2, 2).toString());
  }

  @Test
  void autogradStateIsShown() {
    Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
    assertEquals("tensor([1., 2.], requires_grad=True)", x.toString());
    assertEquals("tensor([2., 4.], grad_fn=<AddBackward>)", x.add(x).toString());
  }

  @Test
  void largeTensorsAreElided() {
    assertEquals("tensor([   0.,    1.,    2.,  ..., 1997., 1998., 1999.])",
        Tensor.arange(0, 2000, 1).to(DType.FLOAT32).toString());
    String rows = Tensor.ones(2000, 2).toString();
    assertEquals("tensor([[1., 1.],\n        [1., 1.],\n        [1., 1.],\n        ...,\n        [1., 1.],\n"
        + "        [1., 1.],\n        [1., 1.]])", rows);
  }

  @Test
  void theFormatIsChosenFromThePrintedValuesOnly() {
    Tensor x = Tensor.ones(2000);
    x.narrow(0, 1000, 1).fill(0.5);   // hidden by the elision, so the values still print as whole numbers
    assertEquals("tensor([1., 1., 1.,  ..., 1., 1., 1.])", x.toString());
    assertEquals("tensor([[1., 1., 1.,  ..., 1., 1., 1.],\n        [1., 1., 1.,  ..., 1., 1., 1.]])",
        Tensor.ones(2000, 1000).t().narrow(0, 0, 2).toString());
  }

  @Test
  void longRowsWrapAtEightyColumns() {
    String s = Tensor.arange(0, 30, 1).to(DType.FLOAT32).toString();
    assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
        + "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
        + "        28., 29.])", s);
  }

  @Test
  void emptyTensorsShowTheirSize() {
    assertEquals("tensor([])", Tensor.zeros(0).toString());
    assertEquals("tensor([], size=(0, 3))", Tensor.zeros(0, 3).toString());
  }
}

package dev.flint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The README's "A first look" snippet, kept true: the printed gradient and shapes it promises. */
class ReadmeExamplesTest {
  @Test
  void firstLookTensorAndAutograd() {
    Tensor x = Tensor.of(new float[][] {{1, 0}, {-1, 1}}).requiresGrad(true);
    Tensor z = x.pow(2).sum();
    assertEquals(0, z.dim());
    z.backward();
    assertArrayEquals(new float[] {2, 0, -2, 2}, x.grad().toFloatArray()); // 2x, by hand
    assertEquals("tensor([[ 2.,  0.],\n        [-2.,  2.]])", x.grad().toString());

    Tensor a = Tensor.ones(2, 3);
    Tensor b = Tensor.cat(1, a, a.mul(2));
    assertArrayEquals(new int[] {2, 6}, b.shape());
    assertEquals(6, b.transpose(0, 1).shape()[0]);
  }
}

package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PoolingTest {
  // [1, 2, 4, 4]: channel 0 is 1..16, channel 1 is its negation.
  static Tensor input() {
    float[] v = new float[32];
    for (int i = 0; i < 16; i++) {
      v[i] = i + 1;
      v[16 + i] = -(i + 1);
    }
    return Tensor.of(v, 1, 2, 4, 4);
  }

  @Test
  void maxPoolByHand() {
    assertArrayEquals(new float[] {6, 8, 14, 16, -1, -3, -9, -11}, new MaxPool2d(2).forward(input()).toFloatArray());
    Tensor overlapping = new MaxPool2d(3, 1).forward(input());
    assertArrayEquals(new int[] {1, 2, 2, 2}, overlapping.shape());
    assertArrayEquals(new float[] {11, 12, 15, 16, -1, -2, -5, -6}, overlapping.toFloatArray());
    assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
        new MaxPool2d(2).toString());
  }

  @Test
  void avgPoolByHand() {
    assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f, -3.5f, -5.5f, -11.5f, -13.5f},
        new AvgPool2d(2).forward(input()).toFloatArray());
    // Padding 1 with a 2x2 kernel, stride 2: the corner sees pixel 1 and three zeros.
    float[] padded = new AvgPool2d(2, 2, 1).forward(input()).toFloatArray();
    assertEquals(0.25f, padded[0]);
    assertEquals(4f, padded[8]);   // bottom-right corner: 16 / 4
    assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
    assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2, 2, 2));
  }
}

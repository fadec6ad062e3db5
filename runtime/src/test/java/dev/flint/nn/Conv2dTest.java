package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class Conv2dTest {
  /** The definition of a convolution layer, one output at a time: bias plus the window's dot product. */
  static double[] direct(Tensor x, Tensor w, Tensor b, int stride, int pad) {
    int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), o = w.size(0), k = w.size(2);
    int ho = (h + 2 * pad - k) / stride + 1, wo = (wd + 2 * pad - k) / stride + 1;
    double[] out = new double[n * o * ho * wo];
    int at = 0;
    for (int s = 0; s < n; s++) {
      for (int oc = 0; oc < o; oc++) {
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            double acc = b == null ? 0 : b.get(oc);
            for (int ic = 0; ic < c; ic++) {
              for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                  int y = i * stride - pad + p, z = j * stride - pad + q;
                  if (y >= 0 && y < h && z >= 0 && z < wd) {
                    acc += x.get(s, ic, y, z) * w.get(oc, ic, p, q);
                  }
                }
              }
            }
            out[at++] = acc;
          }
        }
      }
    }
    return out;
  }

  static Tensor random(Generator g, DType dtype, int... shape) {
    Tensor t = Tensor.empty(dtype, shape);
    for (int i = 0; i < t.numel(); i++) {
      t.storage().setDouble(i, g.nextGaussian());
    }
    return t;
  }

  @Test
  void layerMatchesTheDirectDefinition() {
    Generator g = new Generator(1);
    for (int[] cfg : new int[][] {{3, 1, 0}, {3, 2, 1}, {2, 1, 1}, {1, 3, 0}}) {
      Conv2d conv = new Conv2d(3, 4, cfg[0], cfg[1], cfg[2]);
      Tensor x = random(g, DType.FLOAT32, 2, 3, 9, 8);
      Tensor y = conv.forward(x);
      int ho = (9 + 2 * cfg[2] - cfg[0]) / cfg[1] + 1;
      int wo = (8 + 2 * cfg[2] - cfg[0]) / cfg[1] + 1;
      assertArrayEquals(new int[] {2, 4, ho, wo}, y.shape());
      assertArrayEquals(direct(x, conv.weight, conv.bias, cfg[1], cfg[2]), y.toDoubleArray(), 1e-4);
    }
    Conv2d conv = new Conv2d(3, 2, 3, 1, 1, false).to(DType.FLOAT64) instanceof Conv2d c ? c : null;
    Tensor x = random(g, DType.FLOAT64, 1, 3, 5, 5);
    assertArrayEquals(direct(x, conv.weight, null, 1, 1), conv.forward(x).toDoubleArray(), 1e-12);
    // Unbatched input [C, H, W].
    assertArrayEquals(direct(x, conv.weight, null, 1, 1), conv.forward(x.reshape(3, 5, 5)).toDoubleArray(), 1e-12);
    assertArrayEquals(new int[] {2, 5, 5}, conv.forward(x.reshape(3, 5, 5)).shape());
  }

  @Test
  void initAndNames() {
    Generator.seedAll(3);
    Conv2d conv = new Conv2d(2, 8, 3);
    double bound = 1 / Math.sqrt(2 * 3 * 3);
    for (Tensor t : List.of(conv.weight, conv.bias)) {
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float v : t.toFloatArray()) {
        assertTrue(Math.abs(v) <= bound, v + " outside ±" + bound);
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertTrue(max - min > bound / 2, "values are spread over the range");
    }
    assertArrayEquals(new int[] {8, 2, 3, 3}, conv.weight.shape());
    assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
    assertEquals("Conv2d(2, 8, kernel_size=(3, 3), stride=(1, 1))", conv.toString());
    assertEquals("Conv2d(1, 4, kernel_size=(5, 5), stride=(2, 2), padding=(2, 2), bias=False)",
        new Conv2d(1, 4, 5, 2, 2, false).toString());
  }

  @Test
  void wrongChannelsNamesTheLayerAndTheShape() {
    Conv2d conv = new Conv2d(3, 16, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.forward(Tensor.zeros(4, 1, 28, 28)));
    assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1)) expects input [N, 3, H, W] or [3, H, W] with 3 "
        + "channels, but got shape [4, 1, 28, 28]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(4, 3, 2, 2)));
    assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
  }
}

package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ActivationTest {
  static final Tensor X = Tensor.of(new double[] {-2, -0.5, 0, 0.5, 3});

  @Test
  void relu() {
    assertArrayEquals(new double[] {0, 0, 0, 0.5, 3}, new ReLU().forward(X).toDoubleArray());
    assertEquals("ReLU()", new ReLU().toString());
  }

  @Test
  void leakyRelu() {
    assertArrayEquals(new double[] {-0.02, -0.005, 0, 0.5, 3}, new LeakyReLU().forward(X).toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {-0.4, -0.1, 0, 0.5, 3}, F.leakyRelu(X, 0.2).toDoubleArray(), 1e-15);
    assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
  }

  @Test
  void sigmoidAndTanh() {
    double[] s = new Sigmoid().forward(X).toDoubleArray();
    double[] t = new Tanh().forward(X).toDoubleArray();
    double[] x = X.toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      assertEquals(1 / (1 + Math.exp(-x[i])), s[i], 1e-15);
      assertEquals(Math.tanh(x[i]), t[i], 1e-15);
    }
  }

  @Test
  void geluExactAndTanhApproximation() {
    Tensor x = Tensor.of(new double[] {1, -1, 2, 0.5, -3, 0});
    // x·Φ(x), reference values from CPython's math.erf.
    assertArrayEquals(new double[] {0.8413447460685429, -0.15865525393145707, 1.9544997361036416,
        0.34573123063700656, -0.00404969409489031, 0}, new GELU().forward(x).toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {0.8411919906082768, -0.15880800939172324, 1.954597694087775,
        0.34571400982514394}, new GELU("tanh").forward(Tensor.of(new double[] {1, -1, 2, 0.5})).toDoubleArray(),
        1e-15, "tanh form");
    assertEquals("GELU(approximate='none')", new GELU().toString());
    assertThrows(IllegalArgumentException.class, () -> new GELU("fast"));
    float[] f32 = new GELU().forward(Tensor.of(new float[] {1, -1})).toFloatArray();
    assertArrayEquals(new float[] {0.84134475f, -0.15865526f}, f32, 1e-7f);
  }

  @Test
  void softmaxAndLogSoftmax() {
    Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {1000, 1000, 1000}});
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    double[] expected = {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0};
    assertArrayEquals(expected, new Softmax(1).forward(x).toDoubleArray(), 1e-13);
    double[] log = new LogSoftmax(-1).forward(x).toDoubleArray();
    for (int i = 0; i < 6; i++) {
      assertEquals(Math.log(expected[i]), log[i], 1e-13);
    }
    // Along dim 0: columns.
    double[] col = new Softmax(0).forward(Tensor.of(new double[][] {{0, 0}, {Math.log(3), 0}})).toDoubleArray();
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 0.5}, col, 1e-15);
    assertEquals("Softmax(dim=1)", new Softmax(1).toString());
  }

  @Test
  void flatten() {
    Tensor x = Tensor.zeros(2, 3, 4, 5);
    assertArrayEquals(new int[] {2, 60}, new Flatten().forward(x).shape());
    assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).forward(x).shape());
    assertArrayEquals(new int[] {120}, F.flatten(x, 0, -1).shape());
    assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
    Tensor v = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, new Flatten().forward(v).toFloatArray());
    assertThrows(IllegalArgumentException.class, () -> F.flatten(x, 3, 1));
  }
}

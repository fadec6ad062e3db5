package dev.flint.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradClipTest {
  private static Tensor withGrad(Tensor p, Tensor g) {
    p.requiresGrad(true).setGrad(g);
    return p;
  }

  @Test
  void scalesAllGradientsByMaxNormOverTotalNorm() {
    // Total 2-norm of (3, 4) and (12) is 13; scale = 6.5 / (13 + 1e-6).
    Tensor a = withGrad(Tensor.zeros(2), Tensor.of(new float[] {3, 4}));
    Tensor b = withGrad(Tensor.zeros(DType.FLOAT64, 1), Tensor.of(new double[] {12}));
    Tensor none = Tensor.zeros(3).requiresGrad(true);
    double total = GradClip.clipGradNorm(List.of(a, b, none), 6.5);
    assertEquals(13.0, total, 1e-12);
    double scale = 6.5 / (13 + 1e-6);
    assertArrayEquals(new float[] {(float) (3 * scale), (float) (4 * scale)}, a.grad().toFloatArray());
    assertArrayEquals(new double[] {12 * scale}, b.grad().toDoubleArray(), 1e-15);
    assertNull(none.grad());
  }

  @Test
  void leavesSmallGradientsUntouched() {
    Tensor g = Tensor.of(new double[] {0.3, -0.4});
    Tensor a = withGrad(Tensor.zeros(DType.FLOAT64, 2), g);
    assertEquals(0.5, GradClip.clipGradNorm(List.of(a), 1.0), 1e-15);
    assertSame(g, a.grad());
    assertArrayEquals(new double[] {0.3, -0.4}, g.toDoubleArray());
  }

  @Test
  void infinityNormIsTheLargestMagnitude() {
    Tensor a = withGrad(Tensor.zeros(DType.FLOAT64, 3), Tensor.of(new double[] {1, -5, 2}));
    Tensor b = withGrad(Tensor.zeros(DType.FLOAT64, 1), Tensor.of(new double[] {4}));
    double total = GradClip.clipGradNorm(List.of(a, b), 2.5, Double.POSITIVE_INFINITY);
    assertEquals(5.0, total);
    double scale = 2.5 / (5 + 1e-6);
    assertArrayEquals(new double[] {scale, -5 * scale, 2 * scale}, a.grad().toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {4 * scale}, b.grad().toDoubleArray(), 1e-15);
  }

  @Test
  void oneNormSumsMagnitudes() {
    Tensor a = withGrad(Tensor.zeros(DType.FLOAT64, 3), Tensor.of(new double[] {1, -5, 2}));
    assertEquals(8.0, GradClip.clipGradNorm(List.of(a), 100, 1), 1e-15);
  }

  @Test
  void sharedGradientStorageIsScaledOnce() {
    Tensor g = Tensor.of(new double[] {3, 4});
    Tensor a = withGrad(Tensor.zeros(DType.FLOAT64, 2), g);
    Tensor b = withGrad(Tensor.zeros(DType.FLOAT64, 2), g);
    double total = GradClip.clipGradNorm(List.of(a, b), 1.0);
    assertEquals(Math.sqrt(50), total, 1e-12);
    double scale = 1.0 / (Math.sqrt(50) + 1e-6);
    assertArrayEquals(new double[] {3 * scale, 4 * scale}, a.grad().toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {3 * scale, 4 * scale}, b.grad().toDoubleArray(), 1e-15);
    assertTrue(a.grad() != b.grad());
  }
}

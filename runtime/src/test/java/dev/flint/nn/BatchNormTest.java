package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchNormTest {
  static final double EPS = 1e-5;

  @Test
  void runningStatisticsAfterTwoStepsByHand() {
    BatchNorm1d bn = new BatchNorm1d(2);
    // Step 1, N=2: channel 0 {1, 3}: mean 2, biased var 1, unbiased 2; channel 1 {2, 6}: mean 4, var 4, unbiased 8.
    Tensor y1 = bn.forward(Tensor.of(new float[][] {{1, 2}, {3, 6}}));
    assertArrayEquals(new float[] {0.2f, 0.4f}, bn.runningMean.toFloatArray(), 1e-6f);   // 0.9·0 + 0.1·mean
    assertArrayEquals(new float[] {1.1f, 1.7f}, bn.runningVar.toFloatArray(), 1e-6f);    // 0.9·1 + 0.1·unbiased
    double a = 1 / Math.sqrt(1 + EPS);
    double b = 2 / Math.sqrt(4 + EPS);
    assertArrayEquals(new double[] {-a, -b, a, b}, y1.toDoubleArray(), 1e-6);
    // Step 2, N=3: channel 0 {0, 2, 4}: mean 2, unbiased var 4; channel 1 {1, 1, 1}: mean 1, var 0.
    bn.forward(Tensor.of(new float[][] {{0, 1}, {2, 1}, {4, 1}}));
    assertArrayEquals(new float[] {0.38f, 0.46f}, bn.runningMean.toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {1.39f, 1.53f}, bn.runningVar.toFloatArray(), 1e-6f);
    assertEquals(2, bn.numBatchesTracked.getLong());
    assertEquals(DType.INT64, bn.numBatchesTracked.dtype());

    // Eval: (x − running_mean) / √(running_var + eps) · weight + bias.
    bn.loadStateDict(Map.of("weight", Tensor.of(new float[] {2, 1}), "bias", Tensor.of(new float[] {0, 1})), false);
    bn.eval();
    double[] y = bn.forward(Tensor.of(new float[][] {{1, 1}})).toDoubleArray();
    assertArrayEquals(new double[] {2 * (1 - 0.38) / Math.sqrt(1.39 + EPS), (1 - 0.46) / Math.sqrt(1.53 + EPS) + 1},
        y, 1e-6);
    assertEquals(2, bn.numBatchesTracked.getLong(), "eval does not count batches");
    assertArrayEquals(new float[] {0.38f, 0.46f}, bn.runningMean.toFloatArray(), 1e-6f, "eval does not update");
  }

  @Test
  void trainingOutputIsNormalizedPerChannelOverBatchAndLength() {
    BatchNorm1d bn = new BatchNorm1d(3);
    double[] v = new double[4 * 3 * 5];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.sin(i * 1.7) * (1 + i % 3) + i % 3;
    }
    bn.to(DType.FLOAT64);
    double[] y = bn.forward(Tensor.of(v, 4, 3, 5)).toDoubleArray();
    for (int c = 0; c < 3; c++) {
      double mean = 0;
      double sq = 0;
      for (int n = 0; n < 4; n++) {
        for (int l = 0; l < 5; l++) {
          double e = y[(n * 3 + c) * 5 + l];
          mean += e / 20;
          sq += e * e / 20;
        }
      }
      assertEquals(0, mean, 1e-12);
      assertEquals(1, sq - mean * mean, 1e-4);   // var / (var + eps)
    }
  }

  @Test
  void batchNorm2dUsesAllButTheChannelDimension() {
    BatchNorm2d bn = new BatchNorm2d(2);
    // N=1, C=2, 2x2: channel 0 is {1, 2, 3, 4} (mean 2.5, biased var 1.25, unbiased 5/3), channel 1 constant 7.
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 7, 7, 7, 7}, 1, 2, 2, 2);
    bn.to(DType.FLOAT64);
    double[] y = bn.forward(x).toDoubleArray();
    double s = Math.sqrt(1.25 + EPS);
    assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, 0, 0, 0, 0}, y, 1e-12);
    assertArrayEquals(new double[] {0.25, 0.7}, bn.runningMean.toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0.9 + 0.1 * 5 / 3.0, 0.9}, bn.runningVar.toDoubleArray(), 1e-12);
  }

  @Test
  void stateDictNamesAndRepr() {
    BatchNorm1d bn = new BatchNorm1d(4);
    assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
        List.copyOf(bn.stateDict().keySet()));
    assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
    assertArrayEquals(new float[] {1, 1, 1, 1}, bn.weight.toFloatArray());
    assertArrayEquals(new float[] {1, 1, 1, 1}, bn.runningVar.toFloatArray());
    assertEquals("BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.toString());
  }

  @Test
  void withoutAffineOrRunningStatistics() {
    BatchNorm1d plain = new BatchNorm1d(2, 1e-5, 0.1, false, false);
    assertEquals(List.of(), List.copyOf(plain.stateDict().keySet()));
    assertEquals("BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)", plain.toString());
    plain.eval();   // no running statistics: batch statistics even in eval, as PyTorch
    double a = 1 / Math.sqrt(1 + EPS);
    assertArrayEquals(new double[] {-a, -a, a, a}, plain.forward(Tensor.of(new double[][] {{1, 2}, {3, 4}})).toDoubleArray(),
        1e-12);
    LayerNorm ln = new LayerNorm(new int[] {2}, 1e-5, false);
    assertEquals(0, ln.numParameters());
    assertEquals("LayerNorm((2,), eps=1e-05, elementwise_affine=False)", ln.toString());
    assertArrayEquals(new double[] {-a, a}, ln.forward(Tensor.of(new double[] {5, 7})).toDoubleArray(), 1e-12);
  }

  @Test
  void clearErrors() {
    BatchNorm1d bn = new BatchNorm1d(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(4, 5)));
    assertTrue(e.getMessage().contains("3 channels") && e.getMessage().contains("[4, 5]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 3)));
    assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3)));
    assertTrue(e.getMessage().contains("4D input"), e.getMessage());
  }
}

package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinearTest {
  @Test
  void forwardIsXTimesWeightTransposedPlusBias() {
    Linear fc = new Linear(3, 2);
    fc.loadStateDict(Map.of(
        "weight", Tensor.of(new float[][] {{1, 2, 3}, {-1, 0, 2}}),
        "bias", Tensor.of(new float[] {0.5f, -1})));
    Tensor x = Tensor.of(new float[][] {{1, 1, 1}, {2, 0, -1}});
    // Row 0: [1+2+3+0.5, -1+0+2-1] ; row 1: [2-3+0.5, -2-2-1].
    assertArrayEquals(new float[] {6.5f, 0, -0.5f, -5}, fc.forward(x).toFloatArray(), 1e-6f);
    assertArrayEquals(new int[] {2, 2}, fc.forward(x).shape());
    // Extra leading dims are kept: [2, 1, 3] -> [2, 1, 2].
    assertArrayEquals(new int[] {2, 1, 2}, fc.forward(x.reshape(2, 1, 3)).shape());
    // A single unbatched sample [in] gives [out], as in PyTorch.
    Tensor one = fc.forward(Tensor.of(new float[] {1, 1, 1}));
    assertArrayEquals(new int[] {2}, one.shape());
    assertArrayEquals(new float[] {6.5f, 0}, one.toFloatArray(), 1e-6f);
  }

  @Test
  void withoutBias() {
    Linear fc = new Linear(2, 1, false);
    assertNull(fc.bias);
    assertEquals(List.of("weight"), List.copyOf(fc.namedParameters().keySet()));
    fc.loadStateDict(Map.of("weight", Tensor.of(new float[][] {{2, -3}})));
    assertArrayEquals(new float[] {-1}, fc.forward(Tensor.of(new float[][] {{1, 1}})).toFloatArray());
    assertEquals("Linear(in_features=2, out_features=1, bias=False)", fc.toString());
  }

  @Test
  void initIsUniformWithinOneOverSqrtIn() {
    Generator.seedAll(1234);
    Linear fc = new Linear(30, 50);
    double bound = 1 / Math.sqrt(30);
    for (Tensor t : List.of(fc.weight, fc.bias)) {
      assertEquals(DType.FLOAT32, t.dtype());
      assertTrue(t.requiresGrad());
      Set<Float> distinct = new HashSet<>();
      for (float v : t.toFloatArray()) {
        assertTrue(Math.abs(v) <= bound, v + " outside ±" + bound);
        distinct.add(v);
      }
      assertTrue(distinct.size() > t.numel() / 2, "values are not spread out");
    }
    // Roughly uniform: the weight's mean is near 0 and its variance near bound²/3.
    double[] w = fc.weight.toDoubleArray();
    double mean = 0;
    double sq = 0;
    for (double v : w) {
      mean += v / w.length;
      sq += v * v / w.length;
    }
    assertEquals(0, mean, 0.02);
    assertEquals(bound * bound / 3, sq - mean * mean, 0.004);
    // Seeding makes init reproducible.
    Generator.seedAll(1234);
    assertArrayEquals(fc.weight.toFloatArray(), new Linear(30, 50).weight.toFloatArray());
  }

  @Test
  void wrongInputWidthNamesTheLayerAndBothSizes() {
    Linear fc = new Linear(30, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fc.forward(Tensor.zeros(4, 20)));
    assertEquals("Linear(in_features=30, out_features=5) expects input with last dimension 30, but got shape [4, 20]",
        e.getMessage());
  }

  @Test
  void printsAsPyTorch() {
    assertEquals("Linear(in_features=117, out_features=64, bias=True)", new Linear(117, 64).toString());
  }
}

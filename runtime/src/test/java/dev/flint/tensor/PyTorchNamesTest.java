package dev.flint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.data.Datasets;
import dev.flint.data.Sample;
import dev.flint.data.Subset;
import dev.flint.data.TensorDataset;
import dev.flint.optim.SGD;
import dev.flint.optim.StepLR;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The names PyTorch users reach for, checked against PyTorch's documented semantics (values worked
 * out by hand from the docs: round half to even, equal on shape and values, all/any as 0-d BOOL, ...).
 */
class PyTorchNamesTest {
  @Test
  void sizeIsTheShapeAndNdimTheRank() {
    Tensor x = Tensor.zeros(2, 3, 4);
    assertArrayEquals(new int[] {2, 3, 4}, x.size());
    assertEquals(3, x.ndim());
    assertEquals("[2, 3, 4]", x.shapeString());
    assertEquals("[]", Tensor.scalar(1.0).shapeString());
    x.size()[0] = 99;   // a copy, as shape()
    assertEquals(2, x.size(0));
  }

  @Test
  void sinAndCosMatchJavaMathAndPromoteIntegersToFloat() {
    Tensor x = Tensor.of(new double[] {0, 1, -2.5});
    assertArrayEquals(new double[] {0, Math.sin(1), Math.sin(-2.5)}, x.sin().toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {1, Math.cos(1), Math.cos(-2.5)}, x.cos().toDoubleArray(), 1e-15);
    assertEquals(DType.FLOAT32, Tensor.of(new long[] {1, 2}).sin().dtype());
  }

  @Test
  void sinBackwardIsCosAndCosBackwardIsMinusSin() {
    Tensor x = Tensor.of(new double[] {0.3, -1.2}).requiresGrad(true);
    x.sin().add(x.cos().mul(2)).sum().backward();
    assertArrayEquals(new double[] {Math.cos(0.3) - 2 * Math.sin(0.3), Math.cos(-1.2) - 2 * Math.sin(-1.2)},
        x.grad().toDoubleArray(), 1e-15);
    assertEquals("SinBackward", x.sin().gradFn().name());
  }

  @Test
  void roundIsHalfToEvenAndFloorCeilAreTheUsualOnes() {
    Tensor x = Tensor.of(new double[] {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6});
    assertArrayEquals(new double[] {0, 2, 2, -0.0, -2, -2, 2, -3}, x.round().toDoubleArray());
    assertArrayEquals(new double[] {0, 1, 2, -1, -2, -3, 2, -3}, x.floor().toDoubleArray());
    assertArrayEquals(new double[] {1, 2, 3, -0.0, -1, -2, 3, -2}, x.ceil().toDoubleArray());
    assertEquals(DType.FLOAT32, Tensor.of(new float[] {1.5f}).round().dtype());
    Tensor big = Tensor.of(new long[] {(1L << 53) + 1, -7});   // integers come back as they are, exactly
    assertArrayEquals(big.toLongArray(), big.floor().toLongArray());
    assertEquals(DType.INT64, big.round().dtype());
  }

  @Test
  void roundingOpsHaveZeroGradientAsInPyTorch() {
    Tensor x = Tensor.of(new double[] {0.7, 1.2}).requiresGrad(true);
    Tensor y = x.floor().add(x.ceil()).add(x.round()).add(x.mul(3));
    assertEquals("AddBackward", y.gradFn().name());
    y.sum().backward();
    assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray(), "only the x*3 term has a gradient");
  }

  @Test
  void equalComparesShapeAndValues() {
    Tensor a = Tensor.of(new float[] {1, 2, 3});
    assertTrue(a.equal(Tensor.of(new float[] {1, 2, 3})));
    assertTrue(a.equal(Tensor.of(new long[] {1, 2, 3})), "values compare after promotion");
    assertFalse(a.equal(Tensor.of(new float[] {1, 2, 4})));
    assertFalse(a.equal(Tensor.of(new float[] {1, 2, 3}, 3, 1)), "a broadcastable shape is still another shape");
    assertFalse(Tensor.of(new double[] {Double.NaN}).equal(Tensor.of(new double[] {Double.NaN})));
  }

  @Test
  void allAndAnyAreZeroDimBool() {
    Tensor x = Tensor.of(new float[] {1, 0, 2});
    assertEquals(DType.BOOL, x.all().dtype());
    assertEquals(0, x.all().dim());
    assertEquals(0, x.all().item());
    assertEquals(1, x.any().item());
    assertEquals(1, Tensor.zeros(0).all().item(), "all of nothing is true");
    assertEquals(0, Tensor.zeros(0).any().item(), "any of nothing is false");
    assertEquals(1, x.gt(-1).all().item());
    assertEquals(1, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).transpose(0, 1).all().item());
  }

  @Test
  void scalarOfALongIsInt64AsTorchTensorOfAnInt() {
    Tensor label = Tensor.scalar(3);
    assertEquals(DType.INT64, label.dtype());
    assertEquals(0, label.dim());
    assertEquals(3L, label.toLongArray()[0]);
    assertEquals(DType.FLOAT32, Tensor.scalar(3.0).dtype());
  }

  @Test
  void randLikeKeepsShapeAndDtypeAndFollowsTheSeed() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 3, 4);
    Generator.seedAll(7);
    Tensor r = Tensor.randLike(x);
    assertArrayEquals(new int[] {3, 4}, r.shape());
    assertEquals(DType.FLOAT64, r.dtype());
    for (double v : r.toDoubleArray()) {
      assertTrue(v >= 0 && v < 1);
    }
    Generator.seedAll(7);
    assertTrue(r.equal(Tensor.randLike(x)));
    Generator.seedAll(7);
    Tensor uniform = Tensor.rand(3, 4);
    Generator.seedAll(7);
    assertTrue(uniform.equal(Tensor.randLike(Tensor.zeros(3, 4))), "FLOAT32: the same draws as rand");
    Generator.seedAll(7);
    Tensor normal = Tensor.randn(2, 2);
    Generator.seedAll(7);
    assertTrue(normal.equal(Tensor.randnLike(Tensor.ones(2, 2))));
    assertThrows(IllegalArgumentException.class, () -> Tensor.randLike(Tensor.zeros(DType.INT64, 2)));
  }

  @Test
  void randomSplitWithALongSeedIsReproducible() {
    TensorDataset ds = new TensorDataset(Tensor.arange(442).to(DType.FLOAT32).unsqueeze(1), Tensor.arange(442));
    List<Subset<Sample>> a = Datasets.randomSplit(ds, new double[] {0.8, 0.1, 0.1}, 42L);
    List<Subset<Sample>> b = Datasets.randomSplit(ds, new double[] {0.8, 0.1, 0.1}, 42);
    List<Subset<Sample>> c = Datasets.randomSplit(ds, new double[] {0.8, 0.1, 0.1}, 43L);
    assertEquals(List.of(354, 44, 44), a.stream().map(Subset::size).toList());
    assertEquals(labels(a.get(1)), labels(b.get(1)), "the same seed, the same split");
    assertNotEquals(labels(a.get(1)), labels(c.get(1)));
  }

  private static List<Long> labels(Subset<Sample> s) {
    List<Long> out = new java.util.ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      out.add(s.get(i).y().toLongArray()[0]);
    }
    return out;
  }

  @Test
  void schedulersAnswerGetLastLr() {
    Tensor w = Tensor.zeros(1).requiresGrad(true);
    StepLR sched = new StepLR(new SGD(List.of(w), 0.1), 1, 0.5);
    sched.step();
    assertEquals(0.05, sched.getLastLr(), 1e-15);
    assertEquals(sched.lastLr(), sched.getLastLr());
  }

  @Test
  void inPlaceArithmeticWritesIntoTheTensorAndItsViews() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor row = x.select(0, 1);   // a view
    assertTrue(x == x.addInPlace(Tensor.of(new float[] {10, 20})));   // broadcast over rows
    assertArrayEquals(new float[] {11, 22, 13, 24}, x.toFloatArray());
    assertArrayEquals(new float[] {13, 24}, row.toFloatArray(), "views see in-place writes");
    x.subInPlace(1).mulInPlace(2).divInPlace(Tensor.of(new float[] {2, 4}));
    assertArrayEquals(new float[] {10, 10.5f, 12, 11.5f}, x.toFloatArray());
    row.mulInPlace(0);
    assertArrayEquals(new float[] {10, 10.5f, 0, 0}, x.toFloatArray());
  }

  @Test
  void inPlaceFollowsPyTorchsAutogradRules() {
    Tensor w = Tensor.ones(2).requiresGrad(true);
    IllegalStateException leaf = assertThrows(IllegalStateException.class, () -> w.addInPlace(1));
    assertTrue(leaf.getMessage().contains("a leaf tensor that requires grad"), leaf.getMessage());
    Autograd.noGrad(() -> w.subInPlace(0.5));   // an optimizer-style update: allowed without grad
    assertArrayEquals(new float[] {0.5f, 0.5f}, w.toFloatArray());

    // The version counter: a value saved for backward and then changed in place fails at backward.
    Tensor a = Tensor.of(new float[] {2, 3});
    Tensor loss = a.mul(w).sum();
    a.addInPlace(1);
    IllegalStateException stale = assertThrows(IllegalStateException.class, loss::backward);
    assertTrue(stale.getMessage().contains("modified by an in-place operation"), stale.getMessage());

    assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).addInPlace(w), "an operand that requires grad");
  }

  @Test
  void inPlaceRefusesResultsThatDoNotFit() {
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(2).addInPlace(Tensor.zeros(3, 2)));
    assertTrue(shape.getMessage().contains("[3, 2]") && shape.getMessage().contains("[2]"), shape.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> Tensor.of(new long[] {1, 2}).addInPlace(0.5));
    assertTrue(type.getMessage().contains("FLOAT32") && type.getMessage().contains("INT64"), type.getMessage());
    assertArrayEquals(new long[] {3, 4}, Tensor.of(new long[] {1, 2}).addInPlace(2).toLongArray());
  }
}

package dev.flint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * {@code x.index(...)} against PyTorch's indexing semantics, worked out by hand on
 * {@code x = arange(24).reshape(2, 3, 4)}: values, shapes, views vs copies, errors, and gradients by
 * finite differences.
 */
class IndexingTest {
  private static Tensor x() {
    return Tensor.arange(24).to(DType.FLOAT64).reshape(2, 3, 4);
  }

  private static double[] range(int from, int to) {
    double[] v = new double[to - from];
    for (int i = 0; i < v.length; i++) {
      v[i] = from + i;
    }
    return v;
  }

  @Test
  void anIntegerSelectsAndDropsTheDim() {
    Tensor r = x().index(Index.at(1));   // x[1]
    assertArrayEquals(new int[] {3, 4}, r.shape());
    assertArrayEquals(range(12, 24), r.toDoubleArray());
    assertArrayEquals(range(20, 24), x().index(Index.at(-1), Index.at(-1)).toDoubleArray(), "x[-1, -1]");
    assertEquals(23, x().index(Index.at(1), Index.at(2), Index.at(3)).item(), "x[1, 2, 3] is 0-d");
    assertEquals(0, x().index(Index.at(1), Index.at(2), Index.at(3)).dim());
  }

  @Test
  void allThenAnIntegerPicksAColumn() {
    Tensor r = x().index(Index.all(), Index.at(2));   // x[:, 2]
    assertArrayEquals(new int[] {2, 4}, r.shape());
    assertArrayEquals(new double[] {8, 9, 10, 11, 20, 21, 22, 23}, r.toDoubleArray());
  }

  @Test
  void slicesFollowPythonBounds() {
    assertArrayEquals(range(4, 12), x().index(Index.at(0), Index.slice(1, 3)).toDoubleArray(), "x[0, 1:3]");
    assertArrayEquals(range(4, 12), x().index(Index.at(0), Index.from(-2)).toDoubleArray(), "x[0, -2:]");
    assertArrayEquals(range(4, 12), x().index(Index.at(0), Index.slice(1, 100)).toDoubleArray(), "x[0, 1:100] clamps");
    assertArrayEquals(range(0, 4), x().index(Index.at(0), Index.to(1)).toDoubleArray(), "x[0, :1]");
    assertArrayEquals(new int[] {2, 0, 4}, x().index(Index.all(), Index.slice(2, 1)).shape(), "x[:, 2:1] is empty");
    assertArrayEquals(new double[] {1, 3}, x().index(Index.at(0), Index.at(0), Index.slice(1, 4, 2)).toDoubleArray(),
        "x[0, 0, 1:4:2]");
    Tensor stepped = x().index(Index.all(), Index.slice(0, 3, 2), Index.slice(-3, 4, 2));   // x[:, ::2, -3::2]
    assertArrayEquals(new int[] {2, 2, 2}, stepped.shape());
    assertArrayEquals(new double[] {1, 3, 9, 11, 13, 15, 21, 23}, stepped.toDoubleArray());
    assertThrows(IllegalArgumentException.class, () -> Index.slice(0, 2, 0));
  }

  @Test
  void ellipsisAndNewAxis() {
    Tensor last = x().index(Index.ellipsis(), Index.at(-1));   // x[..., -1]
    assertArrayEquals(new int[] {2, 3}, last.shape());
    assertArrayEquals(new double[] {3, 7, 11, 15, 19, 23}, last.toDoubleArray());
    assertArrayEquals(new int[] {2, 3, 4}, x().index(Index.ellipsis()).shape());
    assertArrayEquals(new int[] {1, 2, 3, 4}, x().index(Index.newAxis()).shape(), "x[None]");
    assertArrayEquals(new int[] {2, 1, 4}, x().index(Index.all(), Index.newAxis(), Index.at(1)).shape(), "x[:, None, 1]");
    assertEquals(16, x().index(Index.at(-1), Index.ellipsis(), Index.at(1), Index.at(0)).item(), "x[-1, ..., 1, 0]");
    assertArrayEquals(new double[] {4, 16}, x().index(Index.ellipsis(), Index.at(1), Index.at(0)).toDoubleArray(),
        "x[..., 1, 0]");
  }

  @Test
  void basicIndexingGivesViewsThatWriteThrough() {
    Tensor x = x();
    Tensor row = x.index(Index.at(1), Index.at(0));
    Tensor stepped = x.index(Index.at(0), Index.at(0), Index.slice(0, 4, 2));
    assertSame(x.storage(), row.storage());
    assertSame(x.storage(), stepped.storage());
    stepped.fill(-1);
    row.mulInPlace(0);
    assertArrayEquals(new double[] {-1, 1, -1, 3}, x.index(Index.at(0), Index.at(0)).toDoubleArray());
    assertArrayEquals(new double[] {0, 0, 0, 0}, x.index(Index.at(1), Index.at(0)).toDoubleArray());
  }

  @Test
  void aBoolMaskSelectsElementsIntoOneDimAsACopy() {
    Tensor y = Tensor.of(new double[] {1, -2, 3, -4}, 2, 2);
    Tensor pos = y.index(y.gt(0));   // y[y > 0]
    assertArrayEquals(new int[] {2}, pos.shape());
    assertArrayEquals(new double[] {1, 3}, pos.toDoubleArray());
    assertNotSame(y.storage(), pos.storage());
    Tensor cols = y.index(Index.all(), Index.tensor(Tensor.of(new boolean[] {true, false})));   // y[:, [True, False]]
    assertArrayEquals(new int[] {2, 1}, cols.shape());
    assertArrayEquals(new double[] {1, 3}, cols.toDoubleArray());
    Tensor rows = x().index(Tensor.of(new boolean[] {false, true}));   // x[mask over dim 0]
    assertArrayEquals(new int[] {1, 3, 4}, rows.shape());
    assertArrayEquals(new int[] {0}, y.index(y.gt(10)).shape(), "nothing selected: an empty result");
  }

  @Test
  void integerPositionsPickAlongTheirDimAsACopy() {
    Tensor picked = x().index(Tensor.of(new long[] {1, 0, -1}));   // x[[1, 0, -1]]
    assertArrayEquals(new int[] {3, 3, 4}, picked.shape());
    assertArrayEquals(range(12, 24), picked.index(Index.at(0)).toDoubleArray());
    assertArrayEquals(range(12, 24), picked.index(Index.at(2)).toDoubleArray());
    Tensor v = Tensor.arange(10).to(DType.FLOAT32);
    Tensor grid = v.index(Tensor.of(new long[] {0, 1, 9, 9}, 2, 2));   // an index's shape replaces the dim
    assertArrayEquals(new int[] {2, 2}, grid.shape());
    assertArrayEquals(new float[] {0, 1, 9, 9}, grid.toFloatArray());
    Tensor middle = x().index(Index.all(), Index.tensor(Tensor.of(new int[] {2, 0})), Index.at(3));   // x[:, [2, 0], 3]
    assertArrayEquals(new int[] {2, 2}, middle.shape());
    assertArrayEquals(new double[] {11, 3, 23, 15}, middle.toDoubleArray());
  }

  @Test
  void errorsNameTheDimAndItsSize() {
    IndexOutOfBoundsException at = assertThrows(IndexOutOfBoundsException.class,
        () -> x().index(Index.all(), Index.at(5)));
    assertTrue(at.getMessage().contains("index 5 is out of bounds for dimension 1 with size 3"), at.getMessage());
    assertTrue(at.getMessage().contains("[:, 5]") && at.getMessage().contains("[2, 3, 4]"), at.getMessage());
    IndexOutOfBoundsException many = assertThrows(IndexOutOfBoundsException.class,
        () -> x().index(Index.at(0), Index.at(0), Index.at(0), Index.at(0)));
    assertTrue(many.getMessage().contains("too many indices for a tensor of dimension 3"), many.getMessage());
    IndexOutOfBoundsException mask = assertThrows(IndexOutOfBoundsException.class,
        () -> x().index(Tensor.of(new boolean[] {true, false, true})));
    assertTrue(mask.getMessage().contains("the shape of the mask [3] does not match the shape [2]"), mask.getMessage());
    IndexOutOfBoundsException idx = assertThrows(IndexOutOfBoundsException.class,
        () -> x().index(Tensor.of(new long[] {0, 2})));
    assertTrue(idx.getMessage().contains("index 2 is out of bounds for dimension 0 with size 2"), idx.getMessage());
    IllegalArgumentException floats = assertThrows(IllegalArgumentException.class,
        () -> x().index(Tensor.of(new float[] {0, 1})));
    assertTrue(floats.getMessage().contains("must be INT64, INT32 or BOOL"), floats.getMessage());
    assertThrows(IllegalArgumentException.class, () -> x().index(Index.ellipsis(), Index.ellipsis()));
    assertThrows(IllegalArgumentException.class,
        () -> x().index(Index.tensor(Tensor.of(new long[] {0})), Index.tensor(Tensor.of(new long[] {0}))));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Tensor a = Tensor.randn(new Generator(3), 3, 4, 5).to(DType.FLOAT64);
    GradCheck.check(xs -> xs[0].index(Index.at(1), Index.slice(0, 4, 2), Index.ellipsis()), a);
    GradCheck.check(xs -> xs[0].index(Index.ellipsis(), Index.at(-1)), a);
    GradCheck.check(xs -> xs[0].index(Index.all(), Index.slice(-3, 5, 2)).mul(xs[0].index(Index.all(), Index.to(2))), a);
    Tensor mask = a.gt(0);
    GradCheck.check(xs -> xs[0].index(mask), a);
    GradCheck.check(xs -> xs[0].index(Tensor.of(new long[] {2, 0, 2})), a);   // a repeated row gets both gradients
    GradCheck.check(xs -> xs[0].index(Index.all(), Index.tensor(Tensor.of(new long[] {3, 3}, 1, 2))), a);
  }

  @Test
  void aRepeatedPositionAccumulatesItsGradient() {
    Tensor v = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
    v.index(Tensor.of(new long[] {1, 1, 2})).sum().backward();
    assertArrayEquals(new double[] {0, 2, 1}, v.grad().toDoubleArray());
    Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5}).requiresGrad(true);
    w.index(Index.slice(0, 5, 2)).sum().backward();
    assertArrayEquals(new double[] {1, 0, 1, 0, 1}, w.grad().toDoubleArray());
  }
}

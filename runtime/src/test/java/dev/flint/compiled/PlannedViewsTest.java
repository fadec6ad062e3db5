package dev.flint.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.flint.kernel.Kernels;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Note [Planned views]: a kept view is the view kernel's result, the same object from call to call. */
class PlannedViewsTest {
  private static Tensor arange(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return Tensor.of(v, shape);
  }

  /** Same shape, strides, offset and values as the kernel's view. */
  private static void assertSameView(Tensor expected, Tensor actual) {
    assertArrayEquals(expected.shape(), actual.shape());
    assertArrayEquals(expected.strides(), actual.strides());
    assertEquals(expected.offset(), actual.offset());
    assertSame(expected.storage(), actual.storage());
    assertArrayEquals(expected.toFloatArray(), actual.toFloatArray());
  }

  @Test
  void headsSplitAndTransposedAsAGptBlockDoesAtEveryLength() {
    Tensor kept = null;
    Tensor keptNarrow = null;
    Tensor keptReshape = null;
    Tensor[] slots = new Tensor[2];
    for (int t = 1; t <= 6; t++) {
      Tensor qkv = arange(2, t, 24);
      // parts.get(1).reshape(b, t, 2, 4).transpose(1, 2) of a [2, T, 24] split into widths of 8
      Tensor narrow = PlannedViews.narrow(keptNarrow, qkv, 2, 8, 8);
      assertSameView(Kernels.narrow(qkv, 2, 8, 8), narrow);
      Tensor heads = PlannedViews.reshape(slots, 0, narrow, 2, t, 2, 4);
      assertSameView(Kernels.reshape(Kernels.narrow(qkv, 2, 8, 8), new int[] {2, t, 2, 4}), heads);
      Tensor k = PlannedViews.permute(kept, heads, new int[] {0, 2, 1, 3});
      assertSameView(Kernels.permute(heads, new int[] {0, 2, 1, 3}), k);
      if (kept != null) {
        assertSame(kept, k, "T = " + t + ": the kept view, pointed at the new input");
        assertSame(keptNarrow, narrow);
        assertSame(keptReshape, heads);
      }
      kept = k;
      keptNarrow = narrow;
      keptReshape = heads;
    }
  }

  @Test
  void aReshapeThatNeedsACopyCopiesIntoItsKeptBufferAndAnExpandBroadcasts() {
    // heads merged back after a transpose: y [2, T, 3, 4] transposed to [2, 3, T, 4], reshaped to [2, 3, 4T]
    Tensor[] slots = new Tensor[2];
    Tensor first = null;
    Tensor buffer = null;
    for (int t = 5; t >= 1; t--) {   // the longest first: later copies fit its buffer
      Tensor y = arange(2, t, 3, 4);
      Tensor transposed = Kernels.permute(y, new int[] {0, 2, 1, 3});
      Tensor merged = PlannedViews.reshape(slots, 0, transposed, 2, 3, 4 * t);
      assertArrayEquals(new int[] {2, 3, 4 * t}, merged.shape());
      assertArrayEquals(Kernels.reshape(transposed, new int[] {2, 3, 4 * t}).toFloatArray(), merged.toFloatArray());
      if (first == null) {
        first = merged;
      }
      assertSame(first, merged, "T = " + t + ": the kept view");
      if (t > 1) {   // T = 1 is a view of y itself
        buffer = buffer == null ? slots[1] : buffer;
        assertSame(buffer, slots[1], "T = " + t + ": the kept copy");
      }
    }
    Tensor x = arange(3, 4);
    Tensor flat = PlannedViews.reshape(new Tensor[2], 0, Kernels.permute(x, new int[] {1, 0}), new int[] {-1});
    assertArrayEquals(Kernels.reshape(Kernels.permute(x, new int[] {1, 0}), new int[] {-1}).toFloatArray(), flat.toFloatArray());
    Tensor col = arange(3, 1);
    Tensor e = PlannedViews.expand(null, col, 2, 3, 4);
    assertSameView(Kernels.expand(col, new int[] {2, 3, 4}), e);
    assertSame(e, PlannedViews.expand(e, col, 2, 3, 4));
    Tensor other = arange(3, 1);
    Tensor moved = PlannedViews.expand(e, other, 2, 3, 4);
    assertSame(e, moved, "pointed at another input of the same rank");
    assertSameView(Kernels.expand(other, new int[] {2, 3, 4}), moved);
    assertNotSame(e, PlannedViews.expand(e, col, 3, 4), "another rank: a new view");
  }

  @Test
  void aPermuteOfAnotherRankIsANewView() {
    Tensor a = arange(2, 3);
    Tensor v = PlannedViews.permute(null, a, new int[] {1, 0});
    assertSameView(Kernels.permute(a, new int[] {1, 0}), v);
    Tensor b = arange(2, 3, 4);
    Tensor w = PlannedViews.permute(v, b, new int[] {0, 2, 1});
    assertNotSame(v, w);
    assertSameView(Kernels.permute(b, new int[] {0, 2, 1}), w);
    assertEquals(DType.FLOAT32, w.dtype());
  }
}

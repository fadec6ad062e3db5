package dev.flint.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.kernel.Kernels;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BuffersTest {

  @Test
  void keepsABufferThatFits() {
    Tensor b1 = Buffers.reuse(null, DType.FLOAT32, 5);
    assertSame(b1, Buffers.reuse(b1, DType.FLOAT32, 5));
    Tensor b2 = Buffers.reuse(null, DType.FLOAT32, 3, 4);
    assertSame(b2, Buffers.reuse(b2, DType.FLOAT32, 3, 4));
    Tensor b3 = Buffers.reuse(null, DType.FLOAT64, 2, 3, 4);
    assertSame(b3, Buffers.reuse(b3, DType.FLOAT64, 2, 3, 4));
    Tensor image = Buffers.reuse(null, DType.FLOAT32, 2, 3, 4, 5);
    assertArrayEquals(new int[] {2, 3, 4, 5}, image.shape());
    assertSame(image, Buffers.reuse(image, DType.FLOAT32, 2, 3, 4, 5));
    assertNotSame(image, Buffers.reuse(image, DType.FLOAT32, 2, 3, 5, 4));
    Tensor b4 = Buffers.reuse(null, DType.FLOAT64, new int[] {1, 2, 3, 4});
    assertSame(b4, Buffers.reuse(b4, DType.FLOAT64, new int[] {1, 2, 3, 4}));
  }

  /** Note [Buffers within a capacity]: one storage for every T up to the bound, viewed with the actual shape. */
  @Test
  void keepsOneStorageForEveryShapeWithinTheCapacity() {
    int maxT = 8;
    Tensor b = Buffers.reuseWithin(null, DType.FLOAT32, 2 * maxT * 3, 2, 1, 3);
    assertArrayEquals(new int[] {2, 1, 3}, b.shape());
    assertEquals(2 * maxT * 3, b.storage().size(), "sized for the bound the first time");
    dev.flint.tensor.Storage storage = b.storage();
    for (int t = 2; t <= maxT; t++) {
      b = Buffers.reuseWithin(b, DType.FLOAT32, 2 * maxT * 3, 2, t, 3);
      assertArrayEquals(new int[] {2, t, 3}, b.shape());
      assertTrue(b.isContiguous());
      assertSame(storage, b.storage(), "T = " + t + " views the same storage");
    }
    assertSame(b, Buffers.reuseWithin(b, DType.FLOAT32, 2 * maxT * 3, 2, maxT, 3), "the same shape: the same tensor");
    Tensor back = Buffers.reuseWithin(b, DType.FLOAT32, 2 * maxT * 3, new int[] {2, 3, 3});
    assertSame(storage, back.storage(), "a shorter T again");
    Tensor bigger = Buffers.reuseWithin(back, DType.FLOAT32, 4 * maxT * 3, 4, 8, 3);
    assertNotSame(storage, bigger.storage(), "a larger batch needs a larger storage");
    assertEquals(DType.FLOAT64, Buffers.reuseWithin(bigger, DType.FLOAT64, 4 * maxT * 3, 4, 8, 3).dtype());
  }

  @Test
  void aBufferWithinItsCapacityIsTheSameTensorAtEveryShapeAndALentViewKeepsItsOwnShape() {
    // generation grows T by one per call: the buffer's own tensor takes each shape, so nothing is allocated
    Tensor b = Buffers.reuseWithin(null, DType.FLOAT32, 64 * 5, 1, 1, 5);
    Tensor lent = dev.flint.internal.Internals.lend(b);
    for (int t = 2; t <= 64; t++) {
      assertSame(b, Buffers.reuseWithin(b, DType.FLOAT32, 64 * 5, 1, t, 5), "T = " + t);
      assertArrayEquals(new int[] {1, t, 5}, b.shape());
      assertArrayEquals(new int[] {5 * t, 5, 1}, b.strides());
    }
    assertArrayEquals(new int[] {1, 1, 5}, lent.shape(), "the view lent to a caller has its own shape arrays");
    Tensor any = Buffers.reuseWithin(b, DType.FLOAT32, 64 * 5, new int[] {1, 3, 5});
    assertSame(b, any);
    assertArrayEquals(new int[] {1, 3, 5}, any.shape());
    Tensor write = Kernels.addScalar(Tensor.zeros(DType.FLOAT32, 1, 3, 5), 2.0, any);
    assertArrayEquals(new float[] {2f, 2f, 2f}, java.util.Arrays.copyOf(write.toFloatArray(), 3));
  }

  @Test
  void replacesABufferOfAnotherShapeDtypeOrLayout() {
    Tensor b = Buffers.reuse(null, DType.FLOAT32, 3, 4);
    Tensor other = Buffers.reuse(b, DType.FLOAT32, 4, 3);
    assertNotSame(b, other);
    assertArrayEquals(new int[] {4, 3}, other.shape());
    Tensor wider = Buffers.reuse(b, DType.FLOAT64, 3, 4);
    assertEquals(DType.FLOAT64, wider.dtype());
    assertNotSame(b, Buffers.reuse(b, DType.FLOAT32, 12));
    assertNotSame(b, Buffers.reuse(b, DType.FLOAT32, 3, 4, 1));
    Tensor transposed = Kernels.permute(Buffers.reuse(null, DType.FLOAT32, 4, 3), new int[] {1, 0});
    Tensor fresh = Buffers.reuse(transposed, DType.FLOAT32, 3, 4);
    assertNotSame(transposed, fresh);
    assertTrue(fresh.isContiguous());
  }

  @Test
  void anOutKernelWritesIntoTheReusedBuffer() {
    Tensor a = Tensor.of(new float[][] {{1, 2}, {3, 4}});
    Tensor buf = Buffers.reuse(null, a.dtype(), 2, 2);
    Tensor r = Kernels.matmul(a, a, Buffers.reuse(buf, a.dtype(), 2, 2));
    assertSame(buf, r);
    assertArrayEquals(new float[] {7, 10, 15, 22}, r.toFloatArray());
  }
}

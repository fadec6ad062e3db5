package dev.flint.kernel;

import dev.flint.ops.Attrs;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.Layouts;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Batched matrix product {@code [..., n, k] @ [..., k, m]} with broadcast batch dims. FLOAT32/FLOAT64
 * use a blocked i-k-j loop whose inner j loop is a contiguous axpy the JIT vectorizes; big products
 * split their rows over the shared {@link Parallel} pool.
 */
final class MatMul {
  private static final int K_BLOCK = 256;
  private static final int J_BLOCK = 2048;

  private MatMul() {}

  static Tensor matmul(Tensor a, Tensor b, Tensor out) {
    if (a.dtype() != b.dtype()) {
      DType wider = DType.promote(a.dtype(), b.dtype());
      throw new IllegalArgumentException("matmul: expected both operands to have the same dtype, but got "
          + a.dtype().shortName() + " and " + b.dtype().shortName() + ": convert one with .to(DType." + wider.name() + ")");
    }
    int[] shape = Shapes.matmul("matmul", List.of(a.shapeRef(), b.shapeRef()), Attrs.NONE);
    Tensor o = Elementwise.prepare(out, a.dtype(), shape, "matmul");
    if (out != null) {
      o.storage().fill(o.offset(), o.offset() + o.numel(), 0);
    }
    int r = shape.length;
    int n = shape[r - 2];
    int m = shape[r - 1];
    int k = a.shapeRef()[a.dim() - 1];
    if (o.numel() == 0) {
      return o;
    }
    if (k == 0) {
      return o;
    }
    Tensor ac = a.isContiguous() ? a : Copy.cast(a, a.dtype());
    Tensor bc = b.isContiguous() ? b : Copy.cast(b, b.dtype());
    if (b.dim() == 2) {
      // fold a's batch dims into its rows: [..., n, k] @ [k, m] is one [(...n), k] @ [k, m] product
      int rows = ac.numel() / k;
      int[] batch = Arrays.copyOf(shape, r - 2);
      int batches = Layouts.numel(batch);
      int[] aOff = new int[1];
      aOff[0] = ac.offset();
      if (batches * n == rows) {
        gemm(ac, aOff, bc, new int[] {bc.offset()}, o, new int[] {o.offset()}, rows, k, m);
        return o;
      }
    }
    int[] batch = Arrays.copyOf(shape, r - 2);
    int batches = Layouts.numel(batch);
    int[] aOff = batchOffsets(ac, batch, n * k);
    int[] bOff = batchOffsets(bc, batch, k * m);
    int[] oOff = new int[batches];
    for (int i = 0; i < batches; i++) {
      oOff[i] = o.offset() + i * n * m;
    }
    gemm(ac, aOff, bc, bOff, o, oOff, n, k, m);
    return o;
  }

  /** Storage offsets of each batch matrix of contiguous {@code t} broadcast to {@code batch}. */
  private static int[] batchOffsets(Tensor t, int[] batch, int matrixSize) {
    int[] tShape = Arrays.copyOf(t.shapeRef(), t.dim() - 2);
    int[] tStrides = Layouts.contiguousStrides(tShape);
    for (int d = 0; d < tStrides.length; d++) {
      tStrides[d] *= matrixSize;
    }
    Tensor meta = Tensor.view(t.storage(), t.offset(), tShape, tStrides);
    int[] st = Strided.broadcastStrides(meta, batch);
    int[] offs = new int[Layouts.numel(batch)];
    Layouts.forEachIndex(batch, st, t.offset(), (i, at) -> offs[i] = at);
    return offs;
  }

  /** {@code C[b] += A[b] @ B[b]} for each batch b, rows split over threads. */
  private static void gemm(Tensor a, int[] aOff, Tensor b, int[] bOff, Tensor c, int[] cOff, int n, int k, int m) {
    int batches = cOff.length;
    long work = (long) batches * n * k * m;
    int rowBlock = Math.max(1, Math.min(n, 64));
    int blocksPerBatch = (n + rowBlock - 1) / rowBlock;
    DType t = c.dtype();
    Storage as = a.storage();
    Storage bs = b.storage();
    Storage cs = c.storage();
    Parallel.forRange(batches * blocksPerBatch, work, (from, to) -> {
      for (int task = from; task < to; task++) {
        int bi = task / blocksPerBatch;
        int i0 = (task % blocksPerBatch) * rowBlock;
        int i1 = Math.min(n, i0 + rowBlock);
        int ao = aOff[aOff.length == 1 ? 0 : bi];
        int bo = bOff[bOff.length == 1 ? 0 : bi];
        if (t == DType.FLOAT32) {
          gemmF32(as.floats(), ao, bs.floats(), bo, cs.floats(), cOff[bi], k, m, i0, i1);
        } else if (t == DType.FLOAT64) {
          gemmF64(as.doubles(), ao, bs.doubles(), bo, cs.doubles(), cOff[bi], k, m, i0, i1);
        } else {
          gemmGeneric(as, ao, bs, bo, cs, cOff[bi], k, m, i0, i1);
        }
      }
    });
  }

  static void gemmF32(float[] a, int ao, float[] b, int bo, float[] c, int co, int k, int m, int i0, int i1) {
    for (int j0 = 0; j0 < m; j0 += J_BLOCK) {
      int j1 = Math.min(m, j0 + J_BLOCK);
      for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
        int p1 = Math.min(k, p0 + K_BLOCK);
        for (int i = i0; i < i1; i++) {
          int ci = co + i * m;
          int ai = ao + i * k;
          for (int p = p0; p < p1; p++) {
            float av = a[ai + p];
            int bi = bo + p * m;
            for (int j = j0; j < j1; j++) {
              c[ci + j] += av * b[bi + j];
            }
          }
        }
      }
    }
  }

  static void gemmF64(double[] a, int ao, double[] b, int bo, double[] c, int co, int k, int m, int i0, int i1) {
    for (int j0 = 0; j0 < m; j0 += J_BLOCK) {
      int j1 = Math.min(m, j0 + J_BLOCK);
      for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
        int p1 = Math.min(k, p0 + K_BLOCK);
        for (int i = i0; i < i1; i++) {
          int ci = co + i * m;
          int ai = ao + i * k;
          for (int p = p0; p < p1; p++) {
            double av = a[ai + p];
            int bi = bo + p * m;
            for (int j = j0; j < j1; j++) {
              c[ci + j] += av * b[bi + j];
            }
          }
        }
      }
    }
  }

  private static void gemmGeneric(Storage a, int ao, Storage b, int bo, Storage c, int co, int k, int m, int i0, int i1) {
    for (int i = i0; i < i1; i++) {
      for (int j = 0; j < m; j++) {
        long acc = 0;
        for (int p = 0; p < k; p++) {
          acc += a.getLong(ao + i * k + p) * b.getLong(bo + p * m + j);
        }
        c.setLong(co + i * m + j, acc);
      }
    }
  }
}

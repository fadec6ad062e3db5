package dev.flint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.ops.ShapeError;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tensor ops a sequence model reaches for (tril, triu, narrow, select, split, chunk, maskedFill,
 * gather, indexSelect) through the public API: values against hand-computed ones (PyTorch's documented
 * semantics) and gradients against central finite differences in FLOAT64.
 */
class SequenceOpsTest {
  private static Tensor seq(int... shape) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i + 1;
    }
    return Tensor.of(v, shape);
  }

  @Test
  void trilKeepsTheLowerTriangleOfEachMatrixForAnyDiagonal() {
    Tensor x = seq(2, 3, 4);
    assertArrayEquals(new double[] {
        1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0,
        13, 0, 0, 0, 17, 18, 0, 0, 21, 22, 23, 0}, x.tril(0).toDoubleArray());
    assertArrayEquals(new double[] {0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0},
        x.select(0, 0).tril(-1).toDoubleArray());
    assertArrayEquals(new double[] {1, 2, 0, 0, 5, 6, 7, 0, 9, 10, 11, 12},
        x.select(0, 0).tril(1).toDoubleArray());
    assertArrayEquals(x.select(0, 0).toDoubleArray(), x.select(0, 0).tril(3).toDoubleArray());
    assertArrayEquals(new double[12], x.select(0, 0).tril(-3).toDoubleArray());
  }

  @Test
  void triuKeepsTheUpperTriangle() {
    Tensor x = seq(3, 4);
    assertArrayEquals(new double[] {1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 11, 12}, x.triu().toDoubleArray());
    assertArrayEquals(new double[] {0, 0, 3, 4, 0, 0, 0, 8, 0, 0, 0, 0}, x.triu(2).toDoubleArray());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 11, 12}, x.triu(-1).toDoubleArray());
    // tril(k) + triu(k + 1) is the whole matrix
    assertArrayEquals(x.toDoubleArray(), x.tril(1).add(x.triu(2)).toDoubleArray());
  }

  @Test
  void trilOfABoolTensorIsACausalMaskAndStridedInputsWork() {
    Tensor mask = Tensor.ones(DType.BOOL, 3, 3).tril();
    assertEquals(DType.BOOL, mask.dtype());
    assertArrayEquals(new double[] {1, 0, 0, 1, 1, 0, 1, 1, 1}, mask.toDoubleArray());
    Tensor t = seq(3, 3).t();   // a transposed view
    assertArrayEquals(new double[] {1, 0, 0, 2, 5, 0, 3, 6, 9}, t.tril().toDoubleArray());
  }

  @Test
  void trilRefusesFewerThanTwoDims() {
    ShapeError e = assertThrows(ShapeError.class, () -> seq(4).tril());
    assertTrue(e.getMessage().contains("tril") && e.getMessage().contains("at least 2 dimensions")
        && e.getMessage().contains("[4]"), e.getMessage());
  }

  @Test
  void trilAndTriuGradientsAreTheMaskedGradient() {
    GradCheck.checkEach(x -> x[0].tril(0).mul(x[0]), seq(2, 3, 3));
    GradCheck.checkEach(x -> x[0].triu(1), seq(3, 4));
    Tensor x = seq(3, 3).requiresGrad(true);
    x.tril(-1).sum().backward();
    assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0, 1, 1, 0}, x.grad().toDoubleArray());
    assertEquals("TrilBackward", x.tril().gradFn().name());
  }

  @Test
  void narrowSelectSplitAndChunkAreDifferentiableViews() {
    Tensor x = seq(4, 6);
    assertArrayEquals(new double[] {9, 10, 15, 16}, x.narrow(0, 1, 2).narrow(1, 2, 2).toDoubleArray());
    assertArrayEquals(new double[] {3, 9, 15, 21}, x.select(1, 2).toDoubleArray());
    List<Tensor> parts = x.split(4, 1);
    assertEquals(2, parts.size());
    assertArrayEquals(new int[] {4, 2}, parts.get(1).shape());
    assertArrayEquals(new double[] {5, 6, 11, 12, 17, 18, 23, 24}, parts.get(1).toDoubleArray());
    List<Tensor> sized = x.split(new int[] {1, 3}, 0);
    assertArrayEquals(new int[] {3, 6}, sized.get(1).shape());
    List<Tensor> chunks = x.chunk(3, 1);   // q, k, v of a fused projection
    assertEquals(3, chunks.size());
    assertArrayEquals(new double[] {3, 4, 9, 10, 15, 16, 21, 22}, chunks.get(1).toDoubleArray());
    assertEquals(3, seq(5).chunk(3, 0).size());   // sizes 2, 2, 1 as torch.chunk
    assertEquals(3, seq(6).chunk(4, 0).size());   // sizes 2, 2, 2: chunk may return fewer

    GradCheck.checkEach(in -> in[0].narrow(1, 1, 3).mul(in[0].narrow(1, 2, 3)), seq(2, 5));
    GradCheck.checkEach(in -> in[0].select(0, -1).mul(in[0].select(1, 0)), seq(3, 3));
    GradCheck.checkEach(in -> {
      List<Tensor> qkv = in[0].chunk(3, -1);
      return qkv.get(0).mul(qkv.get(1)).add(qkv.get(2).exp());
    }, seq(2, 6).mul(0.1));
    GradCheck.checkEach(in -> {
      List<Tensor> p = in[0].split(new int[] {2, 1}, 0);
      return p.get(0).sum(0).mul(p.get(1));
    }, seq(3, 2));
  }

  @Test
  void maskedFillWritesTheValueAndStopsTheGradientThere() {
    Tensor x = seq(2, 3).requiresGrad(true);
    Tensor mask = Tensor.of(new boolean[] {false, true, false, true, true, false}, 2, 3);
    Tensor y = x.maskedFill(mask, Double.NEGATIVE_INFINITY);
    assertArrayEquals(new double[] {1, Double.NEGATIVE_INFINITY, 3, Double.NEGATIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 6}, y.toDoubleArray());
    x.maskedFill(mask, 7).mul(x).sum().backward();
    assertArrayEquals(new double[] {2, 7, 6, 7, 7, 12}, x.grad().toDoubleArray());
    Tensor rowMask = Tensor.of(new boolean[] {true, false, false}, 3);   // broadcast over rows
    GradCheck.checkEach(in -> in[0].maskedFill(rowMask, -2.5).mul(in[0]), seq(2, 3));
  }

  @Test
  void gatherAndIndexSelectPickEntriesAndAddGradientsBack() {
    Tensor x = seq(2, 3);
    Tensor idx = Tensor.of(new long[] {2, 2, 0, 1}, 2, 2);
    assertArrayEquals(new double[] {3, 3, 4, 5}, x.gather(1, idx).toDoubleArray());
    Tensor rows = Tensor.of(new long[] {1, 1, 0});
    assertArrayEquals(new double[] {4, 5, 6, 4, 5, 6, 1, 2, 3}, x.indexSelect(0, rows).toDoubleArray());
    Tensor xg = seq(2, 3).requiresGrad(true);
    xg.gather(1, idx).sum().backward();
    assertArrayEquals(new double[] {0, 0, 2, 1, 1, 0}, xg.grad().toDoubleArray());   // repeats add up
    GradCheck.checkEach(in -> in[0].gather(1, idx).mul(in[0].gather(1, idx)), seq(2, 3));
    GradCheck.checkEach(in -> in[0].indexSelect(0, rows).mul(in[0].indexSelect(0, rows)), seq(2, 3));
    GradCheck.checkEach(in -> in[0].indexSelect(1, Tensor.of(new long[] {2, 0})), seq(2, 3));
  }
}

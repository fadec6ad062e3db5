package dev.flint.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensor ops through the public API against hand-computed values, and their gradients against GradCheck. */
class TensorTest {

  private static Tensor m23() {
    return Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
  }

  // ------------------------------------------------------------ tutorial examples

  @Test
  void tutorialTransposeSqueezeUnsqueezeCat() {
    Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
    assertArrayEquals(new int[] {2, 1, 3}, t.transpose(0, 1).shape());
    assertArrayEquals(new int[] {2, 3}, t.squeeze().shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.squeeze().toFloatArray());
    assertArrayEquals(new int[] {1, 1, 2, 3}, t.unsqueeze(0).shape());
    assertArrayEquals(new int[] {1, 2, 1, 3}, t.unsqueeze(-2).shape());
    Tensor c = Tensor.cat(1, Tensor.ones(2, 1), Tensor.zeros(2, 3), Tensor.full(7, 2, 2));
    assertArrayEquals(new int[] {2, 6}, c.shape());
    assertArrayEquals(new float[] {1, 0, 0, 0, 7, 7, 1, 0, 0, 0, 7, 7}, c.toFloatArray());
  }

  @Test
  void readmeExamplePrintsWhatTheReadmeSays() {
    Tensor x = Tensor.of(new float[][] {{1, 0}, {-1, 1}}).requiresGrad(true);
    Tensor z = x.pow(2).sum();
    z.backward();
    assertEquals("tensor(3., grad_fn=<SumBackward>)", z.toString());
    assertEquals("tensor([[ 2.,  0.],\n        [-2.,  2.]])", x.grad().toString());
    Tensor w = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
    assertEquals("tensor([[1., 2., 3.],\n        [3., 3., 3.]], grad_fn=<MatmulBackward>)",
        x.matmul(w).toString());
  }

  // ------------------------------------------------------------ elementwise

  @Test
  void maximumMinimumMaskedFillAllclose() {
    Tensor a = Tensor.of(new float[] {1, 5, -2});
    Tensor b = Tensor.of(new float[] {3, 4, -2});
    assertArrayEquals(new float[] {3, 5, -2}, a.maximum(b).toFloatArray());
    assertArrayEquals(new float[] {1, 4, -2}, a.minimum(b).toFloatArray());
    assertArrayEquals(new float[] {1, 0, -2}, a.maskedFill(a.gt(2), 0).toFloatArray());
    assertArrayEquals(new float[] {1, 25, 4}, a.square().toFloatArray());
    assertTrue(a.allclose(a.add(1e-7)));
    assertFalse(a.allclose(b));
    assertFalse(a.allclose(Tensor.of(new float[] {1, 5})));
    GradCheck.checkEach(x -> x[0].maximum(x[1]).mul(x[0].minimum(x[1])),
        Tensor.of(new double[] {1, 5, -2.5}), Tensor.of(new double[] {3, 4, -2}));
  }

  @Test
  void arithmeticBroadcastsLikePyTorch() {
    Tensor a = m23();
    assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(Tensor.of(new float[] {10, 20, 30})).toFloatArray());
    assertArrayEquals(new float[] {0, 1, 2, 2, 3, 4}, a.sub(Tensor.of(new float[] {1, 2}, 2, 1)).toFloatArray());
    assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, a.mul(2).toFloatArray());
    assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, a.div(2).toFloatArray());
    assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6}, a.neg().toFloatArray());
    assertArrayEquals(new float[] {0, -1, -2, -3, -4, -5}, a.rsub(1).toFloatArray());
    assertArrayEquals(new float[] {1, 4, 9, 16, 25, 36}, a.pow(2).toFloatArray());
    assertArrayEquals(new int[] {3, 2, 3}, Tensor.ones(3, 1, 3).add(Tensor.ones(2, 1)).shape());
  }

  @Test
  void unaryMath() {
    Tensor x = Tensor.of(new double[] {-2, -0.5, 0, 0.5, 4});
    assertArrayEquals(new double[] {2, 0.5, 0, 0.5, 4}, x.abs().toDoubleArray());
    assertArrayEquals(new double[] {0, 0, 0, 0.5, 4}, x.relu().toDoubleArray());
    assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, x.clamp(-1, 1).toDoubleArray());
    assertArrayEquals(new double[] {-0.5, -0.5, 0, 0.5, 4}, x.clampMin(-0.5).toDoubleArray());
    assertArrayEquals(new double[] {-1, -1, 0, 1, 1}, x.sign().toDoubleArray());
    Tensor p = Tensor.of(new double[] {1, 4});
    assertArrayEquals(new double[] {1, 2}, p.sqrt().toDoubleArray());
    assertArrayEquals(new double[] {0, Math.log(4)}, p.log().toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {Math.E, Math.exp(4)}, p.exp().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(-4))}, p.sigmoid().toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {Math.tanh(1), Math.tanh(4)}, p.tanh().toDoubleArray(), 1e-15);
    assertEquals(0.0, Tensor.of(new float[] {-1000}).sigmoid().item());
    assertEquals(1.0, Tensor.of(new float[] {1000}).sigmoid().item());
  }

  @Test
  void comparisonsReturnBool() {
    Tensor a = Tensor.of(new float[] {1, 2, 3});
    Tensor b = Tensor.of(new float[] {3, 2, 1});
    assertEquals(DType.BOOL, a.gt(b).dtype());
    assertArrayEquals(new boolean[] {false, false, true}, a.gt(b).toBooleanArray());
    assertArrayEquals(new boolean[] {true, false, false}, a.lt(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, true}, a.ge(2).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true, false}, a.le(2).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, false}, a.eq(b).toBooleanArray());
    assertArrayEquals(new boolean[] {true, false, true}, a.ne(2).toBooleanArray());
    assertFalse(Tensor.of(new float[] {0.1f}).gt(0.1).toBooleanArray()[0], "compared in f32, as PyTorch");
  }

  @Test
  void whereSelectsAndBroadcasts() {
    Tensor x = Tensor.of(new float[] {-1, 2, -3});
    Tensor out = Tensor.where(x.gt(0), x, Tensor.zeros(1));
    assertArrayEquals(new float[] {0, 2, 0}, out.toFloatArray());
    assertArrayEquals(new float[] {9, 2, 9}, Tensor.where(x.gt(0), x, 9).toFloatArray());
  }

  @Test
  void elementwiseGradients() {
    Tensor a = Tensor.of(new double[] {0.5, 1.5, 2.5, 0.7, 1.1, 3.0}, 2, 3);
    Tensor b = Tensor.of(new double[] {1.2, -0.4, 2.0});
    GradCheck.checkEach(x -> x[0].mul(x[1]).add(x[1]).sub(x[0].div(x[1])).pow(2).sqrt(), a, b);
    GradCheck.checkEach(x -> x[0].log().exp().sigmoid().tanh().abs().neg().rsub(2).clamp(-5, 5), a);
    GradCheck.checkEach(x -> Tensor.where(x[0].gt(1.2), x[0], x[1]), a, b);
  }

  // ------------------------------------------------------------ dtype promotion

  @Test
  void typePromotionFollowsPyTorch() {
    Tensor i = Tensor.of(new long[] {1, 2});
    Tensor f = Tensor.of(new float[] {1, 2});
    Tensor d = Tensor.of(new double[] {1, 2});
    assertEquals(DType.FLOAT32, i.add(f).dtype());
    assertEquals(DType.FLOAT64, f.add(d).dtype());
    assertEquals(DType.INT64, i.add(i).dtype());
    assertEquals(DType.FLOAT32, i.div(i).dtype());
    assertArrayEquals(new float[] {0.5f, 1}, i.div(Tensor.of(new long[] {2, 2})).toFloatArray());
    assertEquals(DType.FLOAT32, f.mul(2.5).dtype());
    assertEquals(DType.FLOAT64, d.mul(2.5).dtype());
    assertEquals(DType.INT64, i.mul(3).dtype(), "a whole-number scalar keeps an integer tensor integer");
    assertEquals(DType.FLOAT32, i.mul(0.5).dtype());
    assertEquals(DType.FLOAT32, f.add(Tensor.scalar(1, DType.FLOAT64)).dtype(), "0-d tensors don't promote dims");
    assertEquals(DType.FLOAT64, i.add(Tensor.scalar(1, DType.FLOAT64)).dtype());
    assertEquals(DType.FLOAT32, Tensor.of(new int[] {1}).add(f).dtype());
    assertEquals(DType.INT64, Tensor.of(new int[] {1, 2}).sum().dtype());
    assertEquals(DType.FLOAT32, Tensor.of(new boolean[] {true}).exp().dtype());
  }

  // ------------------------------------------------------------ reductions

  @Test
  void sumAndMeanOverAllOrSomeDims() {
    Tensor a = m23();
    assertEquals(21, a.sum().item());
    assertEquals(0, a.sum().dim());
    assertArrayEquals(new float[] {5, 7, 9}, a.sum(0).toFloatArray());
    assertArrayEquals(new int[] {2, 1}, a.sum(1, true).shape());
    assertArrayEquals(new float[] {6, 15}, a.sum(-1).toFloatArray());
    assertEquals(21, a.sum(new int[] {0, 1}, false).item());
    assertEquals(3.5, a.mean().item());
    assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f}, a.mean(0).toFloatArray());
    assertArrayEquals(new int[] {1, 3}, a.mean(0, true).shape());
  }

  @Test
  void maxMinArgmaxWithIndices() {
    Tensor a = Tensor.of(new float[][] {{1, 5, 3}, {4, 2, 6}});
    Tensor.ValuesIndices mx = a.max(1);
    assertArrayEquals(new float[] {5, 6}, mx.values().toFloatArray());
    assertArrayEquals(new long[] {1, 2}, mx.indices().toLongArray());
    assertEquals(DType.INT64, mx.indices().dtype());
    assertArrayEquals(new int[] {2, 1}, a.max(1, true).values().shape());
    assertArrayEquals(new float[] {1, 2, 3}, a.min(0).values().toFloatArray());
    assertArrayEquals(new long[] {0, 1, 0}, a.min(0).indices().toLongArray());
    assertEquals(6, a.max().item());
    assertEquals(1, a.min().item());
    assertEquals(5, a.argmax().item());
    assertArrayEquals(new long[] {1, 2}, a.argmax(1).toLongArray());
    assertArrayEquals(new long[] {0, 1}, a.argmin(-1).toLongArray());
    assertArrayEquals(new long[] {0}, Tensor.of(new float[] {2, 2}).argmax(0, true).toLongArray(), "first on ties");
  }

  @Test
  void maxGradientGoesToTheArgmax() {
    Tensor a = Tensor.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3).requiresGrad(true);
    a.max(1).values().sum().backward();
    assertArrayEquals(new double[] {0, 1, 0, 0, 0, 1}, a.grad().toDoubleArray());
    GradCheck.checkEach(x -> x[0].min(0, true).values().mul(x[0].max()), Tensor.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3));
  }

  @Test
  void varianceAndStd() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4});
    assertEquals(5.0 / 3, x.var().item(), 1e-15);
    assertEquals(1.25, x.var(false).item(), 1e-15);
    assertEquals(Math.sqrt(5.0 / 3), x.std().item(), 1e-15);
    Tensor m = Tensor.of(new double[] {1, 3, 2, 6}, 2, 2);
    assertArrayEquals(new double[] {2, 8}, m.var(1).toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {1, 4}, m.var(1, false, true).toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {1, 2}, m.std(1, false, false).toDoubleArray(), 1e-15);
    GradCheck.checkEach(t -> t[0].std(0, true, false), m);
  }

  @Test
  void softmaxIsStableAndNormalized() {
    Tensor x = Tensor.of(new float[][] {{1000, 1000}, {0, (float) Math.log(3)}});
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.25f, 0.75f}, x.softmax(1).toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {(float) Math.log(0.5), (float) Math.log(0.5), (float) Math.log(0.25),
        (float) Math.log(0.75)}, x.logSoftmax(-1).toFloatArray(), 1e-6f);
    Tensor cols = Tensor.of(new double[] {0, 0, Math.log(3), 0}, 2, 2).softmax(0);
    assertArrayEquals(new double[] {0.25, 0.5, 0.75, 0.5}, cols.toDoubleArray(), 1e-12);
    GradCheck.checkEach(t -> t[0].softmax(0).mul(t[0]), Tensor.of(new double[] {0.1, -0.3, 0.7, 0.2, 0.9, -1}, 3, 2));
  }

  // ------------------------------------------------------------ matmul

  @Test
  void matmulFollowsTorchRules() {
    Tensor v = Tensor.of(new float[] {1, 2});
    Tensor m = Tensor.of(new float[][] {{1, 2}, {3, 4}});
    assertEquals(0, v.matmul(v).dim());
    assertEquals(5, v.matmul(v).item());
    assertArrayEquals(new float[] {5, 11}, m.matmul(v).toFloatArray());        // [2,2] @ [2] -> [2]
    assertArrayEquals(new float[] {7, 10}, v.matmul(m).toFloatArray());        // [2] @ [2,2] -> [2]
    assertArrayEquals(new float[] {7, 10, 15, 22}, m.matmul(m).toFloatArray());
    Tensor batch = Tensor.stack(0, m, m.mul(2), m.mul(3));                       // [3,2,2]
    Tensor out = batch.matmul(m);
    assertArrayEquals(new int[] {3, 2, 2}, out.shape());
    assertArrayEquals(new float[] {14, 20, 30, 44}, out.select(0, 1).toFloatArray());
    assertArrayEquals(new int[] {3, 2}, batch.matmul(v).shape());
    assertArrayEquals(new int[] {3, 2}, v.matmul(batch).shape());
    assertArrayEquals(new int[] {4, 3, 2, 2}, Tensor.ones(4, 1, 2, 5).matmul(Tensor.ones(3, 5, 2)).shape());
    assertArrayEquals(new float[] {7, 15, 10, 22}, m.t().matmul(m.t()).toFloatArray());
  }

  @Test
  void matmulGradientsIncludingBatchBroadcast() {
    Tensor a = Tensor.of(new double[] {0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8, 0.9, -1.0, 1.1, 1.2}, 2, 2, 3);
    Tensor b = Tensor.of(new double[] {1, -2, 0.5, 0.25, -1, 3}, 3, 2);
    GradCheck.checkEach(x -> x[0].matmul(x[1]), a, b);
    GradCheck.checkEach(x -> x[1].t().matmul(x[0].transpose(1, 2)), a, b);
    Tensor v = Tensor.of(new double[] {0.3, -0.2, 0.9});
    GradCheck.checkEach(x -> x[0].matmul(x[1]), a, v);
    GradCheck.checkEach(x -> x[0].matmul(x[0]), v);
  }

  @Test
  void largeMatmulMatchesANaiveProduct() {
    Generator g = new Generator(7);
    Tensor a = Tensor.randn(g, 3, 70, 130);
    Tensor b = Tensor.randn(g, 130, 90);
    float[] got = a.matmul(b).toFloatArray();
    float[] ad = a.toFloatArray();
    float[] bd = b.toFloatArray();
    for (int bt = 0; bt < 3; bt++) {
      for (int i = 0; i < 70; i += 7) {
        for (int j = 0; j < 90; j += 11) {
          double s = 0;
          for (int k = 0; k < 130; k++) {
            s += ad[bt * 70 * 130 + i * 130 + k] * bd[k * 90 + j];
          }
          assertEquals(s, got[bt * 70 * 90 + i * 90 + j], 1e-3);
        }
      }
    }
  }

  // ------------------------------------------------------------ views

  @Test
  void viewsShareStorage() {
    Tensor a = m23();
    Tensor t = a.transpose(0, 1);
    assertSame(a.storage(), t.storage());
    assertFalse(t.isContiguous());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toFloatArray());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, a.t().contiguous().toFloatArray());
    assertTrue(t.contiguous().isContiguous());
    assertSame(a, a.contiguous());
    assertSame(a.storage(), a.view(3, 2).storage());
    assertArrayEquals(new int[] {3, 2}, a.view(-1, 2).shape());
    assertArrayEquals(new float[] {4, 5, 6}, a.select(0, 1).toFloatArray());
    assertArrayEquals(new float[] {3, 6}, a.select(1, -1).toFloatArray());
    assertArrayEquals(new float[] {2, 3, 5, 6}, a.narrow(1, 1, 2).toFloatArray());
    assertArrayEquals(new int[] {2, 3, 4}, Tensor.ones(3, 1).expand(2, 3, 4).shape());
    assertArrayEquals(new int[] {3, 2}, a.permute(1, 0).shape());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, a.permute(-1, 0).reshape(6).toFloatArray());
  }

  @Test
  void flattenSqueezeUnsqueeze() {
    Tensor x = Tensor.zeros(2, 1, 3, 1);
    assertArrayEquals(new int[] {2, 3}, x.squeeze().shape());
    assertArrayEquals(new int[] {2, 3, 1}, x.squeeze(1).shape());
    assertSame(x, x.squeeze(0), "squeeze of a dim whose size isn't 1 returns the tensor unchanged");
    assertArrayEquals(new int[] {6}, x.flatten().shape());
    assertArrayEquals(new int[] {2, 3}, x.flatten(1).shape());
    assertArrayEquals(new int[] {2, 3, 1}, x.flatten(1, 2).shape());
    assertArrayEquals(new int[] {2, 1, 3, 1, 1}, x.unsqueeze(4).shape());
    assertArrayEquals(new int[] {12}, Tensor.ones(3, 4).t().flatten().shape());
  }

  @Test
  void viewGradients() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    GradCheck.checkEach(x -> x[0].t().reshape(3, 2).mul(x[0].view(3, 2)), a);
    GradCheck.checkEach(x -> x[0].unsqueeze(0).expand(4, 2, 3).permute(2, 0, 1).flatten(1).narrow(1, 2, 5), a);
    GradCheck.checkEach(x -> x[0].select(1, 2).mul(x[0].select(0, 0).sum()), a);
  }

  // ------------------------------------------------------------ cat, stack, split

  @Test
  void catStackSplitChunk() {
    Tensor a = Tensor.of(new float[] {1, 2});
    Tensor b = Tensor.of(new float[] {3, 4});
    assertArrayEquals(new float[] {1, 2, 3, 4}, Tensor.cat(0, a, b).toFloatArray());
    assertArrayEquals(new int[] {2, 2}, Tensor.stack(0, a, b).shape());
    assertArrayEquals(new float[] {1, 3, 2, 4}, Tensor.stack(1, a, b).toFloatArray());
    assertArrayEquals(new float[] {1, 3, 2, 4}, Tensor.stack(-1, List.of(a, b)).toFloatArray());
    Tensor x = Tensor.arange(0, 10, 1).to(DType.FLOAT32);
    List<Tensor> parts = x.split(4, 0);
    assertEquals(3, parts.size());
    assertArrayEquals(new float[] {8, 9}, parts.get(2).toFloatArray());
    List<Tensor> sized = x.split(new int[] {1, 9}, 0);
    assertArrayEquals(new int[] {9}, sized.get(1).shape());
    List<Tensor> chunks = x.chunk(3, 0);
    assertEquals(3, chunks.size());
    assertArrayEquals(new int[] {4}, chunks.get(0).shape());
    assertArrayEquals(new int[] {2}, chunks.get(2).shape());
    assertEquals(DType.FLOAT64, Tensor.cat(0, a, Tensor.of(new double[] {5})).dtype());
  }

  @Test
  void catStackGradients() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor b = Tensor.of(new double[] {5, 6}, 2, 1);
    GradCheck.checkEach(x -> Tensor.cat(1, x[0], x[1], x[0]).mul(Tensor.cat(1, x[1], x[0], x[1], x[1])), a, b);
    GradCheck.checkEach(x -> Tensor.stack(0, x[0], x[0].mul(x[0])).sum(0), a);
    GradCheck.checkEach(x -> x[0].chunk(2, 1).get(1).mul(x[0].split(1, 1).get(0)), a);
  }

  // ------------------------------------------------------------ indexing

  @Test
  void gatherAndIndexSelect() {
    Tensor x = m23();
    Tensor g = x.gather(1, Tensor.of(new long[] {2, 0, 1, 1}, 2, 2));
    assertArrayEquals(new float[] {3, 1, 5, 5}, g.toFloatArray());
    Tensor rows = x.indexSelect(0, Tensor.of(new long[] {1, 1, 0}));
    assertArrayEquals(new float[] {4, 5, 6, 4, 5, 6, 1, 2, 3}, rows.toFloatArray());
    assertArrayEquals(new float[] {3, 1, 6, 4}, x.indexSelect(1, Tensor.of(new long[] {2, 0})).toFloatArray());
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> x.gather(1, Tensor.of(new long[] {3}, 1, 1)));
    assertEquals("gather: index 3 is out of bounds for dimension 1 with size 3", e.getMessage());
  }

  @Test
  void indexingGradientsScatterBack() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
    x.indexSelect(0, Tensor.of(new long[] {1, 1})).sum().backward();
    assertArrayEquals(new double[] {0, 0, 0, 2, 2, 2}, x.grad().toDoubleArray());
    Tensor idx = Tensor.of(new long[] {2, 2, 0, 1}, 2, 2);
    GradCheck.checkEach(t -> t[0].gather(1, idx).mul(t[0].indexSelect(1, Tensor.of(new long[] {0, 2}))), x.detach());
  }

  // ------------------------------------------------------------ creation and in place

  @Test
  void randomCreationIsSeededAndInRange() {
    Generator.seedAll(3);
    Tensor a = Tensor.rand(1000);
    Generator.seedAll(3);
    assertArrayEquals(a.toFloatArray(), Tensor.rand(1000).toFloatArray());
    assertEquals(DType.FLOAT32, a.dtype());
    assertTrue(a.min().item() >= 0 && a.max().item() < 1);
    assertEquals(0.5, a.mean().item(), 0.05);
    Tensor n = Tensor.randn(new Generator(1), 4000);
    assertEquals(0, n.mean().item(), 0.06);
    assertEquals(1, n.std().item(), 0.06);
    Tensor r = Tensor.randint(new Generator(2), 3, 7, 500);
    assertEquals(DType.INT64, r.dtype());
    assertEquals(3, r.min().item());
    assertEquals(6, r.max().item());
  }

  @Test
  void inPlaceHelpers() {
    Tensor x = Tensor.zeros(2, 2);
    x.fill(3);
    assertArrayEquals(new float[] {3, 3, 3, 3}, x.toFloatArray());
    x.t().select(0, 0).copyFrom(Tensor.of(new double[] {7, 8}));   // column 0 through a view
    assertArrayEquals(new float[] {7, 3, 8, 3}, x.toFloatArray());
    x.zero();
    assertEquals(0, x.sum().item());
  }
}

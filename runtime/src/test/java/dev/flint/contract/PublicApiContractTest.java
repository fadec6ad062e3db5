package dev.flint.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.data.Dataset;
import dev.flint.data.Sample;
import dev.flint.data.TensorDataset;
import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.io.SafeTensors;
import dev.flint.nn.BCELoss;
import dev.flint.nn.BCEWithLogitsLoss;
import dev.flint.nn.BatchNorm1d;
import dev.flint.nn.Conv2d;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.Dropout;
import dev.flint.nn.F;
import dev.flint.nn.Flatten;
import dev.flint.nn.L1Loss;
import dev.flint.nn.Linear;
import dev.flint.nn.MSELoss;
import dev.flint.nn.MaxPool2d;
import dev.flint.nn.Module;
import dev.flint.nn.NLLLoss;
import dev.flint.nn.ReLU;
import dev.flint.nn.Reduction;
import dev.flint.nn.Sequential;
import dev.flint.nn.Sigmoid;
import dev.flint.nn.Tanh;
import dev.flint.optim.Adam;
import dev.flint.optim.AdamW;
import dev.flint.optim.SGD;
import dev.flint.tensor.DType;
import dev.flint.tensor.Device;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API contract of docs/design.md, exercised from outside Flint's packages as a user's code
 * would be: every listed name is called with the listed signature, and every call is checked against
 * a value computed by hand (or from PyTorch's documented formula) in this file. If a name, a
 * parameter type, a return type or a static modifier changes, this class stops compiling.
 */
class PublicApiContractTest {
  private static final double EPS32 = 1e-6;

  private static void assertValues(double[] expected, Tensor actual, double tol) {
    double[] got = actual.toDoubleArray();
    assertEquals(expected.length, got.length, () -> "numel of " + actual);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], tol, "element " + i + " of " + Arrays.toString(got));
    }
  }

  private static void assertValues(double[] expected, Tensor actual) {
    assertValues(expected, actual, EPS32);
  }

  // ==================================================================== tensors

  @Nested
  class Creation {
    @Test
    void ofEachArrayTypeGivesItsDtypeAndIsOneDimensionalWithoutAShape() {
      Tensor f = Tensor.of(new float[] {1, 2, 3});
      assertEquals(DType.FLOAT32, f.dtype());
      assertEquals(1, f.dim());
      assertArrayEquals(new int[] {3}, f.shape());
      Tensor d = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
      assertEquals(DType.FLOAT64, d.dtype());
      assertArrayEquals(new int[] {2, 3}, d.shape());
      assertEquals(6.0, d.toDoubleArray()[5]);
      Tensor l = Tensor.of(new long[] {7, 8});
      assertEquals(DType.INT64, l.dtype());
      assertEquals(1, l.dim());
      assertArrayEquals(new long[] {7, 8}, l.toLongArray());
      Tensor l2 = Tensor.of(new long[] {1, 2, 3, 4}, 2, 2);
      assertArrayEquals(new int[] {2, 2}, l2.shape());
    }

    @Test
    void twoDimensionalArrays() {
      Tensor f = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
      assertEquals(DType.FLOAT32, f.dtype());
      assertArrayEquals(new int[] {2, 3}, f.shape());
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.toFloatArray());
      Tensor d = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
      assertEquals(DType.FLOAT64, d.dtype());
      assertArrayEquals(new int[] {3, 2}, d.shape());
      assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, d.toDoubleArray());
    }

    @Test
    void scalarIsZeroDimensionalFloat32() {
      Tensor s = Tensor.scalar(2.5);
      assertEquals(0, s.dim());
      assertEquals(1, s.numel());
      assertArrayEquals(new int[0], s.shape());
      assertEquals(DType.FLOAT32, s.dtype());
      assertEquals(2.5, s.item());
    }

    @Test
    void zerosOnesFull() {
      Tensor z = Tensor.zeros(2, 3);
      assertArrayEquals(new int[] {2, 3}, z.shape());
      assertEquals(DType.FLOAT32, z.dtype());
      assertArrayEquals(new float[6], z.toFloatArray());
      Tensor o = Tensor.ones(4);
      assertArrayEquals(new float[] {1, 1, 1, 1}, o.toFloatArray());
      Tensor f = Tensor.full(3.5, 2, 2);
      assertEquals(DType.FLOAT32, f.dtype());
      assertArrayEquals(new int[] {2, 2}, f.shape());
      assertArrayEquals(new float[] {3.5f, 3.5f, 3.5f, 3.5f}, f.toFloatArray());
    }

    @Test
    void arangeLikePyTorch() {
      Tensor a = Tensor.arange(5);
      assertEquals(DType.INT64, a.dtype(), "torch.arange(5) is int64");
      assertArrayEquals(new long[] {0, 1, 2, 3, 4}, a.toLongArray());
      assertArrayEquals(new long[] {2, 5, 8}, Tensor.arange(2, 10, 3).toLongArray());
      Tensor h = Tensor.arange(0.0, 1.0, 0.25);
      assertEquals(DType.FLOAT32, h.dtype(), "a float arange is float32");
      assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f}, h.toFloatArray());
    }

    @Test
    void randAndRandnAreSeededAndDistributedAsDocumented() {
      Generator.seedAll(1234);
      Tensor u1 = Tensor.rand(1000);
      Tensor n1 = Tensor.randn(4000);
      Generator.seedAll(1234);
      Tensor u2 = Tensor.rand(1000);
      Tensor n2 = Tensor.randn(4000);
      assertArrayEquals(u1.toFloatArray(), u2.toFloatArray(), "the same manual seed gives the same values");
      assertArrayEquals(n1.toFloatArray(), n2.toFloatArray());
      assertEquals(DType.FLOAT32, u1.dtype());
      assertEquals(DType.FLOAT32, n1.dtype());
      for (float v : u1.toFloatArray()) {
        assertTrue(v >= 0 && v < 1, "rand is uniform in [0, 1): " + v);
      }
      // U(0,1): mean 1/2 (sd of the mean ~0.009); N(0,1): mean 0 and std 1 (sd ~0.016 and ~0.011)
      assertEquals(0.5, u1.mean().item(), 0.05);
      assertEquals(0.0, n1.mean().item(), 0.08);
      assertEquals(1.0, n1.std().item(), 0.06);
      Tensor g = Tensor.rand(new Generator(7), 2, 3);
      assertArrayEquals(new int[] {2, 3}, g.shape());
      assertArrayEquals(g.toFloatArray(), Tensor.rand(new Generator(7), 2, 3).toFloatArray());
    }
  }

  @Nested
  class Metadata {
    @Test
    void shapeSizeDimNumelDtypeDevice() {
      Tensor t = Tensor.zeros(2, 3, 4);
      int[] shape = t.shape();
      assertArrayEquals(new int[] {2, 3, 4}, shape);
      shape[0] = 99;
      assertArrayEquals(new int[] {2, 3, 4}, t.shape(), "shape() returns a copy");
      assertEquals(3, t.size(1));
      assertEquals(4, t.size(-1));
      assertEquals(3, t.dim());
      assertEquals(24, t.numel());
      assertEquals(DType.FLOAT32, t.dtype());
      assertEquals(Device.CPU, t.device());
    }

    @Test
    void toDtypeConvertsLikePyTorch() {
      Tensor f = Tensor.of(new float[] {1.5f, -2.7f, 3f});
      Tensor l = f.to(DType.INT64);
      assertEquals(DType.INT64, l.dtype());
      assertArrayEquals(new long[] {1, -2, 3}, l.toLongArray(), "float to int truncates toward zero");
      Tensor d = f.to(DType.FLOAT64);
      assertEquals(DType.FLOAT64, d.dtype());
      assertEquals((double) 1.5f, d.toDoubleArray()[0]);
      assertEquals(DType.INT32, f.to(DType.INT32).dtype());
      Tensor b = Tensor.of(new float[] {0, 2}).to(DType.BOOL);
      assertEquals(DType.BOOL, b.dtype());
      assertArrayEquals(new float[] {0, 1}, b.toFloatArray());
    }

    @Test
    void itemAndArrayReads() {
      assertEquals(6.0, Tensor.of(new float[] {1, 2, 3}).sum().item());
      Tensor t = Tensor.of(new double[] {1.25, 2.5});
      assertArrayEquals(new float[] {1.25f, 2.5f}, t.toFloatArray());
      assertArrayEquals(new double[] {1.25, 2.5}, t.toDoubleArray());
      assertArrayEquals(new long[] {1, 2}, t.toLongArray());
    }
  }

  @Nested
  class Devices {
    @Test
    void cudaIsAnsweredTruthfully() {
      boolean driver = Files.exists(Path.of("/proc/driver/nvidia/version"));
      assertEquals(Device.cudaDeviceCount() > 0, Device.cudaAvailable());
      if (!driver) {
        assertFalse(Device.cudaAvailable(), "no NVIDIA driver on this machine");
        assertEquals(0, Device.cudaDeviceCount());
      }
    }

    @Test
    void movingToAMissingOrUnsupportedGpuNamesTheDeviceAndWhatIsAvailable() {
      Device gpu = Device.cuda(0);
      assertNotSame(Device.CPU, gpu);
      RuntimeException e = assertThrows(RuntimeException.class, () -> Tensor.ones(2).to(gpu));
      assertTrue(e.getMessage().startsWith("cuda:0 is not available"), e.getMessage());
      assertTrue(e.getMessage().contains("available devices: [cpu]"), e.getMessage());
      Tensor x = Tensor.ones(2);
      assertSame(x, x.to(Device.CPU));
    }

    @Test
    void dtypeHasTheFiveContractConstants() {
      assertEquals(Set.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.BOOL),
          Set.copyOf(Arrays.asList(DType.values())));
    }
  }

  @Nested
  class Elementwise {
    private final Tensor a = Tensor.of(new float[] {1, 2, 3});
    private final Tensor b = Tensor.of(new float[] {4, 5, 6});

    @Test
    void arithmeticWithTensorsAndScalars() {
      assertValues(new double[] {5, 7, 9}, a.add(b));
      assertValues(new double[] {11, 12, 13}, a.add(10));
      assertValues(new double[] {-3, -3, -3}, a.sub(b));
      assertValues(new double[] {0, 1, 2}, a.sub(1));
      assertValues(new double[] {4, 10, 18}, a.mul(b));
      assertValues(new double[] {2, 4, 6}, a.mul(2));
      assertValues(new double[] {0.25, 0.4, 0.5}, a.div(b));
      assertValues(new double[] {0.5, 1, 1.5}, a.div(2));
      assertValues(new double[] {-1, -2, -3}, a.neg());
      assertValues(new double[] {1, 4, 9}, a.pow(2));
      assertValues(new double[] {1, Math.sqrt(2), Math.sqrt(3)}, a.pow(0.5));
    }

    @Test
    void broadcastingAsPyTorch() {
      Tensor col = Tensor.of(new float[] {10, 20}, 2, 1);
      Tensor sum = col.add(a);
      assertArrayEquals(new int[] {2, 3}, sum.shape());
      assertValues(new double[] {11, 12, 13, 21, 22, 23}, sum);
    }

    @Test
    void unaryMath() {
      Tensor x = Tensor.of(new double[] {-2, 0, 1});
      assertValues(new double[] {Math.exp(-2), 1, Math.E}, x.exp(), 1e-12);
      assertValues(new double[] {0, 1, 2}, Tensor.of(new double[] {1, Math.E, Math.E * Math.E}).log(), 1e-12);
      assertValues(new double[] {2, 3}, Tensor.of(new double[] {4, 9}).sqrt(), 1e-12);
      assertValues(new double[] {2, 0, 1}, x.abs(), 0);
      assertValues(new double[] {0, 0, 1}, x.relu(), 0);
      assertValues(new double[] {1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-1))}, x.sigmoid(), 1e-12);
      assertValues(new double[] {Math.tanh(-2), 0, Math.tanh(1)}, x.tanh(), 1e-12);
    }

    @Test
    void matmulOfTwoMatrices() {
      Tensor m = Tensor.of(new float[][] {{1, 2}, {3, 4}});
      Tensor n = Tensor.of(new float[][] {{5, 6}, {7, 8}});
      Tensor p = m.matmul(n);
      assertArrayEquals(new int[] {2, 2}, p.shape());
      assertValues(new double[] {19, 22, 43, 50}, p);
      Tensor v = m.matmul(Tensor.of(new float[] {1, 1}));
      assertArrayEquals(new int[] {2}, v.shape(), "matrix @ vector is a vector");
      assertValues(new double[] {3, 7}, v);
    }
  }

  @Nested
  class Reductions {
    private final Tensor m = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});

    @Test
    void sumAndMeanOfEverythingAreZeroDimensional() {
      Tensor s = Tensor.of(new float[] {1, 2, 3}).sum();
      assertEquals(0, s.dim());
      assertEquals(6.0, s.item());
      Tensor mean = m.mean();
      assertEquals(0, mean.dim());
      assertEquals(3.5, mean.item(), EPS32);
      assertEquals(21.0, m.sum().item());
    }

    @Test
    void everyReductionToOneValueIsZeroDimensional() {
      Tensor x = Tensor.of(new double[][] {{1, 5}, {3, 7}});
      Map<String, Tensor> reductions = new LinkedHashMap<>();
      reductions.put("sum", x.sum());
      reductions.put("mean", x.mean());
      reductions.put("max", x.max());
      reductions.put("min", x.min());
      reductions.put("argmax", x.argmax());
      reductions.put("var", x.var());
      reductions.put("std", x.std());
      reductions.put("sum(0) of 1-d", x.select(0, 0).sum(0));
      for (Map.Entry<String, Tensor> r : reductions.entrySet()) {
        assertEquals(0, r.getValue().dim(), r.getKey());
        assertArrayEquals(new int[0], r.getValue().shape(), r.getKey());
      }
      assertEquals(16.0, reductions.get("sum").item());
      assertEquals(4.0, reductions.get("mean").item());
      assertEquals(7.0, reductions.get("max").item());
      assertEquals(1.0, reductions.get("min").item());
      assertEquals(3.0, reductions.get("argmax").item(), "argmax of the flattened tensor");
      // unbiased variance of {1, 5, 3, 7}: sum of squared deviations 20 over n - 1 = 3
      assertEquals(20.0 / 3, reductions.get("var").item(), 1e-12);
      assertEquals(Math.sqrt(20.0 / 3), reductions.get("std").item(), 1e-12);
      assertEquals(6.0, reductions.get("sum(0) of 1-d").item());
    }

    @Test
    void sumAndMeanOverADim() {
      Tensor s0 = m.sum(0);
      assertArrayEquals(new int[] {3}, s0.shape());
      assertValues(new double[] {5, 7, 9}, s0);
      Tensor s1 = m.sum(1, true);
      assertArrayEquals(new int[] {2, 1}, s1.shape());
      assertValues(new double[] {6, 15}, s1);
      assertArrayEquals(new int[] {2}, m.sum(-1, false).shape());
      assertValues(new double[] {2, 5}, m.mean(1));
      Tensor m0 = m.mean(0, true);
      assertArrayEquals(new int[] {1, 3}, m0.shape());
      assertValues(new double[] {2.5, 3.5, 4.5}, m0);
    }

    @Test
    void maxAndArgmaxOverADim() {
      Tensor x = Tensor.of(new float[][] {{1, 5, 2}, {7, 3, 7}});
      var byRow = x.max(1);
      assertArrayEquals(new int[] {2}, byRow.values().shape());
      assertValues(new double[] {5, 7}, byRow.values());
      assertEquals(DType.INT64, byRow.indices().dtype());
      assertArrayEquals(new long[] {1, 0}, byRow.indices().toLongArray(), "the first maximal index, as PyTorch");
      Tensor am = x.argmax(0);
      assertEquals(DType.INT64, am.dtype());
      assertArrayEquals(new long[] {1, 0, 1}, am.toLongArray());
      assertArrayEquals(new long[] {1, 0}, x.argmax(1).toLongArray());
    }
  }

  @Nested
  class Views {
    private final Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

    @Test
    void transposePermuteReshapeView() {
      Tensor t = x.transpose(0, 1);
      assertArrayEquals(new int[] {3, 2}, t.shape());
      assertValues(new double[] {1, 4, 2, 5, 3, 6}, t);
      Tensor p = Tensor.arange(24).reshape(2, 3, 4).permute(2, 0, 1);
      assertArrayEquals(new int[] {4, 2, 3}, p.shape());
      // p[i][j][k] = original[j][k][i] = 12j + 4k + i
      assertArrayEquals(new long[] {1, 5, 9, 13, 17, 21}, p.select(0, 1).toLongArray());
      assertArrayEquals(new int[] {3, 2}, x.reshape(3, 2).shape());
      assertValues(new double[] {1, 2, 3, 4, 5, 6}, x.reshape(3, 2));
      Tensor v = x.view(6);
      assertArrayEquals(new int[] {6}, v.shape());
      assertArrayEquals(new int[] {3, 2}, x.view(-1, 2).shape(), "-1 is inferred");
    }

    @Test
    void flattenSqueezeUnsqueeze() {
      Tensor t = Tensor.zeros(2, 3, 4);
      assertArrayEquals(new int[] {2, 12}, t.flatten(1).shape());
      assertArrayEquals(new int[] {24}, t.flatten(0).shape());
      Tensor s = Tensor.zeros(1, 2, 1, 3);
      assertArrayEquals(new int[] {2, 3}, s.squeeze().shape());
      assertArrayEquals(new int[] {2, 1, 3}, s.squeeze(0).shape());
      assertArrayEquals(new int[] {1, 2, 3}, s.squeeze(-2).shape());
      Tensor same = s.squeeze(1);
      assertArrayEquals(new int[] {1, 2, 1, 3}, same.shape(), "squeeze of a dim whose size isn't 1 changes nothing");
      assertArrayEquals(new int[] {1, 2, 3}, x.unsqueeze(0).shape());
      assertArrayEquals(new int[] {2, 3, 1}, x.unsqueeze(-1).shape());
    }

    @Test
    void catAndStack() {
      Tensor c = Tensor.cat(1, Tensor.ones(2, 1), Tensor.zeros(2, 3), Tensor.full(2, 2, 2));
      assertArrayEquals(new int[] {2, 6}, c.shape());
      assertValues(new double[] {1, 0, 0, 0, 2, 2, 1, 0, 0, 0, 2, 2}, c);
      Tensor a = Tensor.of(new float[] {1, 2, 3});
      Tensor b = Tensor.of(new float[] {4, 5, 6});
      Tensor s0 = Tensor.stack(0, a, b);
      assertArrayEquals(new int[] {2, 3}, s0.shape());
      assertValues(new double[] {1, 2, 3, 4, 5, 6}, s0);
      Tensor s1 = Tensor.stack(1, a, b);
      assertArrayEquals(new int[] {3, 2}, s1.shape());
      assertValues(new double[] {1, 4, 2, 5, 3, 6}, s1);
      assertArrayEquals(new int[] {2, 2, 3}, Tensor.stack(0, x, x).shape());
    }
  }

  @Nested
  class Gradients {
    @Test
    void requiresGradReturnsThisAndGradIsNullWithoutIt() {
      Tensor x = Tensor.of(new float[] {1, 2});
      assertFalse(x.requiresGrad());
      assertNull(x.grad());
      assertSame(x, x.requiresGrad(true));
      assertTrue(x.requiresGrad());
      assertNull(x.grad(), "no gradient before backward");
    }

    @Test
    void tutorialExampleGradientIsTwoX() {
      Tensor x = Tensor.of(new float[][] {{1, 0}, {-1, 1}}).requiresGrad(true);
      Tensor z = x.pow(2).sum();
      assertEquals(0, z.dim());
      assertEquals(3.0, z.item());
      z.backward();
      assertArrayEquals(new int[] {2, 2}, x.grad().shape());
      assertValues(new double[] {2, 0, -2, 2}, x.grad());
    }

    @Test
    void gradientsOfAChainAccumulate() {
      // y = sum(w * x + b): dy/dw = x, dy/db = n
      Tensor w = Tensor.of(new double[] {0.5, -1}).requiresGrad(true);
      Tensor b = Tensor.scalar(0).to(DType.FLOAT64).requiresGrad(true);
      Tensor x = Tensor.of(new double[] {3, 4});
      w.mul(x).add(b).sum().backward();
      assertValues(new double[] {3, 4}, w.grad(), 0);
      assertEquals(2.0, b.grad().item());
      w.mul(x).add(b).sum().backward();
      assertValues(new double[] {6, 8}, w.grad(), 0);
    }

    @Test
    void detachSharesValuesWithoutGrad() {
      Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
      Tensor d = x.mul(3).detach();
      assertFalse(d.requiresGrad());
      assertValues(new double[] {3, 6}, d);
    }

    @Test
    void noGradIsATryWithResourcesScope() throws Exception {
      Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
      try (AutoCloseable scope = Autograd.noGrad()) {
        Tensor y = x.mul(2);
        assertFalse(y.requiresGrad(), "nothing is recorded under noGrad");
        assertValues(new double[] {2, 4}, y);
      }
      assertTrue(x.mul(2).requiresGrad(), "recording resumes after the scope");
      try (var scope = Autograd.noGrad()) {
        assertFalse(x.add(1).requiresGrad());
      }
    }
  }

  // ==================================================================== nn

  /** A user model in a user package: @Layer fields are its children, named by field. */
  @Model
  static class TwoLayer extends Module {
    @Layer Linear fc1 = new Linear(2, 3);
    @Layer ReLU act = new ReLU();
    @Layer Linear fc2 = new Linear(3, 1);

    @Forward
    @Override
    public Tensor forward(Tensor x) {
      return fc2.forward(act.forward(fc1.forward(x)));
    }
  }

  /** fc1 = [[1,0],[0,1],[1,1]] + [0,0,-10]; fc2 = [1,2,3] + 0.5. */
  private static Map<String, Tensor> twoLayerWeights() {
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("fc1.weight", Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}}));
    state.put("fc1.bias", Tensor.of(new float[] {0, 0, -10}));
    state.put("fc2.weight", Tensor.of(new float[][] {{1, 2, 3}}));
    state.put("fc2.bias", Tensor.of(new float[] {0.5f}));
    return state;
  }

  @Nested
  class Modules {
    @Test
    void parametersAreNamedByFieldInDeclarationOrder() {
      TwoLayer net = new TwoLayer();
      Map<String, Tensor> named = net.namedParameters();
      assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), new ArrayList<>(named.keySet()));
      List<Tensor> params = net.parameters();
      assertEquals(4, params.size());
      assertSame(net.fc1.weight, params.get(0));
      assertSame(net.fc1.weight, named.get("fc1.weight"), "namedParameters holds the live parameters");
      assertArrayEquals(new int[] {3, 2}, named.get("fc1.weight").shape());
      assertTrue(params.stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void loadStateDictThenForwardAndBackwardByHand() {
      TwoLayer net = new TwoLayer();
      net.loadStateDict(twoLayerWeights());
      // x = [2, 3]: fc1 -> [2, 3, -5], relu -> [2, 3, 0], fc2 -> 2 + 6 + 0 + 0.5
      Tensor out = net.forward(Tensor.of(new float[] {2, 3}, 1, 2));
      assertArrayEquals(new int[] {1, 1}, out.shape());
      assertEquals(8.5, out.item(), EPS32);
      out.sum().backward();
      Map<String, Tensor> named = net.namedParameters();
      // d out / d fc2.weight = relu output; d out / d fc1.bias = fc2.weight masked by relu
      assertValues(new double[] {2, 3, 0}, named.get("fc2.weight").grad());
      assertValues(new double[] {1, 2, 0}, named.get("fc1.bias").grad());
      assertValues(new double[] {1}, named.get("fc2.bias").grad());
    }

    @Test
    void stateDictHoldsParametersAndBuffers() {
      Sequential s = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
      Map<String, Tensor> state = s.stateDict();
      assertTrue(state.keySet().containsAll(List.of("0.weight", "0.bias", "1.weight", "1.bias",
          "1.running_mean", "1.running_var")), state.keySet().toString());
      assertValues(new double[] {0, 0}, state.get("1.running_mean"), 0);
      assertValues(new double[] {1, 1}, state.get("1.running_var"), 0);
      assertEquals(4, s.parameters().size(), "buffers are not parameters");
    }

    @Test
    void trainEvalAndIsTrainingRecurse() {
      Sequential s = new Sequential(new Linear(2, 2), new Dropout(0.5));
      assertTrue(s.isTraining());
      s.eval();
      assertFalse(s.isTraining());
      Tensor x = Tensor.ones(4, 2);
      Tensor head = s.forward(x);
      assertArrayEquals(head.toFloatArray(), s.forward(x).toFloatArray(), "dropout is the identity in eval");
      s.train();
      assertTrue(s.isTraining());
    }

    @Test
    void toDtypeAndDevice() {
      TwoLayer net = new TwoLayer();
      Tensor w = net.fc1.weight;
      Module same = net.to(DType.FLOAT64);
      assertSame(net, same);
      assertSame(w, net.parameters().get(0), "the parameter objects survive a dtype change");
      assertTrue(net.parameters().stream().allMatch(p -> p.dtype() == DType.FLOAT64));
      assertEquals(DType.FLOAT64, net.forward(Tensor.ones(DType.FLOAT64, 1, 2)).dtype());
      assertSame(net, net.to(Device.CPU));
    }

    @Test
    void saveAndLoadThroughSafetensors(@TempDir Path dir) {
      TwoLayer a = new TwoLayer();
      a.loadStateDict(twoLayerWeights());
      Path file = dir.resolve("net.safetensors");
      a.save(file);
      TwoLayer b = new TwoLayer();
      b.load(file);
      assertValues(new double[] {1, 0, 0, 1, 1, 1}, b.fc1.weight, 0);
      assertEquals(8.5, b.forward(Tensor.of(new float[] {2, 3}, 1, 2)).item(), EPS32);
      assertEquals(Set.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), SafeTensors.load(file).keySet());
    }
  }

  @Nested
  class Layers {
    @Test
    void linearComputesXWTransposedPlusB() {
      Linear fc = new Linear(3, 2);
      assertArrayEquals(new int[] {2, 3}, fc.weight.shape());
      assertArrayEquals(new int[] {2}, fc.bias.shape());
      Map<String, Tensor> w = new LinkedHashMap<>();
      w.put("weight", Tensor.of(new float[][] {{1, 2, 3}, {0, -1, 0}}));
      w.put("bias", Tensor.of(new float[] {1, 1}));
      fc.loadStateDict(w);
      assertValues(new double[] {1 + 2 + 6 + 1, -1 + 1}, fc.forward(Tensor.of(new float[] {1, 1, 2}, 1, 3)));
      // PyTorch's default initialisation: U(-1/sqrt(in), 1/sqrt(in))
      Linear wide = new Linear(100, 50);
      double bound = 1 / Math.sqrt(100);
      for (float v : wide.weight.toFloatArray()) {
        assertTrue(Math.abs(v) <= bound, "weight " + v + " outside +-" + bound);
      }
    }

    @Test
    void activationModules() {
      Tensor x = Tensor.of(new double[] {-1, 0, 2});
      assertValues(new double[] {0, 0, 2}, new ReLU().forward(x), 0);
      assertValues(new double[] {1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))}, new Sigmoid().forward(x), 1e-12);
      assertValues(new double[] {Math.tanh(-1), 0, Math.tanh(2)}, new Tanh().forward(x), 1e-12);
    }

    @Test
    void dropoutZeroesOrScalesByOneOverOneMinusP() {
      Dropout d = new Dropout(0.25);
      Tensor y = d.forward(Tensor.ones(2000));
      int zeros = 0;
      for (float v : y.toFloatArray()) {
        assertTrue(v == 0 || Math.abs(v - 1 / 0.75) < 1e-6, "inverted dropout keeps x / (1 - p): " + v);
        zeros += v == 0 ? 1 : 0;
      }
      assertEquals(500, zeros, 80, "about p of the values are dropped");
      d.eval();
      assertValues(new double[] {1, 1, 1}, d.forward(Tensor.ones(3)), 0);
    }

    @Test
    void batchNorm1dUsesBatchStatisticsInTrainAndRunningOnesInEval() {
      BatchNorm1d bn = new BatchNorm1d(2);
      Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 6}});
      // batch mean [2, 4], biased variance [1, 4]: (x - mean) / sqrt(var + 1e-5)
      double s0 = 1 / Math.sqrt(1 + 1e-5);
      double s1 = 2 / Math.sqrt(4 + 1e-5);
      assertValues(new double[] {-s0, -s1, s0, s1}, bn.forward(x), 1e-5);
      Map<String, Tensor> state = bn.stateDict();
      // running = 0.9 * running + 0.1 * batch (unbiased variance [2, 8])
      assertValues(new double[] {0.2, 0.4}, state.get("running_mean"), 1e-6);
      assertValues(new double[] {0.9 + 0.2, 0.9 + 0.8}, state.get("running_var"), 1e-6);
      bn.eval();
      Tensor y = bn.forward(Tensor.of(new float[][] {{1.2f, 0.4f}}));
      assertValues(new double[] {1 / Math.sqrt(1.1 + 1e-5), 0}, y, 1e-5);
    }

    @Test
    void conv2dWithStrideAndPadding() {
      Conv2d conv = new Conv2d(1, 1, 3, 1, 1);
      assertArrayEquals(new int[] {1, 1, 3, 3}, conv.weight.shape());
      Map<String, Tensor> w = new LinkedHashMap<>();
      w.put("weight", Tensor.ones(1, 1, 3, 3));
      w.put("bias", Tensor.of(new float[] {0.5f}));
      conv.loadStateDict(w);
      Tensor y = conv.forward(Tensor.ones(1, 1, 3, 3));
      assertArrayEquals(new int[] {1, 1, 3, 3}, y.shape());
      // each output counts the input cells its 3x3 window covers (zero padding), plus the bias
      assertValues(new double[] {4.5, 6.5, 4.5, 6.5, 9.5, 6.5, 4.5, 6.5, 4.5}, y);
      Conv2d strided = new Conv2d(1, 2, 3, 2, 1);
      assertArrayEquals(new int[] {1, 2, 3, 3}, strided.forward(Tensor.ones(1, 1, 5, 5)).shape(),
          "floor((5 + 2 - 3) / 2) + 1 = 3");
    }

    @Test
    void maxPool2dFlattenSequential() {
      Tensor x = Tensor.arange(16).to(DType.FLOAT32).reshape(1, 1, 4, 4);
      Tensor p = new MaxPool2d(2).forward(x);
      assertArrayEquals(new int[] {1, 1, 2, 2}, p.shape());
      assertValues(new double[] {5, 7, 13, 15}, p, 0);
      Tensor f = new Flatten().forward(p);
      assertArrayEquals(new int[] {1, 4}, f.shape());
      Sequential s = new Sequential(new MaxPool2d(2), new Flatten(), new ReLU());
      assertValues(new double[] {5, 7, 13, 15}, s.forward(x), 0);
      assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
          new ArrayList<>(new Sequential(new Linear(1, 1), new ReLU(), new Linear(1, 1)).namedParameters().keySet()));
    }

    @Test
    void functionalForms() {
      Tensor x = Tensor.of(new double[] {1, 2, 3});
      assertValues(new double[] {1, 2, 3}, F.relu(x), 0);
      assertValues(new double[] {0.5}, F.sigmoid(Tensor.of(new double[] {0})), 0);
      assertValues(new double[] {Math.tanh(1), Math.tanh(2), Math.tanh(3)}, F.tanh(x), 1e-12);
      double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
      assertValues(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z}, F.softmax(x, 0), 1e-12);
      assertValues(new double[] {1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)}, F.logSoftmax(x, -1), 1e-12);
      Tensor rows = F.softmax(Tensor.of(new double[][] {{0, 0}, {0, Math.log(3)}}), 1);
      assertValues(new double[] {0.5, 0.5, 0.25, 0.75}, rows, 1e-12);
      assertValues(new double[] {1, 2, 3}, F.dropout(x, 0.5, false), 0);
      for (double v : F.dropout(Tensor.ones(DType.FLOAT64, 100), 0.5, true).toDoubleArray()) {
        assertTrue(v == 0 || v == 2, "kept values are scaled by 1 / (1 - p): " + v);
      }
    }
  }

  @Nested
  class Losses {
    private final Tensor in = Tensor.of(new float[] {1, 2, 3});
    private final Tensor tgt = Tensor.of(new float[] {1, 1, 1});

    @Test
    void reductionHasThreeValues() {
      assertEquals(List.of(Reduction.MEAN, Reduction.SUM, Reduction.NONE), List.of(Reduction.values()));
    }

    @Test
    void mseLoss() {
      Tensor mean = new MSELoss().forward(in, tgt);
      assertEquals(0, mean.dim());
      assertEquals(5.0 / 3, mean.item(), EPS32);
      assertEquals(5.0, new MSELoss(Reduction.SUM).forward(in, tgt).item(), EPS32);
      assertValues(new double[] {0, 1, 4}, new MSELoss(Reduction.NONE).forward(in, tgt));
      assertEquals(5.0 / 3, new MSELoss(Reduction.MEAN).forward(in, tgt).item(), EPS32);
    }

    @Test
    void l1Loss() {
      assertEquals(1.0, new L1Loss().forward(in, tgt).item(), EPS32);
      assertEquals(3.0, new L1Loss(Reduction.SUM).forward(in, tgt).item(), EPS32);
      assertValues(new double[] {0, 1, 2}, new L1Loss(Reduction.NONE).forward(in, tgt));
    }

    @Test
    void crossEntropyLossWithInt64ClassIndices() {
      Tensor logits = Tensor.of(new double[][] {{1, 2, 3}, {1, 2, 3}});
      Tensor target = Tensor.of(new long[] {2, 0});
      double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
      double l0 = lse - 3;
      double l1 = lse - 1;
      assertEquals((l0 + l1) / 2, new CrossEntropyLoss().forward(logits, target).item(), 1e-12);
      assertEquals(l0 + l1, new CrossEntropyLoss(Reduction.SUM).forward(logits, target).item(), 1e-12);
      assertValues(new double[] {l0, l1}, new CrossEntropyLoss(Reduction.NONE).forward(logits, target), 1e-12);
    }

    @Test
    void nllLoss() {
      Tensor logp = Tensor.of(new double[][] {{-1, -2}, {-3, -4}});
      Tensor target = Tensor.of(new long[] {1, 0});
      assertEquals(2.5, new NLLLoss().forward(logp, target).item(), 1e-12);
      assertEquals(5.0, new NLLLoss(Reduction.SUM).forward(logp, target).item(), 1e-12);
      assertValues(new double[] {2, 3}, new NLLLoss(Reduction.NONE).forward(logp, target), 1e-12);
    }

    @Test
    void bceLoss() {
      Tensor p = Tensor.of(new double[] {0.5, 0.8});
      Tensor t = Tensor.of(new double[] {1, 0});
      double a = -Math.log(0.5);
      double b = -Math.log(0.2);
      assertEquals((a + b) / 2, new BCELoss().forward(p, t).item(), 1e-12);
      assertEquals(a + b, new BCELoss(Reduction.SUM).forward(p, t).item(), 1e-12);
      assertValues(new double[] {a, b}, new BCELoss(Reduction.NONE).forward(p, t), 1e-12);
    }

    @Test
    void bceWithLogitsLoss() {
      Tensor x = Tensor.of(new double[] {0, 2});
      Tensor t = Tensor.of(new double[] {1, 0});
      double a = Math.log(2);              // -log(sigmoid(0))
      double b = Math.log(1 + Math.exp(2)); // -log(1 - sigmoid(2))
      assertEquals((a + b) / 2, new BCEWithLogitsLoss().forward(x, t).item(), 1e-12);
      assertEquals(a + b, new BCEWithLogitsLoss(Reduction.SUM).forward(x, t).item(), 1e-12);
      assertValues(new double[] {a, b}, new BCEWithLogitsLoss(Reduction.NONE).forward(x, t), 1e-12);
    }

    @Test
    void meanAndSumReductionsAreZeroDimensional() {
      Tensor logits = Tensor.of(new float[][] {{1, 2}, {0, 1}});
      Tensor probs = Tensor.of(new float[][] {{0.5f, 0.25f}, {0.75f, 0.5f}});
      Tensor targets = Tensor.of(new float[][] {{1, 0}, {0, 1}});
      Tensor classes = Tensor.of(new long[] {1, 0});
      for (Reduction r : List.of(Reduction.MEAN, Reduction.SUM)) {
        List<Tensor> out = List.of(
            new MSELoss(r).forward(logits, targets), new L1Loss(r).forward(logits, targets),
            new CrossEntropyLoss(r).forward(logits, classes), new NLLLoss(r).forward(logits.neg(), classes),
            new BCELoss(r).forward(probs, targets), new BCEWithLogitsLoss(r).forward(logits, targets));
        for (Tensor t : out) {
          assertEquals(0, t.dim(), r + " gives a 0-d loss: " + t);
        }
      }
      assertArrayEquals(new int[] {2}, new CrossEntropyLoss(Reduction.NONE).forward(logits, classes).shape());
      assertArrayEquals(new int[] {2, 2}, new BCELoss(Reduction.NONE).forward(probs, targets).shape());
    }

    @Test
    void lossGradientFlowsToTheInput() {
      Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
      new MSELoss().forward(x, Tensor.of(new double[] {1, 1, 1})).backward();
      // d/dx mean((x - t)^2) = 2 (x - t) / n
      assertValues(new double[] {0, 2.0 / 3, 4.0 / 3}, x.grad(), 1e-12);
    }
  }

  // ==================================================================== optim

  /** Sets p.grad to g through the public API: backward of sum(p * g). */
  private static void gradient(Tensor p, double... g) {
    p.mul(Tensor.of(g)).sum().backward();
  }

  @Nested
  class Optimizers {
    @Test
    void sgdWithMomentumTwoStepsByHand() {
      Tensor p = Tensor.of(new double[] {1.0, -2.0}).requiresGrad(true);
      SGD opt = new SGD(List.of(p), 0.1).momentum(0.9);
      gradient(p, 3, -1);
      opt.step();
      // buf = g; p -= lr * buf
      assertValues(new double[] {1 - 0.3, -2 + 0.1}, p, 1e-12);
      opt.zeroGrad();
      assertNull(p.grad(), "zeroGrad sets gradients to None, as PyTorch's default");
      gradient(p, 3, -1);
      opt.step();
      // buf = 0.9 buf + g = [5.7, -1.9]
      assertValues(new double[] {0.7 - 0.57, -1.9 + 0.19}, p, 1e-12);
    }

    @Test
    void sgdWithWeightDecayAndNesterovByHand() {
      Tensor p = Tensor.of(new double[] {1.0}).requiresGrad(true);
      SGD opt = new SGD(List.of(p), 0.1).momentum(0.5).weightDecay(0.1).nesterov(true);
      double w = 1.0;
      double buf = 0;
      for (int step = 0; step < 2; step++) {
        opt.zeroGrad();
        gradient(p, 2);
        opt.step();
        double g = 2 + 0.1 * w;                 // weight decay
        buf = step == 0 ? g : 0.5 * buf + g;    // momentum buffer (dampening 0)
        w -= 0.1 * (g + 0.5 * buf);             // nesterov
        assertEquals(w, p.item(), 1e-12, "step " + (step + 1));
      }
    }

    @Test
    void sgdWithoutMomentumIsPlainGradientDescent() {
      Tensor p = Tensor.of(new double[] {1.0}).requiresGrad(true);
      SGD opt = new SGD(List.of(p), 0.5);
      gradient(p, 4);
      opt.step();
      assertEquals(-1.0, p.item(), 1e-12);
    }

    @Test
    void adamFirstStepIsLrTimesSignOfTheGradient() {
      Tensor p = Tensor.of(new double[] {1.0, 1.0, 1.0}).requiresGrad(true);
      Adam opt = new Adam(List.of(p), 0.1);
      gradient(p, 3, -0.5, 1e-3);
      opt.step();
      // m^ = g, v^ = g^2: p -= lr * g / (|g| + 1e-8)
      assertValues(new double[] {1 - 0.1 * 3 / (3 + 1e-8), 1 + 0.1 * 0.5 / (0.5 + 1e-8), 1 - 0.1 * 1e-3 / (1e-3 + 1e-8)},
          p, 1e-12);
      assertValues(new double[] {0.9, 1.1, 0.9}, p, 1e-6);
    }

    @Test
    void adamDefaultsArePyTorchsBetasAndEps() {
      Tensor p = Tensor.of(new double[] {0.5}).requiresGrad(true);
      Adam opt = new Adam(List.of(p), 0.01);
      double w = 0.5;
      double m = 0;
      double v = 0;
      double[] grads = {1, 3, -2};
      for (int t = 1; t <= grads.length; t++) {
        opt.zeroGrad();
        gradient(p, grads[t - 1]);
        opt.step();
        double g = grads[t - 1];                // default weight decay 0
        m = 0.9 * m + 0.1 * g;                  // beta1 = 0.9
        v = 0.999 * v + 0.001 * g * g;          // beta2 = 0.999
        w -= 0.01 * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
        assertEquals(w, p.item(), 1e-12, "step " + t);
      }
    }

    @Test
    void adamWithFluentSettersTwoStepsByHand() {
      Tensor p = Tensor.of(new double[] {1.0}).requiresGrad(true);
      Adam opt = new Adam(List.of(p), 0.01).betas(0.8, 0.9).eps(1e-6).weightDecay(0.1);
      double w = 1;
      double m = 0;
      double v = 0;
      double[] grads = {2, -1};
      for (int t = 1; t <= 2; t++) {
        opt.zeroGrad();
        gradient(p, grads[t - 1]);
        opt.step();
        double g = grads[t - 1] + 0.1 * w;      // L2 weight decay folded into the gradient
        m = 0.8 * m + 0.2 * g;
        v = 0.9 * v + 0.1 * g * g;
        double mHat = m / (1 - Math.pow(0.8, t));
        double vHat = v / (1 - Math.pow(0.9, t));
        w -= 0.01 * mHat / (Math.sqrt(vHat) + 1e-6);
        assertEquals(w, p.item(), 1e-12, "step " + t);
      }
    }

    @Test
    void adamWDecaysTheWeightsDecoupledWithDefault001() {
      Tensor p = Tensor.of(new double[] {2.0}).requiresGrad(true);
      AdamW opt = new AdamW(List.of(p), 0.1);
      gradient(p, 5);
      opt.step();
      // p *= 1 - lr * wd, then p -= lr * sign(g) on the first step
      assertEquals(2.0 * (1 - 0.1 * 0.01) - 0.1 * 5 / (5 + 1e-8), p.item(), 1e-12);

      Tensor q = Tensor.of(new double[] {2.0}).requiresGrad(true);
      AdamW tuned = new AdamW(List.of(q), 0.1).betas(0.5, 0.5).eps(1e-3).weightDecay(0.5);
      gradient(q, 5);
      tuned.step();
      assertEquals(2.0 * (1 - 0.1 * 0.5) - 0.1 * 5 / (5 + 1e-3), q.item(), 1e-12);
      tuned.zeroGrad();
      assertNull(q.grad());
    }

    @Test
    void optimizersTakeAModulesParameters() {
      TwoLayer net = new TwoLayer();
      net.loadStateDict(twoLayerWeights());
      SGD opt = new SGD(net.parameters(), 1.0);
      net.forward(Tensor.of(new float[] {2, 3}, 1, 2)).sum().backward();
      opt.step();
      // fc2.bias had gradient 1: 0.5 - 1
      assertEquals(-0.5, net.fc2.bias.item(), EPS32);
      // fc2.weight -= relu output [2, 3, 0]
      assertValues(new double[] {-1, -1, 3}, net.fc2.weight);
    }
  }

  // ==================================================================== data and io

  @Nested
  class Data {
    private final Tensor xs = Tensor.arange(10).to(DType.FLOAT32).reshape(5, 2);
    private final Tensor ys = Tensor.of(new long[] {0, 1, 2, 3, 4});

    @Test
    void datasetIsAnInterfaceUsersImplement() {
      Dataset<String> names = new Dataset<>() {
        @Override
        public String get(int index) {
          return "item" + index;
        }

        @Override
        public int size() {
          return 3;
        }
      };
      assertEquals(3, names.size());
      assertEquals("item2", names.get(2));
    }

    @Test
    void tensorDatasetRowsAreSamples() {
      TensorDataset ds = new TensorDataset(xs, ys);
      assertEquals(5, ds.size());
      Sample s = ds.get(3);
      assertArrayEquals(new int[] {2}, s.x().shape());
      assertValues(new double[] {6, 7}, s.x(), 0);
      assertEquals(3.0, s.y().item());
      assertEquals(0, s.y().dim());
    }

    @Test
    void dataLoaderBatchesInOrderWithAShortLastBatch() {
      DataLoader loader = new DataLoader(new TensorDataset(xs, ys), 2);
      List<Batch> batches = new ArrayList<>();
      for (Batch b : loader) {
        batches.add(b);
      }
      assertEquals(3, batches.size());
      Batch first = batches.get(0);
      assertArrayEquals(new int[] {2, 2}, first.x().shape());
      assertValues(new double[] {0, 1, 2, 3}, first.x(), 0);
      assertArrayEquals(new long[] {0, 1}, first.y().toLongArray());
      assertArrayEquals(new int[] {1, 2}, batches.get(2).x().shape(), "the last batch holds the remainder");
      assertArrayEquals(new long[] {4}, batches.get(2).y().toLongArray());
    }

    @Test
    void shuffleWithASeedAndDropLast() {
      DataLoader loader = DataLoader.builder(new TensorDataset(xs, ys))
          .batchSize(2).shuffle(true).seed(42).dropLast(true).build();
      List<Long> firstEpoch = labels(loader);
      assertEquals(4, firstEpoch.size(), "drop-last leaves two full batches of 2");
      assertEquals(4, new HashSet<>(firstEpoch).size(), "no sample twice in an epoch");
      for (Batch b : loader) {
        assertEquals(2, b.x().size(0));
        // each row of x is [2y, 2y + 1]: rows and labels stay together through the shuffle
        long[] y = b.y().toLongArray();
        float[] x = b.x().toFloatArray();
        for (int i = 0; i < y.length; i++) {
          assertEquals(2 * y[i], x[2 * i]);
        }
      }
      DataLoader again = DataLoader.builder(new TensorDataset(xs, ys))
          .batchSize(2).shuffle(true).seed(42).dropLast(true).build();
      assertEquals(firstEpoch, labels(again), "the same seed gives the same order");
      List<Long> all = new ArrayList<>();
      for (int seed = 0; seed < 20 && all.isEmpty(); seed++) {
        List<Long> order = labels(DataLoader.builder(new TensorDataset(xs, ys)).batchSize(5).shuffle(true).seed(seed).build());
        if (!order.equals(List.of(0L, 1L, 2L, 3L, 4L))) {
          all = order;
        }
      }
      assertFalse(all.isEmpty(), "shuffling changes the order for some seed");
      assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), new HashSet<>(all));
    }

    private List<Long> labels(DataLoader loader) {
      List<Long> out = new ArrayList<>();
      for (Batch b : loader) {
        for (long y : b.y().toLongArray()) {
          out.add(y);
        }
      }
      return out;
    }
  }

  @Nested
  class Io {
    @Test
    void safeTensorsRoundTripAndLayout(@TempDir Path dir) throws Exception {
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      tensors.put("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
      tensors.put("idx", Tensor.of(new long[] {7, -1, 3}));
      Path file = dir.resolve("t.safetensors");
      SafeTensors.save(tensors, file);

      byte[] bytes = Files.readAllBytes(file);
      long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(8 + headerLen + 4 * 4 + 3 * 8, bytes.length, "8-byte length, JSON header, then the raw data");
      String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
      assertTrue(header.contains("\"F32\"") && header.contains("\"I64\""), header);

      Map<String, Tensor> back = SafeTensors.load(file);
      assertEquals(Set.of("w", "idx"), back.keySet());
      assertEquals(DType.FLOAT32, back.get("w").dtype());
      assertArrayEquals(new int[] {2, 2}, back.get("w").shape());
      assertArrayEquals(new float[] {1, 2, 3, 4}, back.get("w").toFloatArray());
      assertEquals(DType.INT64, back.get("idx").dtype());
      assertArrayEquals(new long[] {7, -1, 3}, back.get("idx").toLongArray());
      assertNotNull(back.get("w"));
    }
  }

  /** DESIGN.md, "Names PyTorch users reach for": the names, their types and PyTorch's semantics. */
  @Nested
  class PyTorchNames {
    @Test
    void sizeNdimAndTheRoundingAndTrigOps() {
      Tensor x = Tensor.of(new double[] {0.5, 1.5, 2.5, -0.5}, 2, 2);
      int[] size = x.size();
      assertArrayEquals(x.shape(), size);
      int ndim = x.ndim();
      assertEquals(2, ndim);
      assertValues(new double[] {0, 2, 2, -0.0}, x.round());   // half to even
      assertValues(new double[] {0, 1, 2, -1}, x.floor());
      assertValues(new double[] {1, 2, 3, -0.0}, x.ceil());
      assertValues(new double[] {Math.sin(0.5), Math.sin(1.5), Math.sin(2.5), Math.sin(-0.5)}, x.sin(), 1e-15);
      assertValues(new double[] {Math.cos(0.5), Math.cos(1.5), Math.cos(2.5), Math.cos(-0.5)}, x.cos(), 1e-15);
    }

    @Test
    void equalAllAnyAndTheInt64Scalar() {
      Tensor a = Tensor.of(new float[] {1, 0});
      boolean same = a.equal(Tensor.of(new float[] {1, 0}));
      assertTrue(same);
      assertFalse(a.equal(Tensor.of(new float[] {1, 0}, 1, 2)));
      Tensor all = a.all();
      Tensor any = a.any();
      assertEquals(DType.BOOL, all.dtype());
      assertEquals(0, all.dim());
      assertEquals(0, all.item());
      assertEquals(1, any.item());
      Tensor label = Tensor.scalar(3L);
      assertEquals(DType.INT64, label.dtype());
      assertEquals(0, label.dim());
    }

    @Test
    void noGradTakesASupplierOrARunnable() {
      Tensor w = Tensor.ones(2).requiresGrad(true);
      Tensor y = Autograd.noGrad(() -> w.mul(3));
      assertFalse(y.requiresGrad());
      boolean[] ran = {false};
      Autograd.noGrad(() -> { ran[0] = true; });
      assertTrue(ran[0]);
      assertTrue(w.mul(3).requiresGrad(), "grad mode is back on after the lambdas");
    }

    static class Plain extends Module {
      Linear fc1 = new Linear(2, 3);        // no @Layer
      private final Linear fc2 = new Linear(3, 1);

      @Override
      public Tensor forward(Tensor x) {
        return fc2.forward(fc1.forward(x));
      }
    }

    @Test
    void everyModuleFieldIsAChildWithOrWithoutLayer() {
      Plain m = new Plain();
      assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(m.namedParameters().keySet()));
      assertEquals(4, m.parameters().size());
    }
  }
}

package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.flint.dsl.Layer;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Models written as users write them: @Layer fields and a forward method. */
class ModelTest {
  static class Mlp extends Module {
    @Layer Linear fc1 = new Linear(117, 64);
    @Layer ReLU act = new ReLU();
    @Layer Dropout drop = new Dropout(0.2);
    @Layer Linear fc2 = new Linear(64, 1);

    @Override
    public Tensor forward(Tensor x) {
      return fc2.forward(drop.forward(act.forward(fc1.forward(x))));
    }
  }

  static class ConvNet extends Module {
    @Layer Sequential features = new Sequential(
        new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2));
    @Layer Flatten flatten = new Flatten();
    @Layer Sequential head = new Sequential(new Linear(4 * 4 * 4, 8), new BatchNorm1d(8), new GELU(),
        new Linear(8, 3), new LogSoftmax(1));

    @Override
    public Tensor forward(Tensor x) {
      return head.forward(flatten.forward(features.forward(x)));
    }
  }

  @Test
  void printsLikePyTorch() {
    assertEquals("Mlp(\n"
        + "  (fc1): Linear(in_features=117, out_features=64, bias=True)\n"
        + "  (act): ReLU()\n"
        + "  (drop): Dropout(p=0.2, inplace=False)\n"
        + "  (fc2): Linear(in_features=64, out_features=1, bias=True)\n"
        + ")", new Mlp().toString());
    assertEquals("ConvNet(\n"
        + "  (features): Sequential(\n"
        + "    (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"
        + "    (1): BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
        + "    (2): ReLU()\n"
        + "    (3): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
        + "  )\n"
        + "  (flatten): Flatten(start_dim=1, end_dim=-1)\n"
        + "  (head): Sequential(\n"
        + "    (0): Linear(in_features=64, out_features=8, bias=True)\n"
        + "    (1): BatchNorm1d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
        + "    (2): GELU(approximate='none')\n"
        + "    (3): Linear(in_features=8, out_features=3, bias=True)\n"
        + "    (4): LogSoftmax(dim=1)\n"
        + "  )\n"
        + ")", new ConvNet().toString());
  }

  @Test
  void namesAndCounts() {
    ConvNet net = new ConvNet();
    assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
        "head.0.weight", "head.0.bias", "head.1.weight", "head.1.bias", "head.3.weight", "head.3.bias"),
        List.copyOf(net.namedParameters().keySet()));
    assertEquals(List.of("features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
        "head.1.running_mean", "head.1.running_var", "head.1.num_batches_tracked"),
        List.copyOf(net.namedBuffers().keySet()));
    assertEquals(4 * 9 + 4 + 4 + 4 + 64 * 8 + 8 + 8 + 8 + 8 * 3 + 3, net.numParameters());
    assertEquals(117 * 64 + 64 + 64 + 1, new Mlp().numParameters());
  }

  @Test
  void evalTurnsOffDropoutAndUsesRunningStatistics() {
    Generator.seedAll(5);
    Mlp mlp = new Mlp();
    Tensor x = Tensor.ones(8, 117);
    Tensor a = mlp.forward(x);
    Tensor b = mlp.forward(x);
    assertFalse(java.util.Arrays.equals(a.toFloatArray(), b.toFloatArray()), "dropout is random in training");
    mlp.eval();
    assertFalse(mlp.drop.isTraining());
    float[] e1 = mlp.forward(x).toFloatArray();
    assertArrayEquals(e1, mlp.forward(x).toFloatArray());
    // In eval the model equals the same layers without dropout.
    assertArrayEquals(mlp.fc2.forward(F.relu(mlp.fc1.forward(x))).toFloatArray(), e1);

    ConvNet net = new ConvNet();
    Tensor img = Conv2dTest.random(new Generator(2), DType.FLOAT32, 6, 1, 8, 8);
    net.forward(img);
    BatchNorm2d bn = (BatchNorm2d) net.features.get(1);
    float[] running = bn.runningMean.toFloatArray();
    net.eval();
    Tensor single = img.reshape(6, 1, 8, 8);
    float[] y1 = net.forward(single).toFloatArray();
    assertArrayEquals(y1, net.forward(single).toFloatArray(), "eval is deterministic");
    assertArrayEquals(running, bn.runningMean.toFloatArray(), "eval does not move running statistics");
    assertEquals(1, bn.numBatchesTracked.getLong());
  }

  @Test
  void trainingStepReachesEveryParameterAndZeroGradClears() {
    Generator.seedAll(8);
    ConvNet net = new ConvNet();
    Tensor img = Conv2dTest.random(new Generator(4), DType.FLOAT32, 5, 1, 8, 8);
    Tensor loss = net.forward(img).sum();
    loss.backward();
    for (var e : net.namedParameters().entrySet()) {
      assertNotNull(e.getValue().grad(), e.getKey());
      assertArrayEquals(e.getValue().shape(), e.getValue().grad().shape(), e.getKey());
    }
    net.zeroGrad();
    for (Tensor p : net.parameters()) {
      assertNull(p.grad());
    }
  }

  @Test
  void toFloat64KeepsParametersAndRuns() {
    Mlp mlp = new Mlp();
    List<Tensor> before = mlp.parameters();
    mlp.to(DType.FLOAT64).eval();
    List<Tensor> after = mlp.parameters();
    for (int i = 0; i < before.size(); i++) {
      assertSame(before.get(i), after.get(i));
      assertEquals(DType.FLOAT64, after.get(i).dtype());
    }
    Tensor y = mlp.forward(Tensor.ones(DType.FLOAT64, 2, 117));
    assertEquals(DType.FLOAT64, y.dtype());
    assertArrayEquals(new int[] {2, 1}, y.shape());
  }
}

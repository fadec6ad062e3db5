package dev.flint.nn;

import static dev.flint.nn.PyTorchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Conv1dTest {
  @Test
  void pytorchStateDictLoadsAndGivesPyTorchsOutputAndGradients() {
    Conv1d conv = new Conv1d(3, 4, 3, 2, 1);
    PyTorchFixtures.loadInto(conv, "conv1d");
    Map<String, Tensor> io = PyTorchFixtures.io("conv1d");
    Tensor x = io.get("in.x").requiresGrad(true);
    Tensor y = conv.forward(x);
    assertClose(io.get("out.y"), y, 1e-5, "y");
    PyTorchFixtures.loss(io, Map.of("y", y)).backward();
    assertClose(io.get("grad.x"), x.grad(), 1e-5, "grad x");
    PyTorchFixtures.assertParameterGrads(conv, io, 1e-5, List.of("weight", "bias"));
  }

  @Test
  void matchesAHandLoopAndFiniteDifferences() {
    Tensor x = Tensor.randn(2, 2, 6).to(dev.flint.tensor.DType.FLOAT64);
    Tensor w = Tensor.randn(3, 2, 2).to(dev.flint.tensor.DType.FLOAT64);
    Tensor b = Tensor.randn(3).to(dev.flint.tensor.DType.FLOAT64);
    Tensor y = F.conv1d(x, w, b, 2, 1);   // L_out = (6 + 2 - 2) / 2 + 1 = 4
    assertArrayEquals(new int[] {2, 3, 4}, y.shape());
    for (int n = 0; n < 2; n++) {
      for (int o = 0; o < 3; o++) {
        for (int l = 0; l < 4; l++) {
          double s = b.get(o);
          for (int c = 0; c < 2; c++) {
            for (int k = 0; k < 2; k++) {
              int at = l * 2 - 1 + k;
              s += at < 0 || at >= 6 ? 0 : x.get(n, c, at) * w.get(o, c, k);
            }
          }
          assertEquals(s, y.get(n, o, l), 1e-12);
        }
      }
    }
    GradCheck.check(in -> F.conv1d(in[0], in[1], in[2], 2, 1), x, w, b);
    assertArrayEquals(new int[] {3, 4}, F.conv1d(x.select(0, 0), w, b, 2, 1).shape());   // unbatched
  }

  @Test
  void initAndReprAndErrorsFollowPyTorch() {
    Conv1d conv = new Conv1d(4, 2, 5);
    double bound = 1 / Math.sqrt(4 * 5);
    for (float v : conv.weight.toFloatArray()) {
      assertTrue(Math.abs(v) <= bound);
    }
    assertArrayEquals(new int[] {2, 4, 5}, conv.weight.shape());
    assertEquals("Conv1d(4, 2, kernel_size=(5,), stride=(1,))", conv.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.forward(Tensor.zeros(1, 3, 8)));
    assertTrue(e.getMessage().contains("4 channels") && e.getMessage().contains("[1, 3, 8]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(1, 4, 3)));
  }
}

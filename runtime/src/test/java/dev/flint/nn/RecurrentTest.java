package dev.flint.nn;

import static dev.flint.nn.PyTorchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * LSTM and GRU against PyTorch's own numbers (fixtures), against reference step loops written from PyTorch's
 * documented equations with op-table tensors, and against finite differences for every gradient.
 */
class RecurrentTest {
  private static final List<String> KEYS = List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
      "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1");

  @Test
  void lstmLoadsAPyTorchStateDictAndGivesItsOutputsAndGradients() {
    LSTM lstm = new LSTM(3, 5, 2);
    assertEquals(KEYS, new ArrayList<>(lstm.stateDict().keySet()));
    PyTorchFixtures.loadInto(lstm, "lstm");
    Map<String, Tensor> io = PyTorchFixtures.io("lstm");
    Tensor x = io.get("in.x").requiresGrad(true);
    Tensor h0 = io.get("in.h0").requiresGrad(true);
    Tensor c0 = io.get("in.c0").requiresGrad(true);
    LSTM.Output out = lstm.forward(x, h0, c0);
    Map<String, Tensor> outs = new LinkedHashMap<>();
    outs.put("y", out.output());
    outs.put("hn", out.hn());
    outs.put("cn", out.cn());
    outs.put("y_zero", lstm.forward(x));
    outs.forEach((n, t) -> assertClose(io.get("out." + n), t, 1e-5, n));
    PyTorchFixtures.loss(io, outs).backward();
    assertClose(io.get("grad.x"), x.grad(), 1e-5, "grad x");
    assertClose(io.get("grad.h0"), h0.grad(), 1e-5, "grad h0");
    assertClose(io.get("grad.c0"), c0.grad(), 1e-5, "grad c0");
    PyTorchFixtures.assertParameterGrads(lstm, io, 1e-5, KEYS);
  }

  @Test
  void gruLoadsAPyTorchStateDictAndGivesItsOutputsAndGradients() {
    GRU gru = new GRU(3, 5, 2);
    assertEquals(KEYS, new ArrayList<>(gru.stateDict().keySet()));
    PyTorchFixtures.loadInto(gru, "gru");
    Map<String, Tensor> io = PyTorchFixtures.io("gru");
    Tensor x = io.get("in.x").requiresGrad(true);
    Tensor h0 = io.get("in.h0").requiresGrad(true);
    GRU.Output out = gru.forward(x, h0);
    Map<String, Tensor> outs = new LinkedHashMap<>();
    outs.put("y", out.output());
    outs.put("hn", out.hn());
    outs.put("y_zero", gru.forward(x));
    outs.forEach((n, t) -> assertClose(io.get("out." + n), t, 1e-5, n));
    PyTorchFixtures.loss(io, outs).backward();
    assertClose(io.get("grad.x"), x.grad(), 1e-5, "grad x");
    assertClose(io.get("grad.h0"), h0.grad(), 1e-5, "grad h0");
    PyTorchFixtures.assertParameterGrads(gru, io, 1e-5, KEYS);
  }

  /** PyTorch's LSTM equations step by step with op-table tensors: [output, hn, cn]. */
  static Tensor[] lstmReference(LSTM m, Tensor x, Tensor h0, Tensor c0) {
    Map<String, Tensor> p = m.namedParameters();
    int hs = m.hiddenSize();
    Tensor in = x;
    List<Tensor> hn = new ArrayList<>();
    List<Tensor> cn = new ArrayList<>();
    for (int k = 0; k < m.numLayers(); k++) {
      Tensor h = h0.select(0, k);
      Tensor c = c0.select(0, k);
      List<Tensor> ys = new ArrayList<>();
      for (int t = 0; t < x.size(1); t++) {
        Tensor a = in.select(1, t).matmul(p.get("weight_ih_l" + k).t()).add(p.get("bias_ih_l" + k))
            .add(h.matmul(p.get("weight_hh_l" + k).t())).add(p.get("bias_hh_l" + k));
        Tensor i = a.narrow(1, 0, hs).sigmoid();
        Tensor f = a.narrow(1, hs, hs).sigmoid();
        Tensor g = a.narrow(1, 2 * hs, hs).tanh();
        Tensor o = a.narrow(1, 3 * hs, hs).sigmoid();
        c = f.mul(c).add(i.mul(g));
        h = o.mul(c.tanh());
        ys.add(h);
      }
      in = Tensor.stack(1, ys);
      hn.add(h);
      cn.add(c);
    }
    return new Tensor[] {in, Tensor.stack(0, hn), Tensor.stack(0, cn)};
  }

  /** PyTorch's GRU equations step by step: [output, hn]. */
  static Tensor[] gruReference(GRU m, Tensor x, Tensor h0) {
    Map<String, Tensor> p = m.namedParameters();
    int hs = m.hiddenSize();
    Tensor in = x;
    List<Tensor> hn = new ArrayList<>();
    for (int k = 0; k < m.numLayers(); k++) {
      Tensor h = h0.select(0, k);
      List<Tensor> ys = new ArrayList<>();
      for (int t = 0; t < x.size(1); t++) {
        Tensor gi = in.select(1, t).matmul(p.get("weight_ih_l" + k).t()).add(p.get("bias_ih_l" + k));
        Tensor gh = h.matmul(p.get("weight_hh_l" + k).t()).add(p.get("bias_hh_l" + k));
        Tensor r = gi.narrow(1, 0, hs).add(gh.narrow(1, 0, hs)).sigmoid();
        Tensor z = gi.narrow(1, hs, hs).add(gh.narrow(1, hs, hs)).sigmoid();
        Tensor n = gi.narrow(1, 2 * hs, hs).add(r.mul(gh.narrow(1, 2 * hs, hs))).tanh();
        h = z.neg().add(1).mul(n).add(z.mul(h));
        ys.add(h);
      }
      in = Tensor.stack(1, ys);
      hn.add(h);
    }
    return new Tensor[] {in, Tensor.stack(0, hn)};
  }

  private static Tensor randn(int... shape) {
    return Tensor.randn(shape).to(DType.FLOAT64);
  }

  @Test
  void lstmMatchesTheReferenceLoopAndFiniteDifferences() {
    Generator.seedAll(3);
    LSTM m = new LSTM(3, 4, 2);
    m.to(DType.FLOAT64);
    Tensor x = randn(2, 5, 3);
    Tensor h0 = randn(2, 2, 4);
    Tensor c0 = randn(2, 2, 4);
    LSTM.Output out = m.forward(x, h0, c0);
    Tensor[] ref = lstmReference(m, x, h0, c0);
    assertClose(ref[0], out.output(), 1e-12, "output");
    assertClose(ref[1], out.hn(), 1e-12, "hn");
    assertClose(ref[2], out.cn(), 1e-12, "cn");
    GradCheck.checkEach(in -> {
      LSTM.Output o = m.forward(in[0], in[1], in[2]);
      return Tensor.cat(1, o.output().flatten(1), o.hn().permute(1, 0, 2).flatten(1), o.cn().permute(1, 0, 2).flatten(1));
    }, x, h0, c0);
    checkParameterGradients(m, () -> {
      LSTM.Output o = m.forward(x, h0, c0);
      return o.output().sum().add(o.cn().mul(o.cn()).sum());
    });
    // unbatched: [T, in] with states [L, H]
    LSTM.Output single = m.forward(x.select(0, 1), h0.select(1, 1), c0.select(1, 1));
    assertClose(out.output().select(0, 1), single.output(), 1e-12, "unbatched output");
    assertClose(out.cn().select(1, 1), single.cn(), 1e-12, "unbatched cn");
  }

  @Test
  void gruMatchesTheReferenceLoopAndFiniteDifferences() {
    Generator.seedAll(4);
    GRU m = new GRU(3, 4, 2);
    m.to(DType.FLOAT64);
    Tensor x = randn(2, 5, 3);
    Tensor h0 = randn(2, 2, 4);
    GRU.Output out = m.forward(x, h0);
    Tensor[] ref = gruReference(m, x, h0);
    assertClose(ref[0], out.output(), 1e-12, "output");
    assertClose(ref[1], out.hn(), 1e-12, "hn");
    GradCheck.checkEach(in -> {
      GRU.Output o = m.forward(in[0], in[1]);
      return Tensor.cat(1, o.output().flatten(1), o.hn().permute(1, 0, 2).flatten(1));
    }, x, h0);
    checkParameterGradients(m, () -> {
      GRU.Output o = m.forward(x, h0);
      return o.output().mul(o.output()).sum().add(o.hn().sum());
    });
    assertClose(out.output().select(0, 0), m.forward(x.select(0, 0), h0.select(1, 0)).output(), 1e-12, "unbatched");
  }

  /** Every parameter element's gradient against a central difference of {@code loss} (FLOAT64). */
  private static void checkParameterGradients(Module m, Supplier<Tensor> loss) {
    m.zeroGrad();
    loss.get().backward();
    double eps = 1e-6;
    for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
      Tensor p = e.getValue();
      double[] grad = p.grad().toDoubleArray();
      double[] values = p.storage().doubles();
      for (int i = 0; i < values.length; i++) {
        double keep = values[i];
        values[i] = keep + eps;
        double up = dev.flint.autograd.Autograd.noGrad(() -> loss.get().item());
        values[i] = keep - eps;
        double down = dev.flint.autograd.Autograd.noGrad(() -> loss.get().item());
        values[i] = keep;
        double fd = (up - down) / (2 * eps);
        assertEquals(fd, grad[i], 1e-6 * (1 + Math.abs(fd)), e.getKey() + "[" + i + "]");
      }
    }
  }

  @Test
  void initShapesAndErrorsFollowPyTorch() {
    LSTM lstm = new LSTM(3, 4, 1);
    assertArrayEquals(new int[] {16, 3}, lstm.namedParameters().get("weight_ih_l0").shape());
    assertArrayEquals(new int[] {16, 4}, lstm.namedParameters().get("weight_hh_l0").shape());
    for (Tensor p : lstm.parameters()) {
      for (float v : p.toFloatArray()) {
        assertTrue(Math.abs(v) <= 0.5);   // 1/√4
      }
    }
    GRU gru = new GRU(3, 4);
    assertArrayEquals(new int[] {12, 4}, gru.namedParameters().get("weight_hh_l0").shape());
    assertEquals("LSTM(3, 4, batch_first=True)", lstm.toString());
    assertArrayEquals(new int[] {2, 7, 4}, lstm.forward(Tensor.randn(2, 7, 3)).shape());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> lstm.forward(Tensor.randn(2, 7, 5)));
    assertTrue(bad.getMessage().contains("[B, T, 3]") && bad.getMessage().contains("[2, 7, 5]"), bad.getMessage());
    IllegalArgumentException state = assertThrows(IllegalArgumentException.class,
        () -> gru.forward(Tensor.randn(2, 7, 3), Tensor.zeros(2, 2, 4)));
    assertTrue(state.getMessage().contains("[1, 2, 4]"), state.getMessage());
  }
}

package dev.flint.nn;

import static dev.flint.nn.PyTorchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiheadAttentionTest {
  @Test
  void pytorchStateDictLoadsAndGivesPyTorchsOutputsAndGradients() {
    MultiheadAttention mha = new MultiheadAttention(8, 2);
    assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
        new ArrayList<>(mha.stateDict().keySet()));
    PyTorchFixtures.loadInto(mha, "mha");
    Map<String, Tensor> io = PyTorchFixtures.io("mha");
    Tensor x = io.get("in.x").requiresGrad(true);
    Tensor kv = io.get("in.kv").requiresGrad(true);
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("self", mha.forward(x));
    out.put("cross", mha.forward(x, kv, kv, io.get("in.mask")));   // BOOL: true = may not attend
    out.put("causal", mha.forward(x, x, x, true));
    for (Map.Entry<String, Tensor> e : out.entrySet()) {
      assertClose(io.get("out." + e.getKey()), e.getValue(), 1e-5, e.getKey());
    }
    PyTorchFixtures.loss(io, out).backward();
    assertClose(io.get("grad.x"), x.grad(), 1e-4, "grad x");
    assertClose(io.get("grad.kv"), kv.grad(), 1e-4, "grad kv");
    PyTorchFixtures.assertParameterGrads(mha, io, 1e-4,
        List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"));
  }

  /** PyTorch's documented computation, head by head, with explicit softmax (the reference loop). */
  private static Tensor reference(MultiheadAttention m, Tensor q, Tensor k, Tensor v, Tensor blocked) {
    int e = m.embedDim();
    int hd = e / m.numHeads();
    Tensor w = m.inProjWeight;
    Tensor b = m.inProjBias;
    Tensor qp = q.matmul(w.narrow(0, 0, e).t()).add(b.narrow(0, 0, e));
    Tensor kp = k.matmul(w.narrow(0, e, e).t()).add(b.narrow(0, e, e));
    Tensor vp = v.matmul(w.narrow(0, 2 * e, e).t()).add(b.narrow(0, 2 * e, e));
    List<Tensor> heads = new ArrayList<>();
    for (int h = 0; h < m.numHeads(); h++) {
      Tensor scores = qp.narrow(-1, h * hd, hd).matmul(kp.narrow(-1, h * hd, hd).transpose(-2, -1))
          .mul(1 / Math.sqrt(hd));
      if (blocked != null) {
        scores = scores.maskedFill(blocked, Double.NEGATIVE_INFINITY);
      }
      heads.add(scores.softmax(-1).matmul(vp.narrow(-1, h * hd, hd)));
    }
    return Tensor.cat(-1, heads).matmul(m.outProj.weight.t()).add(m.outProj.bias);
  }

  @Test
  void matchesTheReferenceLoopAndFiniteDifferencesInFloat64() {
    MultiheadAttention m = new MultiheadAttention(6, 3);
    m.to(DType.FLOAT64);
    Tensor bias = m.outProj.bias;
    m.outProj.bias.storage().fill(bias.offset(), bias.offset() + 6, 0.1);   // non-zero to exercise it
    Tensor x = Tensor.randn(2, 4, 6).to(DType.FLOAT64);
    Tensor kv = Tensor.randn(2, 5, 6).to(DType.FLOAT64);
    Tensor blocked = Tensor.of(new boolean[] {false, true, true, false, false, false, false, false, true, true,
        true, false, false, false, true, false, false, true, false, false}, 4, 5);
    assertClose(reference(m, x, x, x, null), m.forward(x), 1e-12, "self");
    assertClose(reference(m, x, kv, kv, blocked), m.forward(x, kv, kv, blocked), 1e-12, "masked");
    Tensor causalBlock = Tensor.ones(DType.BOOL, 4, 4).triu(1);
    assertClose(reference(m, x, x, x, causalBlock), m.forward(x, x, x, true), 1e-12, "causal");
    assertClose(m.forward(x, x, x, causalBlock), m.forward(x, x, x, true), 1e-12, "bool mask = causal");
    Tensor floatMask = Tensor.zeros(DType.FLOAT64, 4, 5).maskedFill(blocked, Double.NEGATIVE_INFINITY);
    assertClose(m.forward(x, kv, kv, blocked), m.forward(x, kv, kv, floatMask), 1e-12, "float mask");
    Tensor perHead = blocked.unsqueeze(0).expand(6, 4, 5).contiguous();   // [B*H, T, S]
    assertClose(m.forward(x, kv, kv, blocked), m.forward(x, kv, kv, perHead), 1e-12, "[B*H, T, S] mask");
    assertArrayEquals(new int[] {4, 6}, m.forward(x.select(0, 0)).shape());   // unbatched
    GradCheck.check(in -> m.forward(in[0], in[1], in[1], blocked), x, kv);
    // parameter gradients against the reference loop's (a composition of op-table rows)
    Tensor cot = Tensor.randn(2, 4, 6).to(DType.FLOAT64);
    m.zeroGrad();   // GradCheck's backward passes reached the parameters too
    m.forward(x, kv, kv, blocked).mul(cot).sum().backward();
    Map<String, double[]> fused = new LinkedHashMap<>();
    m.namedParameters().forEach((n, p) -> fused.put(n, p.grad().toDoubleArray()));
    m.zeroGrad();
    reference(m, x, kv, kv, blocked).mul(cot).sum().backward();
    m.namedParameters().forEach((n, p) -> assertArrayEquals(p.grad().toDoubleArray(), fused.get(n), 1e-12, n));
  }

  /**
   * PyTorch's key_padding_mask [B, S] is the per-batch attention mask [B·heads, T, S] that repeats it for every
   * head and query; with an attnMask too, the two add (BOOL true = may not attend in both).
   */
  @Test
  void aKeyPaddingMaskIsTheBatchMaskThatRepeatsItForEachHeadAndQuery() {
    MultiheadAttention m = new MultiheadAttention(6, 3);
    m.to(DType.FLOAT64);
    int b = 2;
    int t = 4;
    Tensor x = Tensor.randn(b, t, 6).to(DType.FLOAT64);
    boolean[] pad = {false, true, false, false, false, false, false, true};
    boolean[] causal = new boolean[t * t];
    boolean[] both = new boolean[b * 3 * t * t];
    boolean[] onlyPad = new boolean[b * 3 * t * t];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < t; j++) {
        causal[i * t + j] = j > i;
        for (int n = 0; n < b * 3; n++) {
          onlyPad[(n * t + i) * t + j] = pad[(n / 3) * t + j];
          both[(n * t + i) * t + j] = pad[(n / 3) * t + j] || j > i;
        }
      }
    }
    Tensor keyPadding = Tensor.of(pad).reshape(b, t);
    Tensor attnMask = Tensor.of(causal).reshape(t, t);
    assertArrayEquals(m.forward(x, x, x, Tensor.of(onlyPad).reshape(b * 3, t, t)).toDoubleArray(),
        m.forward(x, x, x, keyPadding, null).toDoubleArray(), 1e-12);
    assertArrayEquals(m.forward(x, x, x, Tensor.of(both).reshape(b * 3, t, t)).toDoubleArray(),
        m.forward(x, x, x, keyPadding, attnMask).toDoubleArray(), 1e-12);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, attnMask, null));
    assertTrue(bad.getMessage().contains("keyPaddingMask must be [B, S] = [2, 4]"), bad.getMessage());
  }

  @Test
  void initAndErrorsFollowPyTorch() {
    MultiheadAttention m = new MultiheadAttention(8, 4);
    double bound = Math.sqrt(6.0 / (24 + 8));
    for (float w : m.inProjWeight.toFloatArray()) {
      assertTrue(Math.abs(w) <= bound);
    }
    assertArrayEquals(new float[24], m.inProjBias.toFloatArray());
    assertArrayEquals(new float[8], m.outProj.bias.toFloatArray());
    IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4));
    assertTrue(heads.getMessage().contains("divisible"), heads.getMessage());
    IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
        () -> m.forward(Tensor.zeros(2, 3, 8), Tensor.zeros(2, 3, 8), Tensor.zeros(2, 3, 8),
            Tensor.ones(DType.BOOL, 3, 4)));
    assertTrue(mask.getMessage().contains("[3, 3]") && mask.getMessage().contains("[3, 4]"), mask.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(2, 3, 7)));
  }
}

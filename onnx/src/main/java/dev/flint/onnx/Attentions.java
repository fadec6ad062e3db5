package dev.flint.onnx;

import dev.flint.compiled.ForwardGraph.Elem;
import dev.flint.compiled.ForwardGraph.Node;
import dev.flint.ops.Attrs;
import java.util.ArrayList;
import java.util.List;

/**
 * The fused attention row ({@code ATTENTION}, see {@code kernel.AttentionRows}) as the arithmetic that the
 * composition exported before: {@code MatMul(q, kᵀ)}, {@code Mul} by the scale, {@code Add} of the causal mask
 * (when causal), {@code Softmax} and {@code MatMul} with v; then the row's packed result, the output with
 * each query row's log-sum-exp of its scores ({@code ReduceLogSumExp}) as one more column ({@code Concat}),
 * so the narrow that reads the output columns exports unchanged.
 */
final class Attentions {
  private Attentions() {}

  static void attention(GraphTranslation t, Node n) {
    Elem elem = n.output().elem();
    String q = t.input(n, 0, elem);
    String k = t.input(n, 1, elem);
    String v = t.input(n, 2, elem);
    List<String> qd = t.dims(q);
    List<String> kd = t.dims(k);
    int rank = qd.size();
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    List<String> kt = new ArrayList<>(kd);
    kt.set(rank - 2, kd.get(rank - 1));
    kt.set(rank - 1, kd.get(rank - 2));
    String keysT = t.temp("keys_t", "Transpose", List.of(k), elem, kt, OnnxProto.intsAttr("perm", perm));
    List<String> scoreDims = new ArrayList<>(qd);
    scoreDims.set(rank - 1, kd.get(rank - 2));
    String products = t.temp("products", "MatMul", List.of(q, keysT), elem, scoreDims);
    double scale = ((Number) n.attr(Attrs.SCALE)).doubleValue();
    String scores = t.temp("scores", "Mul", List.of(products, t.scalar("scale", scale, elem)), elem, scoreDims);
    if (Boolean.TRUE.equals(n.attr(Attrs.CAUSAL))) {
      scores = t.temp("masked", "Add", List.of(scores, causalMask(t, scoreDims.subList(rank - 2, rank), elem)), elem,
          scoreDims);
    }
    String weights = t.temp("weights", "Softmax", List.of(scores), elem, scoreDims,
        OnnxProto.intAttr("axis", rank - 1));
    String out = t.temp("attended", "MatMul", List.of(weights, v), elem, qd);
    List<String> lseDims = new ArrayList<>(qd);
    lseDims.set(rank - 1, "1");
    String lse = t.temp("lse", "ReduceLogSumExp", List.of(scores), elem, lseDims,
        OnnxProto.intsAttr("axes", rank - 1), OnnxProto.intAttr("keepdims", 1));
    t.add("Concat", List.of(out, lse), n.output().name(), OnnxProto.intAttr("axis", rank - 1));
  }

  /** 0 on and below the diagonal of {@code [T, S]} (top-left aligned), −∞ above, as {@code LayerKernels.causalMask}. */
  private static String causalMask(GraphTranslation t, List<String> dims, Elem elem) {
    List<SizeExpr> shape = dims.stream().map(SizeExpr::parse).toList();
    String ones = t.temp("ones", "ConstantOfShape", List.of(t.concatSizes(shape)), Elem.INT64, dims,
        OnnxProto.tensorAttr("value", OnnxProto.tensor("one", OnnxProto.INT64, new long[] {1},
            new byte[] {1, 0, 0, 0, 0, 0, 0, 0})));
    String above = t.temp("above", "Trilu", List.of(ones, t.scalar("k", 1, Elem.INT64)), Elem.INT64, dims,
        OnnxProto.intAttr("upper", 1));
    return t.temp("causal", "Where", List.of(t.as(above, Elem.BOOL), t.scalar("minus_inf", Double.NEGATIVE_INFINITY, elem),
        t.scalar("zero", 0, elem)), elem, dims);
  }
}

package dev.flint.processor.lower;

import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering.Described;
import java.util.List;

/**
 * Batch norm and layer norm in op-table rows, step for step as {@code F.batchNorm} and
 * {@code F.layerNorm} compute them, with the running-statistics update as a side effect.
 */
final class Norms {
  private Norms() {}

  static Value batchNorm(Lowering low, boolean twoD, int c, double eps, double momentum, String access, String state,
      Described in, SourceRef at, String label) {
    Value x = in.value();
    int[] s = x.type().shape();
    boolean rankOk = twoD ? s.length == 4 : s.length == 2 || s.length == 3;
    if (!rankOk || s[1] != c) {
      String expected = twoD ? "input [B, " + c + ", H, W]" : "input [B, " + c + "] or [B, " + c + ", L]";
      throw low.abort(Message.SHAPE_MISMATCH, at, label, expected, in.name(), in.shape(), in.from());
    }
    Dim l = Dim.constant(1);
    for (int i = 2; i < s.length; i++) {
      l = l.times(x.type().dim(i));
    }
    String h = Lowering.hint(state);
    Value x3 = reshape(low, x, new int[] {s[0], c, l.code()}, at);
    Value normalized;
    if (low.training()) {
      Value mean = mean(low, mean(low, x3, 2, at), 0, at);
      Value centered = low.op(Op.SUB, List.of(x3, mean), Attrs.NONE, at, List.of(in.name(), "the mean"));
      Value squares = low.op(Op.MUL, List.of(centered, centered), Attrs.NONE, at, List.of("x", "x"));
      Value var = mean(low, mean(low, squares, 2, at), 0, at);
      normalized = low.op(Op.DIV, List.of(centered, std(low, var, eps, at)), Attrs.NONE, at, List.of("x", "std"));
      String count = x.type().dim(0).times(l).java();
      low.graph.effect("updateRunningStats(" + access + ".runningMean, " + access + ".runningVar, %s, %s, "
          + momentum + ", " + count + ");", List.of(mean, var), at);
      low.graph.effect("countBatch(" + access + ".numBatchesTracked);", List.of(), at);
    } else {
      Value rm = low.state(Leaf.Role.BUFFER, access + ".runningMean", TensorType.floating(c), h + "RunningMean",
          state + ".running_mean");
      Value rv = low.state(Leaf.Role.BUFFER, access + ".runningVar", TensorType.floating(c), h + "RunningVar",
          state + ".running_var");
      Value centered = low.op(Op.SUB, List.of(x3, reshape(low, rm, new int[] {1, c, 1}, at)), Attrs.NONE, at,
          List.of(in.name(), "running_mean"));
      normalized = low.op(Op.DIV, List.of(centered, std(low, reshape(low, rv, new int[] {1, c, 1}, at), eps, at)),
          Attrs.NONE, at, List.of("x", "std"));
    }
    Value w = low.state(Leaf.Role.PARAM, access + ".weight", TensorType.floating(c), h + "Weight", state + ".weight");
    Value b = low.state(Leaf.Role.PARAM, access + ".bias", TensorType.floating(c), h + "Bias", state + ".bias");
    Value scaled = low.op(Op.MUL, List.of(normalized, reshape(low, w, new int[] {1, c, 1}, at)), Attrs.NONE, at,
        List.of("x", "weight"));
    Value shifted = low.op(Op.ADD, List.of(scaled, reshape(low, b, new int[] {1, c, 1}, at)), Attrs.NONE, at,
        List.of("x", "bias"));
    return low.op(Op.RESHAPE, List.of(shifted), Attrs.of(Attrs.SHAPE, s), at, List.of("x"), state + ": " + label(label));
  }

  static Value layerNorm(Lowering low, int[] normalized, double eps, String access, String state, Described in,
      SourceRef at, String label) {
    Value x = in.value();
    int[] s = x.type().shape();
    int k = normalized.length;
    boolean fits = s.length >= k;
    for (int i = 0; fits && i < k; i++) {
      fits = s[s.length - k + i] == normalized[i];
    }
    if (!fits) {
      throw low.abort(Message.SHAPE_MISMATCH, at, label, "trailing dims " + java.util.Arrays.toString(normalized),
          in.name(), in.shape(), in.from());
    }
    int[] flat = java.util.Arrays.copyOf(s, s.length - k + 1);
    int m = 1;
    for (int d : normalized) {
      m *= d;
    }
    flat[flat.length - 1] = m;
    Value xf = reshape(low, x, flat, at);
    int last = flat.length - 1;
    Value centered = low.op(Op.SUB, List.of(xf, mean(low, xf, last, at)), Attrs.NONE, at, List.of(in.name(), "the mean"));
    Value var = mean(low, low.op(Op.MUL, List.of(centered, centered), Attrs.NONE, at, List.of("x", "x")), last, at);
    Value y = reshape(low, low.op(Op.DIV, List.of(centered, std(low, var, eps, at)), Attrs.NONE, at, List.of("x", "std")), s, at);
    String h = Lowering.hint(state);
    Value w = low.state(Leaf.Role.PARAM, access + ".weight", TensorType.floating(normalized), h + "Weight", state + ".weight");
    Value b = low.state(Leaf.Role.PARAM, access + ".bias", TensorType.floating(normalized), h + "Bias", state + ".bias");
    Value scaled = low.op(Op.MUL, List.of(y, w), Attrs.NONE, at, List.of("x", "weight"));
    return low.op(Op.ADD, List.of(scaled, b), Attrs.NONE, at, List.of("x", "bias"), state + ": " + label(label));
  }

  private static String label(String label) {
    int open = label.indexOf('(');
    return open >= 0 ? label.substring(open + 1, label.length() - 1) : label;
  }

  private static Value reshape(Lowering low, Value x, int[] shape, SourceRef at) {
    return low.op(Op.RESHAPE, x, Attrs.of(Attrs.SHAPE, shape), at);
  }

  /** {@code x.mean(dim, true)}: a sum and a product with {@code 1 / n}. */
  private static Value mean(Lowering low, Value x, int dim, SourceRef at) {
    Value sum = low.op(Op.SUM, x, Attrs.of(Attrs.DIMS, new int[] {dim}, Attrs.KEEP_DIM, true), at);
    Dim n = x.type().dim(dim);
    return n.equals(Dim.constant(1)) ? sum : low.op(Op.MUL_SCALAR, sum, Attrs.of(Attrs.VALUE, n.reciprocal()), at);
  }

  /** {@code sqrt(var + eps)}. */
  private static Value std(Lowering low, Value var, double eps, SourceRef at) {
    return low.op(Op.SQRT, low.op(Op.ADD_SCALAR, var, Attrs.of(Attrs.VALUE, eps), at), Attrs.NONE, at);
  }
}

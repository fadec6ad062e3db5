package dev.flint.processor.grad;

import dev.flint.ops.Algebra;
import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.ir.GraphBuilder;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Value;
import java.util.Arrays;
import java.util.List;

/**
 * The op set over IR values: each method appends one node of its row to a graph, so that running an
 * op's derivative rule with this algebra writes the rule's math into the backward graph. Identities
 * (a sumTo, reshape or expand to the same shape, a permutation that changes nothing) append nothing,
 * which keeps the generated backward code as short as the math.
 */
public final class GraphAlgebra implements Algebra<Value> {
  private final GraphBuilder graph;
  private final java.util.Map<Value, dev.flint.processor.ir.Node> producers = new java.util.HashMap<>();
  private SourceRef where = SourceRef.none();

  /** An algebra appending to {@code graph}, which continues {@code forward} (whose nodes it may look through). */
  public GraphAlgebra(GraphBuilder graph, dev.flint.processor.ir.Graph forward) {
    this.graph = graph;
    forward.nodes().forEach(n -> producers.put(n.out(), n));
  }

  /** An algebra appending to {@code graph} at {@code where}: a layer's forward traced during lowering. */
  public GraphAlgebra(GraphBuilder graph, SourceRef where) {
    this.graph = graph;
    this.where = where;
  }

  /** Attributes the nodes appended next to {@code source}: the forward node being differentiated. */
  void at(SourceRef source) {
    this.where = source;
  }

  GraphBuilder graph() {
    return graph;
  }

  private Value op(Op op, List<Value> in, Attrs attrs) {
    Value out = graph.op(op, in, attrs, "t", "", where);
    producers.put(out, graph.nodes().get(graph.nodes().size() - 1));
    return out;
  }

  private Value op(Op op, Value x, Object... attrs) {
    return op(op, List.of(x), attrs.length == 0 ? Attrs.NONE : Attrs.of(attrs));
  }

  @Override
  public Value add(Value a, Value b) {
    Value joined = joinParts(a, b);
    return joined != null ? joined : op(Op.ADD, List.of(a, b), Attrs.NONE);
  }

  /**
   * {@code a + b} when both are zero-padded parts of one shape along the same dim and meet end to start
   * (the gradients of a split's parts: q, k and v cut from one projection): the parts concatenated and
   * padded by what neither covers, each element written once, where padding both to the whole width
   * and adding them read and wrote it three times. Null when they are not such parts. A third part
   * meeting the result joins the same concatenation.
   */
  private Value joinParts(Value a, Value b) {
    dev.flint.processor.ir.Node pa = producers.get(a);
    dev.flint.processor.ir.Node pb = producers.get(b);
    if (pa == null || pb == null || pa.op() != Op.PAD || pb.op() != Op.PAD
        || !Arrays.equals(a.type().shape(), b.type().shape())) {
      return null;
    }
    int dim = pa.attrs().integer(Attrs.DIM);
    if (pb.attrs().integer(Attrs.DIM) != dim) {
      return null;
    }
    dev.flint.processor.ir.Node first = pa;
    dev.flint.processor.ir.Node second = pb;
    if (partEnd(pb) == pa.attrs().integer(Attrs.BEFORE)) {
      first = pb;
      second = pa;
    } else if (partEnd(pa) != pb.attrs().integer(Attrs.BEFORE)) {
      return null;
    }
    List<Value> parts = new java.util.ArrayList<>();
    addParts(first.inputs().get(0), dim, parts);
    addParts(second.inputs().get(0), dim, parts);
    return pad(cat(parts, dim), dim, first.attrs().integer(Attrs.BEFORE), second.attrs().integer(Attrs.AFTER));
  }

  /** Where a PAD's input ends along its dim, as a size code. */
  private static int partEnd(dev.flint.processor.ir.Node pad) {
    int dim = pad.attrs().integer(Attrs.DIM);
    return dev.flint.processor.ir.SymbolicDims.INSTANCE.add(pad.attrs().integer(Attrs.BEFORE),
        pad.inputs().get(0).type().shape()[dim]);
  }

  /** {@code x}'s parts along {@code dim}: a concatenation's inputs, else x itself. */
  private void addParts(Value x, int dim, List<Value> parts) {
    dev.flint.processor.ir.Node p = producers.get(x);
    if (p != null && p.op() == Op.CAT && p.attrs().integer(Attrs.DIM) == dim) {
      parts.addAll(p.inputs());
    } else {
      parts.add(x);
    }
  }
  @Override public Value sub(Value a, Value b) { return op(Op.SUB, List.of(a, b), Attrs.NONE); }
  @Override public Value mul(Value a, Value b) { return op(Op.MUL, List.of(a, b), Attrs.NONE); }
  @Override public Value div(Value a, Value b) { return op(Op.DIV, List.of(a, b), Attrs.NONE); }
  @Override public Value neg(Value x) { return op(Op.NEG, x); }
  @Override public Value addScalar(Value x, double s) { return s == 0 ? x : op(Op.ADD_SCALAR, x, Attrs.VALUE, s); }
  @Override public Value mulScalar(Value x, double s) { return s == 1 ? x : op(Op.MUL_SCALAR, x, Attrs.VALUE, s); }
  @Override public Value powScalar(Value x, double p) { return p == 1 ? x : op(Op.POW_SCALAR, x, Attrs.VALUE, p); }
  @Override public Value exp(Value x) { return op(Op.EXP, x); }
  @Override public Value log(Value x) { return op(Op.LOG, x); }
  @Override public Value sqrt(Value x) { return op(Op.SQRT, x); }
  @Override public Value abs(Value x) { return op(Op.ABS, x); }
  @Override public Value sign(Value x) { return op(Op.SIGN, x); }
  @Override public Value relu(Value x) { return op(Op.RELU, x); }
  @Override public Value sigmoid(Value x) { return op(Op.SIGMOID, x); }
  @Override public Value tanh(Value x) { return op(Op.TANH, x); }
  @Override public Value gt(Value a, Value b) { return op(Op.GT, List.of(a, b), Attrs.NONE); }
  @Override public Value eq(Value a, Value b) { return op(Op.EQ, List.of(a, b), Attrs.NONE); }
  @Override public Value where(Value c, Value a, Value b) { return op(Op.WHERE, List.of(c, a, b), Attrs.NONE); }
  @Override public Value clamp(Value x, double min, double max) { return op(Op.CLAMP, x, Attrs.MIN, min, Attrs.MAX, max); }
  @Override public Value matmul(Value a, Value b) { return op(Op.MATMUL, List.of(a, b), Attrs.NONE); }

  @Override
  public Value sum(Value x, int[] dims, boolean keepDim) {
    return op(Op.SUM, x, Attrs.DIMS, dims, Attrs.KEEP_DIM, keepDim);
  }

  @Override
  public Value sumTo(Value x, Value like) {
    int[] target = like.type().shape();
    return Arrays.equals(x.type().shape(), target) ? x : op(Op.SUM_TO, x, Attrs.SHAPE, target);
  }

  @Override
  public Value expand(Value x, int[] shape) {
    return Arrays.equals(x.type().shape(), shape) ? x : op(Op.EXPAND, x, Attrs.SHAPE, shape);
  }

  @Override
  public Value reshape(Value x, int[] shape) {
    return Arrays.equals(x.type().shape(), shape) ? x : op(Op.RESHAPE, x, Attrs.SHAPE, shape);
  }

  @Override
  public Value permute(Value x, int[] perm) {
    if (isIdentity(perm)) {
      return x;
    }
    dev.flint.processor.ir.Node p = producers.get(x);
    if (p != null && p.op() == Op.PERMUTE) {
      // permute(permute(w, p0), perm) reads w directly when the two undo each other (a Linear's weight)
      int[] p0 = p.attrs().ints(Attrs.PERM);
      int[] composed = new int[perm.length];
      for (int i = 0; i < perm.length; i++) {
        composed[i] = p0[perm[i]];
      }
      if (isIdentity(composed)) {
        return p.inputs().get(0);
      }
    }
    return op(Op.PERMUTE, x, Attrs.PERM, perm);
  }

  private static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Value narrow(Value x, int dim, int start, int length) {
    return op(Op.NARROW, x, Attrs.DIM, dim, Attrs.START, start, Attrs.LENGTH, length);
  }

  @Override
  public Value pad(Value x, int dim, int before, int after) {
    return before == 0 && after == 0 ? x : op(Op.PAD, x, Attrs.DIM, dim, Attrs.BEFORE, before, Attrs.AFTER, after);
  }

  @Override public Value cat(List<Value> xs, int dim) { return op(Op.CAT, xs, Attrs.of(Attrs.DIM, dim)); }
  @Override public Value max(Value x, int dim, boolean keepDim) { return op(Op.MAX, x, Attrs.DIM, dim, Attrs.KEEP_DIM, keepDim); }
  @Override public Value min(Value x, int dim, boolean keepDim) { return op(Op.MIN, x, Attrs.DIM, dim, Attrs.KEEP_DIM, keepDim); }
  @Override public Value argmax(Value x, int dim, boolean keepDim) { return op(Op.ARGMAX, x, Attrs.DIM, dim, Attrs.KEEP_DIM, keepDim); }
  @Override public Value argmin(Value x, int dim, boolean keepDim) { return op(Op.ARGMIN, x, Attrs.DIM, dim, Attrs.KEEP_DIM, keepDim); }
  @Override public Value softmax(Value x, int dim) { return op(Op.SOFTMAX, x, Attrs.DIM, dim); }
  @Override public Value logSoftmax(Value x, int dim) { return op(Op.LOG_SOFTMAX, x, Attrs.DIM, dim); }

  @Override
  public Value softmaxBackward(Value g, Value y, int dim) {
    return op(Op.SOFTMAX_BACKWARD, List.of(g, y), Attrs.of(Attrs.DIM, dim));
  }

  @Override
  public Value cast(Value x, Value like) {
    if (x.type().elem() == like.type().elem()) {
      return x;
    }
    throw new UnsupportedOperationException("a cast between " + x.type() + " and " + like.type()
        + " inside the model; the compiler keeps the model's one floating dtype");
  }

  @Override
  public Value indexSelect(Value x, int dim, Value index) {
    return op(Op.INDEX_SELECT, List.of(x, index), Attrs.of(Attrs.DIM, dim));
  }

  @Override
  public Value indexAdd(Value src, int dim, Value index, int[] shape) {
    return op(Op.INDEX_ADD, List.of(src, index), Attrs.of(Attrs.DIM, dim, Attrs.SHAPE, shape));
  }

  @Override
  public Value gather(Value x, int dim, Value index) {
    return op(Op.GATHER, List.of(x, index), Attrs.of(Attrs.DIM, dim));
  }

  @Override
  public Value scatterAdd(Value src, int dim, Value index, int[] shape) {
    return op(Op.SCATTER_ADD, List.of(src, index), Attrs.of(Attrs.DIM, dim, Attrs.SHAPE, shape));
  }

  @Override
  public Value conv2d(Value x, Value w, int[] stride, int[] padding) {
    return op(Op.CONV2D, List.of(x, w), Attrs.of(Attrs.STRIDE, stride, Attrs.PADDING, padding));
  }

  @Override
  public Value conv2dInputGrad(Value g, Value w, int[] inShape, int[] stride, int[] padding) {
    return op(Op.CONV2D_INPUT_GRAD, List.of(g, w), Attrs.of(Attrs.SHAPE, inShape, Attrs.STRIDE, stride, Attrs.PADDING, padding));
  }

  @Override
  public Value conv2dWeightGrad(Value g, Value x, int[] weightShape, int[] stride, int[] padding) {
    return op(Op.CONV2D_WEIGHT_GRAD, List.of(g, x),
        Attrs.of(Attrs.SHAPE, weightShape, Attrs.STRIDE, stride, Attrs.PADDING, padding));
  }

  @Override
  public Value maxPool2d(Value x, int[] kernel, int[] stride, int[] padding) {
    return op(Op.MAX_POOL2D, x, Attrs.KERNEL, kernel, Attrs.STRIDE, stride, Attrs.PADDING, padding);
  }

  @Override
  public Value maxPool2dBackward(Value g, Value x, int[] kernel, int[] stride, int[] padding) {
    return op(Op.MAX_POOL2D_BACKWARD, List.of(g, x), Attrs.of(Attrs.KERNEL, kernel, Attrs.STRIDE, stride, Attrs.PADDING, padding));
  }

  @Override
  public Value avgPool2d(Value x, int[] kernel, int[] stride, int[] padding) {
    return op(Op.AVG_POOL2D, x, Attrs.KERNEL, kernel, Attrs.STRIDE, stride, Attrs.PADDING, padding);
  }

  @Override
  public Value avgPool2dBackward(Value g, int[] inShape, int[] kernel, int[] stride, int[] padding) {
    return op(Op.AVG_POOL2D_BACKWARD, g, Attrs.SHAPE, inShape, Attrs.KERNEL, kernel, Attrs.STRIDE, stride, Attrs.PADDING, padding);
  }

  @Override
  public Value slice(Value x, int dim, int start, int length, int step) {
    return op(Op.SLICE, x, Attrs.DIM, dim, Attrs.START, start, Attrs.LENGTH, length, Attrs.STEP, step);
  }

  @Override
  public Value sliceBackward(Value g, int dim, int start, int step, int[] shape) {
    return op(Op.SLICE_BACKWARD, g, Attrs.DIM, dim, Attrs.START, start, Attrs.STEP, step, Attrs.SHAPE, shape);
  }

  @Override
  public Value tril(Value x, int diagonal) {
    return op(Op.TRIL, x, Attrs.DIAGONAL, diagonal);
  }

  @Override
  public Value lstmScan(Value gx, Value whh, Value h0, Value c0) {
    return op(Op.LSTM_SCAN, List.of(gx, whh, h0, c0), Attrs.NONE);
  }

  @Override
  public Value lstmScanBackward(Value g, Value y, Value whh) {
    return op(Op.LSTM_SCAN_BACKWARD, List.of(g, y, whh), Attrs.NONE);
  }

  @Override
  public Value gruScan(Value gx, Value whh, Value bhh, Value h0) {
    return op(Op.GRU_SCAN, List.of(gx, whh, bhh, h0), Attrs.NONE);
  }

  @Override
  public Value gruScanBackward(Value g, Value y, Value whh) {
    return op(Op.GRU_SCAN_BACKWARD, List.of(g, y, whh), Attrs.NONE);
  }

  @Override
  public Value triu(Value x, int diagonal) {
    return op(Op.TRIU, x, Attrs.DIAGONAL, diagonal);
  }

  @Override
  public Value erf(Value x) {
    return op(Op.ERF, x);
  }

  @Override
  public Value gelu(Value x) {
    return op(Op.GELU, x);
  }

  @Override
  public Value geluBackward(Value g, Value x) {
    return op(Op.GELU_BACKWARD, List.of(g, x), Attrs.NONE);
  }

  @Override
  public Value sin(Value x) {
    return op(Op.SIN, x);
  }

  @Override
  public Value cos(Value x) {
    return op(Op.COS, x);
  }

  @Override
  public Value floor(Value x) {
    return op(Op.FLOOR, x);
  }

  @Override
  public Value ceil(Value x) {
    return op(Op.CEIL, x);
  }

  @Override
  public Value round(Value x) {
    return op(Op.ROUND, x);
  }

  @Override
  public Value layerNorm(Value x, double eps) {
    return op(Op.LAYER_NORM, x, Attrs.EPS, eps);
  }

  @Override
  public Value layerNormBackward(Value g, Value x, double eps) {
    return op(Op.LAYER_NORM_BACKWARD, List.of(g, x), Attrs.of(Attrs.EPS, eps));
  }

  @Override
  public Value layerNormAffine(Value x, Value w, Value b, double eps) {
    return op(Op.LAYER_NORM_AFFINE, List.of(x, w, b), Attrs.of(Attrs.EPS, eps));
  }

  @Override
  public Value layerNormAffineBackward(Value g, Value x, Value w, double eps) {
    return op(Op.LAYER_NORM_AFFINE_BACKWARD, List.of(g, x, w), Attrs.of(Attrs.EPS, eps));
  }

  @Override
  public Value layerNormWeightGrad(Value g, Value x, double eps) {
    return op(Op.LAYER_NORM_WEIGHT_GRAD, List.of(g, x), Attrs.of(Attrs.EPS, eps));
  }

  @Override
  public Value attention(Value q, Value k, Value v, double scale, boolean causal) {
    return op(Op.ATTENTION, List.of(q, k, v), Attrs.of(Attrs.SCALE, scale, Attrs.CAUSAL, causal));
  }

  @Override
  public Value attentionBackward(Value g, Value q, Value k, Value v, Value y, double scale, boolean causal) {
    return op(Op.ATTENTION_BACKWARD, List.of(g, q, k, v, y), Attrs.of(Attrs.SCALE, scale, Attrs.CAUSAL, causal));
  }
}

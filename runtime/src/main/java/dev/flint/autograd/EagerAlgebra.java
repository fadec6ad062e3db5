package dev.flint.autograd;

import dev.flint.ops.Algebra;
import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.tensor.Tensor;
import java.util.List;

/** The op algebra on tensors: derivative rules run here during eager backward, each method one op row. */
public final class EagerAlgebra implements Algebra<Tensor> {
  public static final EagerAlgebra INSTANCE = new EagerAlgebra();

  private EagerAlgebra() {}

  private static Tensor run(Op op, Attrs attrs, Tensor... in) {
    OpNode.checkSaved(in);
    return OpNode.run(op, attrs, in);
  }

  @Override public Tensor add(Tensor a, Tensor b) { return run(Op.ADD, Attrs.NONE, a, b); }
  @Override public Tensor sub(Tensor a, Tensor b) { return run(Op.SUB, Attrs.NONE, a, b); }
  @Override public Tensor mul(Tensor a, Tensor b) { return run(Op.MUL, Attrs.NONE, a, b); }
  @Override public Tensor div(Tensor a, Tensor b) { return run(Op.DIV, Attrs.NONE, a, b); }
  @Override public Tensor neg(Tensor x) { return run(Op.NEG, Attrs.NONE, x); }
  @Override public Tensor addScalar(Tensor x, double s) { return run(Op.ADD_SCALAR, Attrs.of(Attrs.VALUE, s), x); }
  @Override public Tensor mulScalar(Tensor x, double s) { return run(Op.MUL_SCALAR, Attrs.of(Attrs.VALUE, s), x); }
  @Override public Tensor powScalar(Tensor x, double p) { return run(Op.POW_SCALAR, Attrs.of(Attrs.VALUE, p), x); }
  @Override public Tensor exp(Tensor x) { return run(Op.EXP, Attrs.NONE, x); }
  @Override public Tensor log(Tensor x) { return run(Op.LOG, Attrs.NONE, x); }
  @Override public Tensor sqrt(Tensor x) { return run(Op.SQRT, Attrs.NONE, x); }
  @Override public Tensor abs(Tensor x) { return run(Op.ABS, Attrs.NONE, x); }
  @Override public Tensor sign(Tensor x) { return run(Op.SIGN, Attrs.NONE, x); }
  @Override public Tensor relu(Tensor x) { return run(Op.RELU, Attrs.NONE, x); }
  @Override public Tensor sigmoid(Tensor x) { return run(Op.SIGMOID, Attrs.NONE, x); }
  @Override public Tensor tanh(Tensor x) { return run(Op.TANH, Attrs.NONE, x); }
  @Override public Tensor gt(Tensor a, Tensor b) { return run(Op.GT, Attrs.NONE, a, b); }
  @Override public Tensor eq(Tensor a, Tensor b) { return run(Op.EQ, Attrs.NONE, a, b); }
  @Override public Tensor where(Tensor c, Tensor a, Tensor b) { return run(Op.WHERE, Attrs.NONE, c, a, b); }

  @Override
  public Tensor clamp(Tensor x, double min, double max) {
    return run(Op.CLAMP, Attrs.of(Attrs.MIN, min, Attrs.MAX, max), x);
  }

  @Override public Tensor matmul(Tensor a, Tensor b) { return run(Op.MATMUL, Attrs.NONE, a, b); }

  @Override
  public Tensor sum(Tensor x, int[] dims, boolean keepDim) {
    return run(Op.SUM, Attrs.of(Attrs.DIMS, dims, Attrs.KEEP_DIM, keepDim), x);
  }

  @Override public Tensor sumTo(Tensor x, Tensor like) { return run(Op.SUM_TO, Attrs.of(Attrs.SHAPE, like.shape()), x); }
  @Override public Tensor expand(Tensor x, int[] shape) { return run(Op.EXPAND, Attrs.of(Attrs.SHAPE, shape), x); }
  @Override public Tensor reshape(Tensor x, int[] shape) { return run(Op.RESHAPE, Attrs.of(Attrs.SHAPE, shape), x); }
  @Override public Tensor permute(Tensor x, int[] perm) { return run(Op.PERMUTE, Attrs.of(Attrs.PERM, perm), x); }

  @Override
  public Tensor narrow(Tensor x, int dim, int start, int length) {
    return run(Op.NARROW, Attrs.of(Attrs.DIM, dim, Attrs.START, start, Attrs.LENGTH, length), x);
  }

  @Override
  public Tensor slice(Tensor x, int dim, int start, int length, int step) {
    return run(Op.SLICE, Attrs.of(Attrs.DIM, dim, Attrs.START, start, Attrs.LENGTH, length, Attrs.STEP, step), x);
  }

  @Override
  public Tensor sliceBackward(Tensor g, int dim, int start, int step, int[] shape) {
    return run(Op.SLICE_BACKWARD, Attrs.of(Attrs.DIM, dim, Attrs.START, start, Attrs.STEP, step, Attrs.SHAPE, shape), g);
  }

  @Override
  public Tensor pad(Tensor x, int dim, int before, int after) {
    return run(Op.PAD, Attrs.of(Attrs.DIM, dim, Attrs.BEFORE, before, Attrs.AFTER, after), x);
  }

  @Override
  public Tensor cat(List<Tensor> xs, int dim) {
    return run(Op.CAT, Attrs.of(Attrs.DIM, dim), xs.toArray(new Tensor[0]));
  }

  @Override
  public Tensor max(Tensor x, int dim, boolean keepDim) {
    return run(Op.MAX, Attrs.of(Attrs.DIM, dim, Attrs.KEEP_DIM, keepDim), x);
  }

  @Override
  public Tensor min(Tensor x, int dim, boolean keepDim) {
    return run(Op.MIN, Attrs.of(Attrs.DIM, dim, Attrs.KEEP_DIM, keepDim), x);
  }

  @Override
  public Tensor argmax(Tensor x, int dim, boolean keepDim) {
    return run(Op.ARGMAX, Attrs.of(Attrs.DIM, dim, Attrs.KEEP_DIM, keepDim), x);
  }

  @Override
  public Tensor argmin(Tensor x, int dim, boolean keepDim) {
    return run(Op.ARGMIN, Attrs.of(Attrs.DIM, dim, Attrs.KEEP_DIM, keepDim), x);
  }

  @Override public Tensor softmax(Tensor x, int dim) { return run(Op.SOFTMAX, Attrs.of(Attrs.DIM, dim), x); }
  @Override public Tensor logSoftmax(Tensor x, int dim) { return run(Op.LOG_SOFTMAX, Attrs.of(Attrs.DIM, dim), x); }

  @Override
  public Tensor softmaxBackward(Tensor g, Tensor y, int dim) {
    return run(Op.SOFTMAX_BACKWARD, Attrs.of(Attrs.DIM, dim), g, y);
  }

  @Override
  public Tensor cast(Tensor x, Tensor like) {
    return x.dtype() == like.dtype() ? x : run(Op.CAST, Attrs.of(Attrs.DTYPE, like.dtype().name()), x);
  }

  @Override
  public Tensor indexSelect(Tensor x, int dim, Tensor index) {
    return run(Op.INDEX_SELECT, Attrs.of(Attrs.DIM, dim), x, index);
  }

  @Override
  public Tensor indexAdd(Tensor src, int dim, Tensor index, int[] shape) {
    return run(Op.INDEX_ADD, Attrs.of(Attrs.DIM, dim, Attrs.SHAPE, shape), src, index);
  }

  @Override
  public Tensor gather(Tensor x, int dim, Tensor index) {
    return run(Op.GATHER, Attrs.of(Attrs.DIM, dim), x, index);
  }

  @Override
  public Tensor scatterAdd(Tensor src, int dim, Tensor index, int[] shape) {
    return run(Op.SCATTER_ADD, Attrs.of(Attrs.DIM, dim, Attrs.SHAPE, shape), src, index);
  }

  @Override
  public Tensor conv2d(Tensor x, Tensor w, int[] stride, int[] padding) {
    return run(Op.CONV2D, Attrs.of(Attrs.STRIDE, stride, Attrs.PADDING, padding), x, w);
  }

  @Override
  public Tensor conv2dInputGrad(Tensor g, Tensor w, int[] inShape, int[] stride, int[] padding) {
    return run(Op.CONV2D_INPUT_GRAD, Attrs.of(Attrs.SHAPE, inShape, Attrs.STRIDE, stride, Attrs.PADDING, padding), g, w);
  }

  @Override
  public Tensor conv2dWeightGrad(Tensor g, Tensor x, int[] weightShape, int[] stride, int[] padding) {
    return run(Op.CONV2D_WEIGHT_GRAD, Attrs.of(Attrs.SHAPE, weightShape, Attrs.STRIDE, stride, Attrs.PADDING, padding),
        g, x);
  }

  @Override
  public Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
    return run(Op.MAX_POOL2D, Attrs.of(Attrs.KERNEL, kernel, Attrs.STRIDE, stride, Attrs.PADDING, padding), x);
  }

  @Override
  public Tensor maxPool2dBackward(Tensor g, Tensor x, int[] kernel, int[] stride, int[] padding) {
    return run(Op.MAX_POOL2D_BACKWARD, Attrs.of(Attrs.KERNEL, kernel, Attrs.STRIDE, stride, Attrs.PADDING, padding),
        g, x);
  }

  @Override
  public Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
    return run(Op.AVG_POOL2D, Attrs.of(Attrs.KERNEL, kernel, Attrs.STRIDE, stride, Attrs.PADDING, padding), x);
  }

  @Override
  public Tensor avgPool2dBackward(Tensor g, int[] inShape, int[] kernel, int[] stride, int[] padding) {
    return run(Op.AVG_POOL2D_BACKWARD,
        Attrs.of(Attrs.SHAPE, inShape, Attrs.KERNEL, kernel, Attrs.STRIDE, stride, Attrs.PADDING, padding), g);
  }

  @Override
  public Tensor erf(Tensor x) {
    return run(Op.ERF, Attrs.NONE, x);
  }

  @Override
  public Tensor gelu(Tensor x) {
    return run(Op.GELU, Attrs.NONE, x);
  }

  @Override
  public Tensor geluBackward(Tensor g, Tensor x) {
    return run(Op.GELU_BACKWARD, Attrs.NONE, g, x);
  }

  @Override
  public Tensor sin(Tensor x) {
    return run(Op.SIN, Attrs.NONE, x);
  }

  @Override
  public Tensor cos(Tensor x) {
    return run(Op.COS, Attrs.NONE, x);
  }

  @Override
  public Tensor floor(Tensor x) {
    return run(Op.FLOOR, Attrs.NONE, x);
  }

  @Override
  public Tensor ceil(Tensor x) {
    return run(Op.CEIL, Attrs.NONE, x);
  }

  @Override
  public Tensor round(Tensor x) {
    return run(Op.ROUND, Attrs.NONE, x);
  }

  @Override
  public Tensor tril(Tensor x, int diagonal) {
    return run(Op.TRIL, Attrs.of(Attrs.DIAGONAL, diagonal), x);
  }

  @Override
  public Tensor lstmScan(Tensor gx, Tensor whh, Tensor h0, Tensor c0) {
    return run(Op.LSTM_SCAN, Attrs.NONE, gx, whh, h0, c0);
  }

  @Override
  public Tensor lstmScanBackward(Tensor g, Tensor y, Tensor whh) {
    return run(Op.LSTM_SCAN_BACKWARD, Attrs.NONE, g, y, whh);
  }

  @Override
  public Tensor gruScan(Tensor gx, Tensor whh, Tensor bhh, Tensor h0) {
    return run(Op.GRU_SCAN, Attrs.NONE, gx, whh, bhh, h0);
  }

  @Override
  public Tensor gruScanBackward(Tensor g, Tensor y, Tensor whh) {
    return run(Op.GRU_SCAN_BACKWARD, Attrs.NONE, g, y, whh);
  }

  @Override
  public Tensor triu(Tensor x, int diagonal) {
    return run(Op.TRIU, Attrs.of(Attrs.DIAGONAL, diagonal), x);
  }

  @Override
  public Tensor layerNorm(Tensor x, double eps) {
    return run(Op.LAYER_NORM, Attrs.of(Attrs.EPS, eps), x);
  }

  @Override
  public Tensor layerNormBackward(Tensor g, Tensor x, double eps) {
    return run(Op.LAYER_NORM_BACKWARD, Attrs.of(Attrs.EPS, eps), g, x);
  }

  @Override
  public Tensor layerNormAffine(Tensor x, Tensor w, Tensor b, double eps) {
    return run(Op.LAYER_NORM_AFFINE, Attrs.of(Attrs.EPS, eps), x, w, b);
  }

  @Override
  public Tensor layerNormAffineBackward(Tensor g, Tensor x, Tensor w, double eps) {
    return run(Op.LAYER_NORM_AFFINE_BACKWARD, Attrs.of(Attrs.EPS, eps), g, x, w);
  }

  @Override
  public Tensor layerNormWeightGrad(Tensor g, Tensor x, double eps) {
    return run(Op.LAYER_NORM_WEIGHT_GRAD, Attrs.of(Attrs.EPS, eps), g, x);
  }

  @Override
  public Tensor attention(Tensor q, Tensor k, Tensor v, double scale, boolean causal) {
    return run(Op.ATTENTION, Attrs.of(Attrs.SCALE, scale, Attrs.CAUSAL, causal), q, k, v);
  }

  @Override
  public Tensor attentionBackward(Tensor g, Tensor q, Tensor k, Tensor v, Tensor y, double scale, boolean causal) {
    return run(Op.ATTENTION_BACKWARD, Attrs.of(Attrs.SCALE, scale, Attrs.CAUSAL, causal), g, q, k, v, y);
  }
}

package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The forward kernel of every op row, as static methods named after the ops: eager {@code Tensor}
 * methods and the processor's generated code both call these. They do no autograd. Methods taking
 * an {@code out} tensor write into it (contiguous, of the result's shape and dtype) so compiled code
 * can reuse buffers. Dims must be non-negative here; {@code Tensor} normalizes user dims.
 */
public final class Kernels {
  private Kernels() {}

  /**
   * Waits until the Vector API kernels are warm (their warm-up runs on a background thread started by
   * the first kernel call; until it ends, FLOAT32 products take the pure-Java loops), at most
   * {@code timeoutMillis}; returns at once when the tier is off. True when they are ready or off.
   */
  public static boolean awaitVectorWarmUp(long timeoutMillis) throws InterruptedException {
    return VectorTier.awaitWarmUp(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** What runs FLOAT32 products: {@code "vector-api (N lanes)"} or {@code "plain-java"}. */
  public static String vectorTier() {
    return VectorTier.describe();
  }

  /** Runs {@code op}'s kernel: the one dispatch from the op table to the methods below. */
  public static Tensor forward(Op op, Attrs at, Tensor... in) {
    switch (op) {
      case ADD: return add(in[0], in[1]);
      case SUB: return sub(in[0], in[1]);
      case MUL: return mul(in[0], in[1]);
      case DIV: return div(in[0], in[1]);
      case NEG: return neg(in[0]);
      case ADD_SCALAR: return addScalar(in[0], at.real(Attrs.VALUE));
      case MUL_SCALAR: return mulScalar(in[0], at.real(Attrs.VALUE));
      case POW_SCALAR: return powScalar(in[0], at.real(Attrs.VALUE));
      case EXP: return exp(in[0]);
      case LOG: return log(in[0]);
      case SQRT: return sqrt(in[0]);
      case ABS: return abs(in[0]);
      case SIGN: return sign(in[0]);
      case RELU: return relu(in[0]);
      case SIGMOID: return sigmoid(in[0]);
      case TANH: return tanh(in[0]);
      case GT: return gt(in[0], in[1]);
      case LT: return lt(in[0], in[1]);
      case GE: return ge(in[0], in[1]);
      case LE: return le(in[0], in[1]);
      case EQ: return eq(in[0], in[1]);
      case NE: return ne(in[0], in[1]);
      case WHERE: return where(in[0], in[1], in[2]);
      case CLAMP: return clamp(in[0], at.real(Attrs.MIN), at.real(Attrs.MAX));
      case MATMUL: return matmul(in[0], in[1]);
      case SUM: return sum(in[0], at.ints(Attrs.DIMS), at.bool(Attrs.KEEP_DIM));
      case SUM_TO: return sumTo(in[0], at.ints(Attrs.SHAPE));
      case EXPAND: return expand(in[0], at.ints(Attrs.SHAPE));
      case RESHAPE: return reshape(in[0], at.ints(Attrs.SHAPE));
      case PERMUTE: return permute(in[0], at.ints(Attrs.PERM));
      case NARROW: return narrow(in[0], at.integer(Attrs.DIM), at.integer(Attrs.START), at.integer(Attrs.LENGTH));
      case SLICE: return slice(in[0], at.integer(Attrs.DIM), at.integer(Attrs.START), at.integer(Attrs.LENGTH),
          at.integer(Attrs.STEP));
      case SLICE_BACKWARD: return sliceBackward(in[0], at.integer(Attrs.DIM), at.integer(Attrs.START),
          at.integer(Attrs.STEP), at.ints(Attrs.SHAPE));
      case PAD: return pad(in[0], at.integer(Attrs.DIM), at.integer(Attrs.BEFORE), at.integer(Attrs.AFTER));
      case CAT: return cat(Arrays.asList(in), at.integer(Attrs.DIM));
      case MAX: return max(in[0], at.integer(Attrs.DIM), at.bool(Attrs.KEEP_DIM));
      case MIN: return min(in[0], at.integer(Attrs.DIM), at.bool(Attrs.KEEP_DIM));
      case ARGMAX: return argmax(in[0], at.integer(Attrs.DIM), at.bool(Attrs.KEEP_DIM));
      case ARGMIN: return argmin(in[0], at.integer(Attrs.DIM), at.bool(Attrs.KEEP_DIM));
      case SOFTMAX: return softmax(in[0], at.integer(Attrs.DIM));
      case LOG_SOFTMAX: return logSoftmax(in[0], at.integer(Attrs.DIM));
      case SOFTMAX_BACKWARD: return softmaxBackward(in[0], in[1], at.integer(Attrs.DIM));
      case CAST: return cast(in[0], DType.valueOf(at.text(Attrs.DTYPE)));
      case CLONE: return clone(in[0]);
      case INDEX_SELECT: return indexSelect(in[0], at.integer(Attrs.DIM), in[1]);
      case INDEX_ADD: return indexAdd(in[0], at.integer(Attrs.DIM), in[1], at.ints(Attrs.SHAPE));
      case GATHER: return gather(in[0], at.integer(Attrs.DIM), in[1]);
      case SCATTER_ADD: return scatterAdd(in[0], at.integer(Attrs.DIM), in[1], at.ints(Attrs.SHAPE));
      case CONV2D: return conv2d(in[0], in[1], at.ints(Attrs.STRIDE), at.ints(Attrs.PADDING));
      case CONV2D_INPUT_GRAD:
        return conv2dInputGrad(in[0], in[1], at.ints(Attrs.SHAPE), at.ints(Attrs.STRIDE), at.ints(Attrs.PADDING));
      case CONV2D_WEIGHT_GRAD:
        return conv2dWeightGrad(in[0], in[1], at.ints(Attrs.SHAPE), at.ints(Attrs.STRIDE), at.ints(Attrs.PADDING));
      case MAX_POOL2D: return maxPool2d(in[0], at.ints(Attrs.KERNEL), at.ints(Attrs.STRIDE), at.ints(Attrs.PADDING));
      case MAX_POOL2D_BACKWARD:
        return maxPool2dBackward(in[0], in[1], at.ints(Attrs.KERNEL), at.ints(Attrs.STRIDE), at.ints(Attrs.PADDING));
      case AVG_POOL2D: return avgPool2d(in[0], at.ints(Attrs.KERNEL), at.ints(Attrs.STRIDE), at.ints(Attrs.PADDING));
      case AVG_POOL2D_BACKWARD: return avgPool2dBackward(in[0], at.ints(Attrs.SHAPE), at.ints(Attrs.KERNEL),
          at.ints(Attrs.STRIDE), at.ints(Attrs.PADDING));
      case ERF: return erf(in[0]);
      case GELU: return gelu(in[0]);
      case GELU_BACKWARD: return geluBackward(in[0], in[1]);
      case LAYER_NORM: return layerNorm(in[0], at.real(Attrs.EPS));
      case LAYER_NORM_BACKWARD: return layerNormBackward(in[0], in[1], at.real(Attrs.EPS));
      case LAYER_NORM_AFFINE: return layerNormAffine(in[0], in[1], in[2], at.real(Attrs.EPS));
      case LAYER_NORM_AFFINE_BACKWARD: return layerNormAffineBackward(in[0], in[1], in[2], at.real(Attrs.EPS));
      case LAYER_NORM_WEIGHT_GRAD: return layerNormWeightGrad(in[0], in[1], at.real(Attrs.EPS));
      case LSTM_SCAN: return lstmScan(in[0], in[1], in[2], in[3]);
      case LSTM_SCAN_BACKWARD: return lstmScanBackward(in[0], in[1], in[2]);
      case GRU_SCAN: return gruScan(in[0], in[1], in[2], in[3]);
      case GRU_SCAN_BACKWARD: return gruScanBackward(in[0], in[1], in[2]);
      case ATTENTION: return attention(in[0], in[1], in[2], at.real(Attrs.SCALE), at.bool(Attrs.CAUSAL));
      case ATTENTION_BACKWARD:
        return attentionBackward(in[0], in[1], in[2], in[3], in[4], at.real(Attrs.SCALE), at.bool(Attrs.CAUSAL));
      case TRIL: return tril(in[0], at.integer(Attrs.DIAGONAL));
      case TRIU: return triu(in[0], at.integer(Attrs.DIAGONAL));
      case SIN: return sin(in[0]);
      case COS: return cos(in[0]);
      case FLOOR: return floor(in[0]);
      case CEIL: return ceil(in[0]);
      case ROUND: return round(in[0]);
      default: throw new IllegalArgumentException("no kernel for op " + op);
    }
  }

  // ---------------------------------------------------------------- binary, broadcast

  public static Tensor add(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.ADD, "add", a, b, null);
  }

  /** {@code out = a + b}; returns {@code out}. */
  public static Tensor add(Tensor a, Tensor b, Tensor out) {
    return Elementwise.binary(Binary.ADD, "add", a, b, out);
  }

  public static Tensor sub(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.SUB, "sub", a, b, null);
  }

  public static Tensor sub(Tensor a, Tensor b, Tensor out) {
    return Elementwise.binary(Binary.SUB, "sub", a, b, out);
  }

  public static Tensor mul(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.MUL, "mul", a, b, null);
  }

  public static Tensor mul(Tensor a, Tensor b, Tensor out) {
    return Elementwise.binary(Binary.MUL, "mul", a, b, out);
  }

  /** True division: integer operands give FLOAT32. */
  public static Tensor div(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.DIV, "div", a, b, null);
  }

  public static Tensor div(Tensor a, Tensor b, Tensor out) {
    return Elementwise.binary(Binary.DIV, "div", a, b, out);
  }

  public static Tensor gt(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.GT, "gt", a, b, null);
  }

  public static Tensor lt(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.LT, "lt", a, b, null);
  }

  public static Tensor ge(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.GE, "ge", a, b, null);
  }

  public static Tensor le(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.LE, "le", a, b, null);
  }

  public static Tensor eq(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.EQ, "eq", a, b, null);
  }

  public static Tensor ne(Tensor a, Tensor b) {
    return Elementwise.binary(Binary.NE, "ne", a, b, null);
  }

  /** {@code cond ? a : b}, all three broadcast; the result promotes a and b. */
  public static Tensor where(Tensor cond, Tensor a, Tensor b) {
    return Elementwise.where(cond, a, b, null);
  }

  // ---------------------------------------------------------------- unary

  public static Tensor neg(Tensor x) {
    return Elementwise.unary(Unary.NEG, "neg", x, 0, 0, x.dtype(), null);
  }

  public static Tensor addScalar(Tensor x, double s) {
    return Elementwise.unary(Unary.ADD_SCALAR, "addScalar", x, s, 0, DTypes.scalarResult(x.dtype(), s), null);
  }

  public static Tensor mulScalar(Tensor x, double s) {
    return Elementwise.unary(Unary.MUL_SCALAR, "mulScalar", x, s, 0, DTypes.scalarResult(x.dtype(), s), null);
  }

  public static Tensor powScalar(Tensor x, double p) {
    DType t = p < 0 ? DTypes.toFloat(x.dtype()) : DTypes.scalarResult(x.dtype(), p);
    return Elementwise.unary(Unary.POW_SCALAR, "powScalar", x, p, 0, t, null);
  }

  public static Tensor exp(Tensor x) {
    return Elementwise.unary(Unary.EXP, "exp", x, 0, 0, DTypes.toFloat(x.dtype()), null);
  }

  public static Tensor log(Tensor x) {
    return Elementwise.unary(Unary.LOG, "log", x, 0, 0, DTypes.toFloat(x.dtype()), null);
  }

  public static Tensor sqrt(Tensor x) {
    return Elementwise.unary(Unary.SQRT, "sqrt", x, 0, 0, DTypes.toFloat(x.dtype()), null);
  }

  public static Tensor abs(Tensor x) {
    return Elementwise.unary(Unary.ABS, "abs", x, 0, 0, x.dtype(), null);
  }

  public static Tensor sign(Tensor x) {
    return Elementwise.unary(Unary.SIGN, "sign", x, 0, 0, x.dtype(), null);
  }

  public static Tensor relu(Tensor x) {
    return Elementwise.unary(Unary.RELU, "relu", x, 0, 0, x.dtype(), null);
  }

  /** {@code out = relu(x)}; returns {@code out}. */
  public static Tensor relu(Tensor x, Tensor out) {
    return Elementwise.unary(Unary.RELU, "relu", x, 0, 0, x.dtype(), out);
  }

  public static Tensor sigmoid(Tensor x) {
    return Elementwise.unary(Unary.SIGMOID, "sigmoid", x, 0, 0, DTypes.toFloat(x.dtype()), null);
  }

  public static Tensor tanh(Tensor x) {
    return Elementwise.unary(Unary.TANH, "tanh", x, 0, 0, DTypes.toFloat(x.dtype()), null);
  }

  public static Tensor sin(Tensor x) {
    return Elementwise.unary(Unary.SIN, "sin", x, 0, 0, DTypes.toFloat(x.dtype()), null);
  }

  public static Tensor cos(Tensor x) {
    return Elementwise.unary(Unary.COS, "cos", x, 0, 0, DTypes.toFloat(x.dtype()), null);
  }

  public static Tensor floor(Tensor x) {
    return Elementwise.unary(Unary.FLOOR, "floor", x, 0, 0, x.dtype(), null);
  }

  public static Tensor ceil(Tensor x) {
    return Elementwise.unary(Unary.CEIL, "ceil", x, 0, 0, x.dtype(), null);
  }

  /** Rounds half to even ({@code torch.round}: 0.5 → 0, 1.5 → 2, 2.5 → 2). */
  public static Tensor round(Tensor x) {
    return Elementwise.unary(Unary.ROUND, "round", x, 0, 0, x.dtype(), null);
  }

  /** {@code min(max(x, min), max)}; pass infinities for a one-sided clamp. */
  public static Tensor clamp(Tensor x, double min, double max) {
    DType t = x.dtype();
    if (!t.isFloatingPoint() && ((Double.isFinite(min) && min != Math.rint(min)) || (Double.isFinite(max) && max != Math.rint(max)))) {
      t = DType.FLOAT32;
    }
    return Elementwise.unary(Unary.CLAMP, "clamp", x, min, max, t, null);
  }

  // ---------------------------------------------------------------- matmul, reductions

  /** Batched matrix product of operands with at least 2 dims and the same dtype. */
  public static Tensor matmul(Tensor a, Tensor b) {
    return MatMul.matmul(a, b, null);
  }

  /** {@code out = a @ b}; returns {@code out}. */
  public static Tensor matmul(Tensor a, Tensor b, Tensor out) {
    return MatMul.matmul(a, b, out);
  }

  /** Sum over {@code dims}; integer and bool sums are INT64. */
  public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
    return Reduce.sum(x, dims, keepDim, null);
  }

  /** Sums {@code x} down to {@code shape} (which broadcasts to x's shape); x itself when equal. */
  public static Tensor sumTo(Tensor x, int[] shape) {
    return Reduce.sumTo(x, shape, null);
  }

  public static Tensor max(Tensor x, int dim, boolean keepDim) {
    return Reduce.extreme(x, dim, keepDim, true, false);
  }

  public static Tensor min(Tensor x, int dim, boolean keepDim) {
    return Reduce.extreme(x, dim, keepDim, false, false);
  }

  public static Tensor argmax(Tensor x, int dim, boolean keepDim) {
    return Reduce.extreme(x, dim, keepDim, true, true);
  }

  public static Tensor argmin(Tensor x, int dim, boolean keepDim) {
    return Reduce.extreme(x, dim, keepDim, false, true);
  }

  public static Tensor softmax(Tensor x, int dim) {
    return Softmax.softmax(x, dim, false, null);
  }

  public static Tensor logSoftmax(Tensor x, int dim) {
    return Softmax.softmax(x, dim, true, null);
  }

  /** {@code y·(g − Σ_dim g·y)}: softmax's input gradient from the output gradient g and the output y. */
  public static Tensor softmaxBackward(Tensor g, Tensor y, int dim) {
    return Softmax.backward(g, y, dim, null);
  }

  public static Tensor softmaxBackward(Tensor g, Tensor y, int dim, Tensor out) {
    return Softmax.backward(g, y, dim, out);
  }

  // ---------------------------------------------------------------- views and copies

  public static Tensor expand(Tensor x, int[] shape) {
    return Views.expand(x, shape);
  }

  /** A view when the strides allow it, else a contiguous copy; one size may be -1. */
  public static Tensor reshape(Tensor x, int[] shape) {
    return Views.reshape(x, shape);
  }

  /** A view with {@code shape}, or null when the strides cannot express it (see {@code Tensor.view}). */
  public static Tensor viewOrNull(Tensor x, int[] shape) {
    return Views.viewOrNull(x, shape, "view");
  }

  public static Tensor permute(Tensor x, int[] perm) {
    return Views.permute(x, perm);
  }

  public static Tensor narrow(Tensor x, int dim, int start, int length) {
    return Views.narrow(x, dim, start, length);
  }

  /** A view of every {@code step}-th entry of {@code dim} from {@code start}. */
  public static Tensor slice(Tensor x, int dim, int start, int length, int step) {
    return Views.slice(x, dim, start, length, step);
  }

  /** Zeros of {@code shape} with {@code g} written at the positions {@link #slice} reads. */
  public static Tensor sliceBackward(Tensor g, int dim, int start, int step, int[] shape) {
    Tensor out = Tensor.empty(g.dtype(), shape);
    Copy.copy(g, Views.slice(out, dim, start, Internals.shapeRef(g)[dim], step));
    return out;
  }

  /** One LSTM layer's fused step loop ({@link Recurrence#lstmScan}). */
  public static Tensor lstmScan(Tensor gx, Tensor whh, Tensor h0, Tensor c0) {
    return Recurrence.lstmScan(gx, whh, h0, c0, null);
  }

  /** The same into {@code out} (contiguous, the result's shape and dtype); returns {@code out}. */
  public static Tensor lstmScan(Tensor gx, Tensor whh, Tensor h0, Tensor c0, Tensor out) {
    return Recurrence.lstmScan(gx, whh, h0, c0, out);
  }

  /** {@link #lstmScan}'s backward through time ({@link Recurrence#lstmScanBackward}). */
  public static Tensor lstmScanBackward(Tensor g, Tensor y, Tensor whh) {
    return Recurrence.lstmScanBackward(g, y, whh, null);
  }

  /** The same into {@code out} (contiguous, the result's shape and dtype); returns {@code out}. */
  public static Tensor lstmScanBackward(Tensor g, Tensor y, Tensor whh, Tensor out) {
    return Recurrence.lstmScanBackward(g, y, whh, out);
  }

  /** One GRU layer's fused step loop ({@link Recurrence#gruScan}). */
  public static Tensor gruScan(Tensor gx, Tensor whh, Tensor bhh, Tensor h0) {
    return Recurrence.gruScan(gx, whh, bhh, h0, null);
  }

  /** The same into {@code out} (contiguous, the result's shape and dtype); returns {@code out}. */
  public static Tensor gruScan(Tensor gx, Tensor whh, Tensor bhh, Tensor h0, Tensor out) {
    return Recurrence.gruScan(gx, whh, bhh, h0, out);
  }

  /** {@link #gruScan}'s backward through time ({@link Recurrence#gruScanBackward}). */
  public static Tensor gruScanBackward(Tensor g, Tensor y, Tensor whh) {
    return Recurrence.gruScanBackward(g, y, whh, null);
  }

  /** The same into {@code out} (contiguous, the result's shape and dtype); returns {@code out}. */
  public static Tensor gruScanBackward(Tensor g, Tensor y, Tensor whh, Tensor out) {
    return Recurrence.gruScanBackward(g, y, whh, out);
  }

  /** A copy of {@code x} with the entries above diagonal {@code diagonal} of its last two dims zeroed. */
  public static Tensor tril(Tensor x, int diagonal) {
    return Triangle.keep(x, diagonal, true, null);
  }

  /** {@code tril} into {@code out} (null: a new tensor), contiguous and of x's shape and dtype. */
  public static Tensor tril(Tensor x, int diagonal, Tensor out) {
    return Triangle.keep(x, diagonal, true, out);
  }

  /** A copy of {@code x} with the entries below diagonal {@code diagonal} of its last two dims zeroed. */
  public static Tensor triu(Tensor x, int diagonal) {
    return Triangle.keep(x, diagonal, false, null);
  }

  /** {@code triu} into {@code out} (null: a new tensor), contiguous and of x's shape and dtype. */
  public static Tensor triu(Tensor x, int diagonal, Tensor out) {
    return Triangle.keep(x, diagonal, false, out);
  }

  public static Tensor pad(Tensor x, int dim, int before, int after) {
    return Copy.pad(x, dim, before, after);
  }

  /** {@code pad} into {@code out} (null: a new tensor), contiguous and of the padded shape. */
  public static Tensor pad(Tensor x, int dim, int before, int after, Tensor out) {
    return out == null ? Copy.pad(x, dim, before, after) : Copy.padInto(x, dim, before, after, out);
  }

  public static Tensor cat(List<Tensor> xs, int dim) {
    return Copy.cat(xs, dim);
  }

  /** {@code cat} into {@code out} (null: a new tensor), contiguous, of the concatenated shape and promoted dtype. */
  public static Tensor cat(List<Tensor> xs, int dim, Tensor out) {
    return out == null ? Copy.cat(xs, dim) : Copy.catInto(xs, dim, out);
  }

  /** A new contiguous tensor of {@code dtype}; always a copy. */
  public static Tensor cast(Tensor x, DType dtype) {
    return Copy.cast(x, dtype);
  }

  /** A new contiguous copy. */
  public static Tensor clone(Tensor x) {
    return Copy.cast(x, x.dtype());
  }

  /** Copies {@code src} (broadcast) into {@code dst}, converting dtypes. */
  public static void copy(Tensor src, Tensor dst) {
    Copy.copy(src, dst);
  }

  /** {@code dst += src} in place ({@code src} broadcast). */
  public static void accumulate(Tensor src, Tensor dst) {
    Copy.accumulate(src, dst);
  }

  // ---------------------------------------------------------------- out variants (compiled code reuses buffers)

  /** {@code out = -x}; returns {@code out} (contiguous, x's shape and dtype), as the other out variants. */
  public static Tensor neg(Tensor x, Tensor out) {
    return Elementwise.unary(Unary.NEG, "neg", x, 0, 0, x.dtype(), out);
  }

  public static Tensor addScalar(Tensor x, double s, Tensor out) {
    return Elementwise.unary(Unary.ADD_SCALAR, "addScalar", x, s, 0, DTypes.scalarResult(x.dtype(), s), out);
  }

  public static Tensor mulScalar(Tensor x, double s, Tensor out) {
    return Elementwise.unary(Unary.MUL_SCALAR, "mulScalar", x, s, 0, DTypes.scalarResult(x.dtype(), s), out);
  }

  public static Tensor exp(Tensor x, Tensor out) {
    return Elementwise.unary(Unary.EXP, "exp", x, 0, 0, DTypes.toFloat(x.dtype()), out);
  }

  public static Tensor log(Tensor x, Tensor out) {
    return Elementwise.unary(Unary.LOG, "log", x, 0, 0, DTypes.toFloat(x.dtype()), out);
  }

  public static Tensor sqrt(Tensor x, Tensor out) {
    return Elementwise.unary(Unary.SQRT, "sqrt", x, 0, 0, DTypes.toFloat(x.dtype()), out);
  }

  public static Tensor sign(Tensor x, Tensor out) {
    return Elementwise.unary(Unary.SIGN, "sign", x, 0, 0, x.dtype(), out);
  }

  public static Tensor sigmoid(Tensor x, Tensor out) {
    return Elementwise.unary(Unary.SIGMOID, "sigmoid", x, 0, 0, DTypes.toFloat(x.dtype()), out);
  }

  public static Tensor tanh(Tensor x, Tensor out) {
    return Elementwise.unary(Unary.TANH, "tanh", x, 0, 0, DTypes.toFloat(x.dtype()), out);
  }

  public static Tensor where(Tensor cond, Tensor a, Tensor b, Tensor out) {
    return Elementwise.where(cond, a, b, out);
  }

  /** {@code out = sum(x, dims)}; {@code out} has the result's shape (with or without the kept dims). */
  public static Tensor sum(Tensor x, int[] dims, boolean keepDim, Tensor out) {
    return Reduce.sum(x, dims, keepDim, out);
  }

  public static Tensor sumTo(Tensor x, int[] shape, Tensor out) {
    return Reduce.sumTo(x, shape, out);
  }

  /** {@code x} summed down to {@code out}'s shape (which broadcasts to x's), into {@code out}; returns {@code out}. */
  public static Tensor sumTo(Tensor x, Tensor out) {
    return Reduce.sumTo(x, Internals.shapeRef(out), out);
  }

  public static Tensor softmax(Tensor x, int dim, Tensor out) {
    return Softmax.softmax(x, dim, false, out);
  }

  public static Tensor logSoftmax(Tensor x, int dim, Tensor out) {
    return Softmax.softmax(x, dim, true, out);
  }

  // ---------------------------------------------------------------- indexing

  public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
    return Indexing.indexSelect(x, dim, index);
  }

  /** {@code indexSelect} into {@code out} (null: a new tensor), contiguous and of the result's shape and x's dtype. */
  public static Tensor indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
    return Indexing.indexSelect(x, dim, index, out);
  }

  public static Tensor indexAdd(Tensor src, int dim, Tensor index, int[] shape) {
    return Indexing.indexAdd(src, dim, index, shape);
  }

  /** {@code indexAdd} into {@code out} (null: a new tensor), contiguous, of {@code shape} and src's dtype. */
  public static Tensor indexAdd(Tensor src, int dim, Tensor index, int[] shape, Tensor out) {
    return Indexing.indexAdd(src, dim, index, shape, out);
  }

  public static Tensor gather(Tensor x, int dim, Tensor index) {
    return Indexing.gather(x, dim, index);
  }

  public static Tensor scatterAdd(Tensor src, int dim, Tensor index, int[] shape) {
    return Indexing.scatterAdd(src, dim, index, shape);
  }

  // ---------------------------------------------------------------- convolution and pooling (Conv, Pool), erf

  public static Tensor conv2d(Tensor x, Tensor w, int[] stride, int[] padding) {
    return Conv.conv2d(x, w, stride[0], stride[1], padding[0], padding[1]);
  }

  public static Tensor conv2dInputGrad(Tensor g, Tensor w, int[] inShape, int[] stride, int[] padding) {
    return Conv.conv2dInputGrad(g, w, inShape, stride[0], stride[1], padding[0], padding[1]);
  }

  public static Tensor conv2dWeightGrad(Tensor g, Tensor x, int[] weightShape, int[] stride, int[] padding) {
    return Conv.conv2dWeightGrad(g, x, weightShape, stride[0], stride[1], padding[0], padding[1]);
  }

  public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
    return Pool.maxPool2d(x, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
  }

  public static Tensor maxPool2dBackward(Tensor g, Tensor x, int[] kernel, int[] stride, int[] padding) {
    return Pool.maxPool2dBackward(g, x, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
  }

  public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
    return Pool.avgPool2d(x, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
  }

  public static Tensor avgPool2dBackward(Tensor g, int[] inShape, int[] kernel, int[] stride, int[] padding) {
    return Pool.avgPool2dBackward(g, inShape, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
  }

  public static Tensor erf(Tensor x) {
    return Erf.erf(x);
  }

  /** The exact GELU {@code x/2·(1 + erf(x/√2))}, fused. */
  public static Tensor gelu(Tensor x) {
    return Gelu.gelu(x, null);
  }

  public static Tensor gelu(Tensor x, Tensor out) {
    return Gelu.gelu(x, out);
  }

  /** {@code g · gelu'(x)}: the exact GELU's input gradient. */
  public static Tensor geluBackward(Tensor g, Tensor x) {
    return Gelu.geluBackward(g, x, null);
  }

  public static Tensor geluBackward(Tensor g, Tensor x, Tensor out) {
    return Gelu.geluBackward(g, x, out);
  }

  // ---------------------------------------------------------------- layer normalization

  /** Each row of the last dim centered and divided by {@code √(biased variance + eps)}, fused. */
  public static Tensor layerNorm(Tensor x, double eps) {
    return LayerNorm.forward(x, eps, null);
  }

  public static Tensor layerNorm(Tensor x, double eps, Tensor out) {
    return LayerNorm.forward(x, eps, out);
  }

  /** {@link #layerNorm}'s input gradient from the output gradient g and the input x (statistics recomputed). */
  public static Tensor layerNormBackward(Tensor g, Tensor x, double eps) {
    return LayerNorm.backward(g, x, null, eps, null);
  }

  public static Tensor layerNormBackward(Tensor g, Tensor x, double eps, Tensor out) {
    return LayerNorm.backward(g, x, null, eps, out);
  }

  /** {@link #layerNorm} then {@code ·w + b} for w and b {@code [n]} (x's last dim), fused. */
  public static Tensor layerNormAffine(Tensor x, Tensor w, Tensor b, double eps) {
    return LayerNorm.affine(x, w, b, eps, null);
  }

  public static Tensor layerNormAffine(Tensor x, Tensor w, Tensor b, double eps, Tensor out) {
    return LayerNorm.affine(x, w, b, eps, out);
  }

  /** {@link #layerNormAffine}'s input gradient: {@link #layerNormBackward} of {@code g·w}, in one call. */
  public static Tensor layerNormAffineBackward(Tensor g, Tensor x, Tensor w, double eps) {
    return LayerNorm.backward(g, x, w, eps, null);
  }

  public static Tensor layerNormAffineBackward(Tensor g, Tensor x, Tensor w, double eps, Tensor out) {
    return LayerNorm.backward(g, x, w, eps, out);
  }

  /** {@link #layerNormAffine}'s weight gradient: {@code Σ g·x̂} over the rows of the last dim, {@code [n]}. */
  public static Tensor layerNormWeightGrad(Tensor g, Tensor x, double eps) {
    return LayerNorm.weightGrad(g, x, eps, null);
  }

  public static Tensor layerNormWeightGrad(Tensor g, Tensor x, double eps, Tensor out) {
    return LayerNorm.weightGrad(g, x, eps, out);
  }

  /**
   * {@code erf} into {@code out} (null: a new tensor), contiguous, of x's shape and {@code toFloat(x.dtype())}:
   * compiled code writes it into a planned buffer instead of a new array per step.
   */
  public static Tensor erf(Tensor x, Tensor out) {
    if (out == null) {
      return Erf.erf(x);
    }
    DType t = DTypes.toFloat(x.dtype());
    Tensor o = Elementwise.prepare(out, t, Internals.shapeRef(x), "erf");
    if (x.dtype() != t || !x.isContiguous()) {
      Copy.copy(Erf.erf(x), o);
      return o;
    }
    int n = x.numel();
    int xo = x.offset();
    int oo = o.offset();
    if (t == DType.FLOAT32) {
      float[] src = x.storage().floats();
      float[] dst = o.storage().floats();
      Parallel.forRange(n, 40L * n, (from, to) -> {
        for (int i = from; i < to; i++) {
          dst[oo + i] = (float) Erf.erfFloat(src[xo + i]);
        }
      });
    } else {
      double[] src = x.storage().doubles();
      double[] dst = o.storage().doubles();
      for (int i = 0; i < n; i++) {
        dst[oo + i] = Erf.erf(src[xo + i]);
      }
    }
    return o;
  }

  // ---------------------------------------------------------------- fused losses

  /** Σ (x − y)² over two contiguous float tensors of one shape and dtype, accumulated in double. */
  public static double squaredErrorSum(Tensor x, Tensor y) {
    return SquaredError.sum(x, y);
  }

  /** {@code out = c · (x − y)} for two contiguous float tensors and a contiguous {@code out} of their shape and dtype. */
  public static Tensor squaredErrorGrad(Tensor x, Tensor y, double c, Tensor out) {
    return SquaredError.gradient(x, y, c, out);
  }

  /**
   * Σ over the rows of contiguous float logits {@code x} [N, C] whose INT64 target {@code y} [N] is not
   * {@code ignoreIndex} of lseₙ − x[n, yₙ]; writes each row's log-sum-exp into {@code lse} (FLOAT64 [N]).
   * {@code loss} names the caller in the error for a target out of range.
   */
  public static double crossEntropySum(String loss, Tensor x, Tensor y, long ignoreIndex, Tensor lse) {
    return CrossEntropy.forward(loss, x, y, ignoreIndex, lse);
  }

  /** The number of targets in {@code y} (contiguous INT64) that are not {@code ignoreIndex}. */
  public static int crossEntropyKept(Tensor y, long ignoreIndex) {
    return CrossEntropy.kept(y, ignoreIndex);
  }

  /** {@code out = scale · (softmax(x) − onehot(y))} from {@link #crossEntropySum}'s {@code lse}, zero on ignored rows. */
  public static Tensor crossEntropyGrad(Tensor x, Tensor y, long ignoreIndex, Tensor lse, double scale, Tensor out) {
    return CrossEntropy.gradient(x, y, ignoreIndex, lse, scale, out);
  }

  // ---------------------------------------------------------------- fused (compiled code)

  /**
   * {@code out = a @ bᵀ} for 2-D {@code a} [n, k] and {@code b} [m, k]: a Linear's {@code x @ w.t()}
   * with the weight in its own [out, in] layout, and no transposed view made by the caller. Returns
   * {@code out} (null: a new tensor).
   */
  public static Tensor matmulNT(Tensor a, Tensor b, Tensor out) {
    return MatMul.matmulTransposed("matmulNT", a, false, b, true, out);
  }

  /**
   * {@code out = aᵀ @ b} for 2-D {@code a} [k, n] and {@code b} [k, m]: a Linear's weight gradient
   * {@code dYᵀ @ x}, written contiguous in the weight's [out, in] layout. Returns {@code out} (null: a new tensor).
   */
  public static Tensor matmulTN(Tensor a, Tensor b, Tensor out) {
    return MatMul.matmulTransposed("matmulTN", a, true, b, false, out);
  }

  /**
   * {@code out = a * sign(s)} in one pass, for operands of the same shape: ReLU's backward
   * {@code dY * sign(y)} without a mask tensor. The dtype promotes a and s; returns {@code out} (null: a new tensor).
   */
  public static Tensor mulSign(Tensor a, Tensor s, Tensor out) {
    return Fused.mulSign(a, s, out);
  }

  // ---------------------------------------------------------------- fused attention

  /** Fused scaled dot-product attention, output and row log-sum-exp packed ({@link AttentionRows#forward}). */
  public static Tensor attention(Tensor q, Tensor k, Tensor v, double scale, boolean causal) {
    return AttentionRows.forward(q, k, v, scale, causal, null);
  }

  public static Tensor attention(Tensor q, Tensor k, Tensor v, double scale, boolean causal, Tensor out) {
    return AttentionRows.forward(q, k, v, scale, causal, out);
  }

  /** {@link #attention}'s backward: dq, dk and dv stacked along the rows ({@link AttentionRows#backward}). */
  public static Tensor attentionBackward(Tensor g, Tensor q, Tensor k, Tensor v, Tensor y, double scale, boolean causal) {
    return AttentionRows.backward(g, q, k, v, y, scale, causal, null);
  }

  public static Tensor attentionBackward(Tensor g, Tensor q, Tensor k, Tensor v, Tensor y, double scale, boolean causal,
      Tensor out) {
    return AttentionRows.backward(g, q, k, v, y, scale, causal, out);
  }
}

package dev.flint.ops;

import java.util.List;

/**
 * The op set as an interface, so derivative rules can be run on tensors (eager autograd) or traced
 * into IR (the processor). Every method is itself a row of {@link Op}, named by the row in camel case
 * ({@code addScalar} is {@code ADD_SCALAR}); {@code OpTableTest} checks this. Methods need only values,
 * shapes and attributes, never data. Dims are normalized ({@code 0 <= dim < rank}).
 */
public interface Algebra<T> {
  T add(T a, T b);

  T sub(T a, T b);

  T mul(T a, T b);

  T div(T a, T b);

  T neg(T x);

  T addScalar(T x, double s);

  T mulScalar(T x, double s);

  T powScalar(T x, double p);

  T exp(T x);

  T log(T x);

  T sqrt(T x);

  T abs(T x);

  /** -1, 0 or 1 by the sign of each element. */
  T sign(T x);

  T relu(T x);

  T sigmoid(T x);

  T tanh(T x);

  /** BOOL {@code a > b}, broadcast. */
  T gt(T a, T b);

  /** BOOL {@code a == b}, broadcast. */
  T eq(T a, T b);

  /** {@code cond ? a : b} elementwise, broadcast. */
  T where(T cond, T a, T b);

  T clamp(T x, double min, double max);

  /** Batched matrix product of operands with at least 2 dims. */
  T matmul(T a, T b);

  T sum(T x, int[] dims, boolean keepDim);

  /** Sums {@code x} down to {@code like}'s shape: undoes broadcasting. */
  T sumTo(T x, T like);

  /** Broadcasts {@code x} to {@code shape}. */
  T expand(T x, int[] shape);

  T reshape(T x, int[] shape);

  T permute(T x, int[] perm);

  T narrow(T x, int dim, int start, int length);

  /** Every {@code step}-th entry of {@code dim} from {@code start}, {@code length} of them (a view). */
  T slice(T x, int dim, int start, int length, int step);

  /** Zeros of {@code shape} with {@code g} written at the positions {@link #slice} reads. */
  T sliceBackward(T g, int dim, int start, int step, int[] shape);

  /** {@code x} with {@code before} and {@code after} zeros added along {@code dim}. */
  T pad(T x, int dim, int before, int after);

  T cat(List<T> xs, int dim);

  /** The values of the maximum along {@code dim}. */
  T max(T x, int dim, boolean keepDim);

  T min(T x, int dim, boolean keepDim);

  /** INT64 indices of the first maximum along {@code dim}. */
  T argmax(T x, int dim, boolean keepDim);

  T argmin(T x, int dim, boolean keepDim);

  T softmax(T x, int dim);

  T logSoftmax(T x, int dim);

  /** {@link #softmax}'s input gradient given the output gradient {@code g} and the output {@code y}. */
  T softmaxBackward(T g, T y, int dim);

  /** {@code x} converted to {@code like}'s dtype. */
  T cast(T x, T like);

  T indexSelect(T x, int dim, T index);

  /** Zeros of {@code shape} with {@code src}'s slices added at the positions of a 1-D {@code index} along {@code dim}. */
  T indexAdd(T src, int dim, T index, int[] shape);

  T gather(T x, int dim, T index);

  /** Zeros of {@code shape} with {@code src} added at {@code index} along {@code dim} ({@code scatter_add}). */
  T scatterAdd(T src, int dim, T index, int[] shape);

  /** 2-D cross-correlation of {@code x [N, C, H, W]} with {@code w [O, C, kH, kW]}; stride and padding are (h, w). */
  T conv2d(T x, T w, int[] stride, int[] padding);

  /** The gradient of {@link #conv2d} with respect to its input of shape {@code inShape}, given the output gradient. */
  T conv2dInputGrad(T g, T w, int[] inShape, int[] stride, int[] padding);

  /** The gradient of {@link #conv2d} with respect to its weight of shape {@code weightShape}, given the output gradient. */
  T conv2dWeightGrad(T g, T x, int[] weightShape, int[] stride, int[] padding);

  /** The maximum of each window; kernel, stride and padding are (h, w). */
  T maxPool2d(T x, int[] kernel, int[] stride, int[] padding);

  /** The gradient of {@link #maxPool2d} with respect to {@code x}, given the output gradient. */
  T maxPool2dBackward(T g, T x, int[] kernel, int[] stride, int[] padding);

  /** The mean of each window (zero padding counts). */
  T avgPool2d(T x, int[] kernel, int[] stride, int[] padding);

  /** The gradient of {@link #avgPool2d} with respect to its input of shape {@code inShape}. */
  T avgPool2dBackward(T g, int[] inShape, int[] kernel, int[] stride, int[] padding);

  T erf(T x);

  /** The exact GELU, fused. */
  T gelu(T x);

  /** {@link #gelu}'s input gradient given the output gradient {@code g}. */
  T geluBackward(T g, T x);

  T sin(T x);

  T cos(T x);

  T floor(T x);

  T ceil(T x);

  T round(T x);

  /** {@code x} with the entries above diagonal {@code diagonal} of its last two dims set to zero. */
  T tril(T x, int diagonal);

  /** One LSTM layer's fused step loop (see {@link Op#LSTM_SCAN}). */
  T lstmScan(T gx, T whh, T h0, T c0);

  /** {@link #lstmScan}'s backward through time given the gradient of its result {@code y}. */
  T lstmScanBackward(T g, T y, T whh);

  /** One GRU layer's fused step loop (see {@link Op#GRU_SCAN}). */
  T gruScan(T gx, T whh, T bhh, T h0);

  /** {@link #gruScan}'s backward through time given the gradient of its result {@code y}. */
  T gruScanBackward(T g, T y, T whh);

  /** {@code x} with the entries below diagonal {@code diagonal} of its last two dims set to zero. */
  T triu(T x, int diagonal);

  /** Each row of the last dim normalized to mean 0 and variance 1 (see {@link Op#LAYER_NORM}). */
  T layerNorm(T x, double eps);

  /** {@link #layerNorm}'s input gradient given the output gradient {@code g}. */
  T layerNormBackward(T g, T x, double eps);

  /** {@link #layerNorm} then {@code ·w + b}, fused (see {@link Op#LAYER_NORM_AFFINE}). */
  T layerNormAffine(T x, T w, T b, double eps);

  /** {@link #layerNormAffine}'s input gradient given the output gradient {@code g}. */
  T layerNormAffineBackward(T g, T x, T w, double eps);

  /** {@link #layerNormAffine}'s weight gradient given the output gradient {@code g}. */
  T layerNormWeightGrad(T g, T x, double eps);

  /** Fused scaled dot-product attention, its output and row log-sum-exp packed (see {@link Op#ATTENTION}). */
  T attention(T q, T k, T v, double scale, boolean causal);

  /** {@link #attention}'s backward: dq, dk and dv stacked (see {@link Op#ATTENTION_BACKWARD}). */
  T attentionBackward(T g, T q, T k, T v, T y, double scale, boolean causal);
}

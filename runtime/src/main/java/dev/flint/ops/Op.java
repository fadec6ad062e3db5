package dev.flint.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The primitive ops. Each row gives its arity (-1: any number of inputs), its result dtype rule, its
 * shape rule, and its derivative rule: the input gradients given {@code g = dL/dout}, written against
 * {@link Algebra} so that eager autograd and the processor share them (see docs/style.md, section 2). A row's
 * forward is its kernel, {@code Kernels.<name>()}. A rule returns null for an input that gets no
 * gradient (indices, conditions). Each row's {@link Signature} (kernel arguments, out variant, fresh
 * result, saved values) is declared in {@code signature(Op)} at the end of this file, a switch the
 * compiler requires to cover every row.
 */
public enum Op {
  /** {@code a + b}, broadcast. */
  ADD(2, ResultType.PROMOTE, Shapes::broadcast, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.sumTo(g, c.in(0)), a.sumTo(g, c.in(1)));
    }
  },
  /** {@code a - b}, broadcast. */
  SUB(2, ResultType.PROMOTE, Shapes::broadcast, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.sumTo(g, c.in(0)), a.sumTo(a.neg(g), c.in(1)));
    }
  },
  /** {@code a * b}, broadcast. */
  MUL(2, ResultType.PROMOTE, Shapes::broadcast, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.sumTo(a.mul(g, c.in(1)), c.in(0)),    // sumTo undoes broadcasting
      a.sumTo(a.mul(g, c.in(0)), c.in(1)));
    }
  },
  /** {@code a / b}, broadcast; true division (integers give FLOAT32). */
  DIV(2, ResultType.PROMOTE_FLOAT, Shapes::broadcast, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.sumTo(a.div(g, c.in(1)), c.in(0)),
      a.sumTo(a.neg(a.mul(g, a.div(c.out(), c.in(1)))), c.in(1)));   // d(a/b)/db = -(a/b)/b
    }
  },
  /** {@code -x}. */
  NEG(1, ResultType.SAME, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.neg(g));
    }
  },
  /** {@code x + value}. */
  ADD_SCALAR(1, ResultType.SCALAR, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(g);
    }
  },
  /** {@code x * value}. */
  MUL_SCALAR(1, ResultType.SCALAR, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mulScalar(g, c.attrs().real(Attrs.VALUE)));
    }
  },
  /** {@code x ^ value}. */
  POW_SCALAR(1, ResultType.SCALAR, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      double p = c.attrs().real(Attrs.VALUE);
      return List.of(a.mul(g, a.mulScalar(a.powScalar(c.in(0), p - 1), p)));
    }
  },
  /** {@code e^x}. */
  EXP(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mul(g, c.out()));
    }
  },
  /** Natural logarithm. */
  LOG(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.div(g, c.in(0)));
    }
  },
  /** Square root. */
  SQRT(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.div(g, a.mulScalar(c.out(), 2)));
    }
  },
  /** {@code |x|}; the gradient at 0 is 0, as PyTorch's. */
  ABS(1, ResultType.SAME, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mul(g, a.sign(c.in(0))));
    }
  },
  /** -1, 0 or 1; not differentiable (zero gradient). */
  SIGN(1, ResultType.SAME, Shapes::same, false),
  /** {@code max(x, 0)}, fused. */
  RELU(1, ResultType.SAME, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mul(g, a.sign(c.out())));   // out >= 0, so sign(out) is the 0/1 mask
    }
  },
  /** {@code 1 / (1 + e^-x)}, fused; backward from the output. */
  SIGMOID(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mul(g, a.mul(c.out(), a.addScalar(a.neg(c.out()), 1))));
    }
  },
  /** Hyperbolic tangent, fused; backward from the output. */
  TANH(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mul(g, a.addScalar(a.neg(a.mul(c.out(), c.out())), 1)));
    }
  },
  /** BOOL {@code a &gt; b}, broadcast; not differentiable. */
  GT(2, ResultType.BOOL, Shapes::broadcast, false),
  /** BOOL {@code a &lt; b}, broadcast; not differentiable. */
  LT(2, ResultType.BOOL, Shapes::broadcast, false),
  /** BOOL {@code a &gt;= b}, broadcast; not differentiable. */
  GE(2, ResultType.BOOL, Shapes::broadcast, false),
  /** BOOL {@code a &lt;= b}, broadcast; not differentiable. */
  LE(2, ResultType.BOOL, Shapes::broadcast, false),
  /** BOOL {@code a == b}, broadcast; not differentiable. */
  EQ(2, ResultType.BOOL, Shapes::broadcast, false),
  /** BOOL {@code a != b}, broadcast; not differentiable. */
  NE(2, ResultType.BOOL, Shapes::broadcast, false),
  /** {@code cond ? a : b} (inputs cond, a, b), broadcast; the result type promotes a and b. */
  WHERE(3, ResultType.PROMOTE_BRANCHES, Shapes::broadcast, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Arrays.asList(null, a.sumTo(a.mul(g, c.in(0)), c.in(1)),
      a.sumTo(a.sub(g, a.mul(g, c.in(0))), c.in(2)));
    }
  },
  /** {@code min(max(x, min), max)}; attrs min, max. */
  CLAMP(1, ResultType.SAME, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mul(g, a.eq(c.out(), c.in(0))));   // gradient passes where x was not clipped
    }
  },
  /** Batched matrix product {@code [..., n, k] @ [..., k, m] -> [..., n, m]} with broadcast batch dims; one dtype. */
  MATMUL(2, ResultType.SAME, Shapes::matmul, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      T bt = a.permute(c.in(1), Shapes.swapLastTwo(c.inShape(1).length));
      T at = a.permute(c.in(0), Shapes.swapLastTwo(c.inShape(0).length));
      return Arrays.asList(c.needsGrad(0) ? a.sumTo(a.matmul(g, bt), c.in(0)) : null,
          c.needsGrad(1) ? a.sumTo(a.matmul(at, g), c.in(1)) : null);
    }
  },
  /** Sum over the {@code dims} attribute, with {@code keepDim}. */
  SUM(1, ResultType.ACCUMULATE, Shapes::sum, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      int[] kept = Shapes.keepDims(c.inShape(0), c.attrs().ints(Attrs.DIMS));
      return List.of(a.expand(a.reshape(g, kept), c.inShape(0)));
    }
  },
  /** Sum down to the {@code shape} attribute, which broadcasts to the input: the adjoint of EXPAND. */
  SUM_TO(1, ResultType.SAME, Shapes::sumTo, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.expand(g, c.inShape(0)));
    }
  },
  /** A broadcast view with the {@code shape} attribute (-1 keeps a size). */
  EXPAND(1, ResultType.SAME, Shapes::expand, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.sumTo(g, c.in(0)));
    }
  },
  /** The same elements in the {@code shape} attribute (a view when the strides allow). */
  RESHAPE(1, ResultType.SAME, Shapes::reshape, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.reshape(g, c.inShape(0)));
    }
  },
  /** A view with dims reordered by the {@code perm} attribute. */
  PERMUTE(1, ResultType.SAME, Shapes::permute, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.permute(g, Shapes.inversePermutation(c.attrs().ints(Attrs.PERM))));
    }
  },
  /** A view of {@code [start, start + length)} along {@code dim}. */
  NARROW(1, ResultType.SAME, Shapes::narrow, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      int d = c.dim();
      int start = c.attrs().integer(Attrs.START);
      DimAlgebra n = c.dims();   // sizes may be symbolic: T - length
      return List.of(a.pad(g, d, start, n.subtract(n.subtract(c.inShape(0)[d], start), c.attrs().integer(Attrs.LENGTH))));
    }
  },
  /** A view of every {@code step}-th entry of {@code dim} from {@code start}, {@code length} of them ({@code x[a:b:s]}). */
  SLICE(1, ResultType.SAME, Shapes::slice, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      Attrs at = c.attrs();
      return List.of(a.sliceBackward(g, c.dim(), at.integer(Attrs.START), at.integer(Attrs.STEP), c.inShape(0)));
    }
  },
  /** Zeros of the {@code shape} attribute with input 0 written at SLICE's positions: SLICE's adjoint. */
  SLICE_BACKWARD(1, ResultType.SAME, ConvShapes::fromShapeAttr, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      Attrs at = c.attrs();
      return List.of(a.slice(g, c.dim(), at.integer(Attrs.START), c.inShape(0)[c.dim()], at.integer(Attrs.STEP)));
    }
  },
  /** Zeros added before and after along {@code dim}. */
  PAD(1, ResultType.SAME, Shapes::pad, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.narrow(g, c.dim(), c.attrs().integer(Attrs.BEFORE), c.inShape(0)[c.dim()]));
    }
  },
  /** Concatenation along {@code dim} (any number of inputs). */
  CAT(-1, ResultType.PROMOTE, Shapes::cat, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Derivatives.cat(a, g, c);
    }
  },
  /** Maximum values along {@code dim}; the gradient goes to the first maximum, as PyTorch's max(dim). */
  MAX(1, ResultType.SAME, Shapes::reduceDim, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(Derivatives.toIndex(a, g, c, a.argmax(c.in(0), c.dim(), true)));
    }
  },
  /** Minimum values along {@code dim}; the gradient goes to the first minimum. */
  MIN(1, ResultType.SAME, Shapes::reduceDim, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(Derivatives.toIndex(a, g, c, a.argmin(c.in(0), c.dim(), true)));
    }
  },
  /** INT64 index of the first maximum along {@code dim}. */
  ARGMAX(1, ResultType.INT64, Shapes::reduceDim, false),
  /** INT64 index of the first minimum along {@code dim}. */
  ARGMIN(1, ResultType.INT64, Shapes::reduceDim, false),
  /** {@code exp(x) / sum(exp(x))} along {@code dim}, fused and stable; backward from the output. */
  SOFTMAX(1, ResultType.FLOAT, Shapes::sameWithDim, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.softmaxBackward(g, c.out(), c.dim()));
    }
  },
  /**
   * SOFTMAX's input gradient from (g, y = softmax(x)): {@code y·(g − Σ_dim g·y)}, one pass per slice
   * ({@code kernel.Softmax}); not differentiated.
   */
  SOFTMAX_BACKWARD(2, ResultType.PROMOTE_FLOAT, Shapes::sameWithDim, false),
  /** {@code x - log(sum(exp(x)))} along {@code dim}, fused and stable. */
  LOG_SOFTMAX(1, ResultType.FLOAT, Shapes::sameWithDim, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.sub(g, a.mul(a.exp(c.out()), a.sum(g, new int[] {c.dim()}, true))));
    }
  },
  /** Conversion to the dtype named by the {@code dtype} attribute. */
  CAST(1, ResultType.ATTR, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.cast(g, c.in(0)));
    }
  },
  /** A contiguous copy. */
  CLONE(1, ResultType.SAME, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(g);
    }
  },
  /** Slices of input 0 at the positions of the 1-D INT64 index (input 1) along {@code dim}. */
  INDEX_SELECT(2, ResultType.SAME, Shapes::indexSelect, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Arrays.asList(a.indexAdd(g, c.dim(), c.in(1), c.inShape(0)), null);
    }
  },
  /** Zeros of the {@code shape} attribute with the slices of input 0 added at the 1-D index (input 1): the adjoint of INDEX_SELECT. */
  INDEX_ADD(2, ResultType.SAME, Shapes::indexAdd, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Arrays.asList(a.indexSelect(g, c.dim(), c.in(1)), null);
    }
  },
  /** {@code out[i][j] = x[i][index[i][j]]} for dim 1 ({@code torch.gather}). */
  GATHER(2, ResultType.SAME, Shapes::gather, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Arrays.asList(a.scatterAdd(g, c.dim(), c.in(1), c.inShape(0)), null);
    }
  },
  /** Zeros of the {@code shape} attribute with input 0 added at the index (input 1): the adjoint of GATHER. */
  SCATTER_ADD(2, ResultType.SAME, Shapes::scatterAdd, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Arrays.asList(a.gather(g, c.dim(), c.in(1)), null);
    }
  },
  /** 2-D cross-correlation of x {@code [N, C, H, W]} with w {@code [O, C, kH, kW]}, no bias; attrs stride, padding. */
  CONV2D(2, ResultType.PROMOTE, ConvShapes::conv2d, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      int[] s = c.attrs().ints(Attrs.STRIDE);
      int[] p = c.attrs().ints(Attrs.PADDING);
      return Arrays.asList(c.needsGrad(0) ? a.conv2dInputGrad(g, c.in(1), c.inShape(0), s, p) : null,
          c.needsGrad(1) ? a.conv2dWeightGrad(g, c.in(0), c.inShape(1), s, p) : null);
    }
  },
  /** CONV2D's input gradient from (g, w), shaped by the {@code shape} attribute; bilinear, so its rule is CONV2D's. */
  CONV2D_INPUT_GRAD(2, ResultType.PROMOTE, ConvShapes::fromShapeAttr, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      int[] s = c.attrs().ints(Attrs.STRIDE);
      int[] p = c.attrs().ints(Attrs.PADDING);
      return Arrays.asList(a.conv2d(g, c.in(1), s, p), a.conv2dWeightGrad(c.in(0), g, c.inShape(1), s, p));
    }
  },
  /** CONV2D's weight gradient from (g, x), shaped by the {@code shape} attribute. */
  CONV2D_WEIGHT_GRAD(2, ResultType.PROMOTE, ConvShapes::fromShapeAttr, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      int[] s = c.attrs().ints(Attrs.STRIDE);
      int[] p = c.attrs().ints(Attrs.PADDING);
      return Arrays.asList(a.conv2d(c.in(1), g, s, p), a.conv2dInputGrad(c.in(0), g, c.inShape(1), s, p));
    }
  },
  /** The maximum of each window of x {@code [N, C, H, W]}; attrs kernel, stride, padding. */
  MAX_POOL2D(1, ResultType.SAME, ConvShapes::pool2d, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      Attrs at = c.attrs();
      return List.of(a.maxPool2dBackward(g, c.in(0), at.ints(Attrs.KERNEL), at.ints(Attrs.STRIDE),
          at.ints(Attrs.PADDING)));
    }
  },
  /** MAX_POOL2D's input gradient from (g, x): g routed to each window's first maximum; not differentiated. */
  MAX_POOL2D_BACKWARD(2, ResultType.SAME, ConvShapes::secondInput, false),
  /** The mean of each window of x (zero padding counts); attrs kernel, stride, padding. */
  AVG_POOL2D(1, ResultType.SAME, ConvShapes::pool2d, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      Attrs at = c.attrs();
      return List.of(a.avgPool2dBackward(g, c.inShape(0), at.ints(Attrs.KERNEL), at.ints(Attrs.STRIDE),
          at.ints(Attrs.PADDING)));
    }
  },
  /** AVG_POOL2D's input gradient, shaped by the {@code shape} attribute; linear, its adjoint is AVG_POOL2D. */
  AVG_POOL2D_BACKWARD(1, ResultType.SAME, ConvShapes::fromShapeAttr, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      Attrs at = c.attrs();
      return List.of(a.avgPool2d(g, at.ints(Attrs.KERNEL), at.ints(Attrs.STRIDE), at.ints(Attrs.PADDING)));
    }
  },
  /** Sine; d sin(x)/dx = cos(x). */
  SIN(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mul(g, a.cos(c.in(0))));
    }
  },
  /** Cosine; d cos(x)/dx = −sin(x). */
  COS(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.neg(a.mul(g, a.sin(c.in(0)))));
    }
  },
  /** The largest integer not above x; its gradient is zero, as PyTorch's {@code FloorBackward}. */
  FLOOR(1, ResultType.SAME, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mulScalar(g, 0));
    }
  },
  /** The smallest integer not below x; zero gradient. */
  CEIL(1, ResultType.SAME, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mulScalar(g, 0));
    }
  },
  /** The nearest integer, half to even ({@code torch.round}); zero gradient. */
  ROUND(1, ResultType.SAME, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.mulScalar(g, 0));
    }
  },
  /** The lower triangle of the last two dims: entries with {@code col - row <= diagonal} kept, the rest zero. */
  TRIL(1, ResultType.SAME, Shapes::matrixLike, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.tril(g, c.attrs().integer(Attrs.DIAGONAL)));   // a mask is its own adjoint
    }
  },
  /** The upper triangle of the last two dims: entries with {@code col - row >= diagonal} kept, the rest zero. */
  TRIU(1, ResultType.SAME, Shapes::matrixLike, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.triu(g, c.attrs().integer(Attrs.DIAGONAL)));
    }
  },
  /**
   * One LSTM layer's step loop, fused: inputs gx {@code [B, T, 4H]} (the input projections of all steps,
   * both biases added), whh {@code [4H, H]}, h0 and c0 {@code [B, H]}; the result {@code [B, T, 8, H]} packs
   * per step (h_{t−1}, c_{t−1}, h_t, c_t, i, f, g, o) in PyTorch's gate order ({@code kernel.Recurrence}).
   */
  LSTM_SCAN(4, ResultType.PROMOTE, RecurrenceShapes::lstmScan, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Derivatives.lstmScan(a, g, c);
    }
  },
  /** LSTM_SCAN's backward through time from (grad, y, whh): {@code [B, T, 6, H]}; not differentiated. */
  LSTM_SCAN_BACKWARD(3, ResultType.PROMOTE, RecurrenceShapes::lstmScanBackward, false),
  /**
   * One GRU layer's step loop, fused: inputs gx {@code [B, T, 3H]} (input projections with b_ih), whh
   * {@code [3H, H]}, bhh {@code [3H]}, h0 {@code [B, H]}; the result {@code [B, T, 6, H]} packs per step
   * (h_{t−1}, h_t, r, z, n, W_hn·h_{t−1} + b_hn) ({@code kernel.Recurrence}).
   */
  GRU_SCAN(4, ResultType.PROMOTE, RecurrenceShapes::gruScan, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Derivatives.gruScan(a, g, c);
    }
  },
  /** GRU_SCAN's backward through time from (grad, y, whh): {@code [B, T, 5, H]}; not differentiated. */
  GRU_SCAN_BACKWARD(3, ResultType.PROMOTE, RecurrenceShapes::gruScanBackward, false),
  /** The error function; d erf(x)/dx = 2/√π · e^(−x²). */
  ERF(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      T x = c.in(0);
      return List.of(a.mul(g, a.mulScalar(a.exp(a.neg(a.mul(x, x))), 2 / Math.sqrt(Math.PI))));
    }
  },
  /** The exact GELU {@code x·Φ(x) = x/2·(1 + erf(x/√2))}, fused ({@code kernel.Gelu}). */
  GELU(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.geluBackward(g, c.in(0)));
    }
  },
  /** GELU's input gradient {@code g·(Φ(x) + x·φ(x))} from (g, x), fused; not differentiated. */
  GELU_BACKWARD(2, ResultType.PROMOTE_FLOAT, Shapes::broadcast, false),
  // ---- layer normalization (kernel.LayerNorm): keep these rows together
  /**
   * Each row of the last dim centered and divided by {@code √(biased variance + eps)}, fused
   * ({@code kernel.LayerNorm}); the affine part of a layer norm is separate rows. Backward recomputes
   * the row statistics from x.
   */
  LAYER_NORM(1, ResultType.FLOAT, Shapes::same, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return List.of(a.layerNormBackward(g, c.in(0), c.attrs().real(Attrs.EPS)));
    }
  },
  /**
   * LAYER_NORM's input gradient from (g, x): {@code (g − mean(g) − x̂·mean(g·x̂)) / σ} per row of the last
   * dim, with x̂ and σ recomputed from x; not differentiated.
   */
  LAYER_NORM_BACKWARD(2, ResultType.PROMOTE_FLOAT, NormShapes::sameShapes, false),
  /**
   * LAYER_NORM of x then {@code ·w + b} with w and b {@code [n]} for x's last dim n, fused: a layer norm with
   * its elementwise affine in one pass. Backward recomputes the row statistics from x.
   */
  LAYER_NORM_AFFINE(3, ResultType.PROMOTE_FLOAT, NormShapes::affine, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      double eps = c.attrs().real(Attrs.EPS);
      return Arrays.asList(c.needsGrad(0) ? a.layerNormAffineBackward(g, c.in(0), c.in(1), eps) : null,
          c.needsGrad(1) ? a.layerNormWeightGrad(g, c.in(0), eps) : null,
          c.needsGrad(2) ? a.sumTo(g, c.in(2)) : null);
    }
  },
  /** LAYER_NORM_AFFINE's input gradient from (g, x, w): LAYER_NORM_BACKWARD of {@code g·w}; not differentiated. */
  LAYER_NORM_AFFINE_BACKWARD(3, ResultType.PROMOTE_FLOAT, NormShapes::affineBackward, false),
  /** LAYER_NORM_AFFINE's weight gradient from (g, x): {@code Σ g·x̂} over the rows, {@code [n]}; not differentiated. */
  LAYER_NORM_WEIGHT_GRAD(2, ResultType.PROMOTE_FLOAT, NormShapes::weightGrad, false),
  // ---- end of layer normalization
  // ---- fused attention (kernel.AttentionRows)
  /**
   * Scaled dot-product attention, fused: q {@code [..., T, E]}, k and v {@code [..., S, E]}, attrs scale and
   * causal (key j allowed for query i when {@code j <= i}); the result {@code [..., T, E + 1]} packs each query
   * row's output (columns {@code [0, E)}) and the log-sum-exp of its scores (column E), what the backward
   * reads besides q, k and v: O(T) saved values per row, never the {@code [T, S]} weights.
   */
  ATTENTION(3, ResultType.SAME, AttentionShapes::attention, true) {
    @Override
    public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
      return Derivatives.attention(a, g, c);
    }
  },
  /**
   * ATTENTION's backward from (grad, q, k, v, y) (grad and y packed as ATTENTION's result; the grad of the
   * log-sum-exp column is honoured): {@code [..., T + 2S, E]} stacks dq, dk and dv; not differentiated.
   */
  ATTENTION_BACKWARD(5, ResultType.SAME, AttentionShapes::attentionBackward, false);

  private final int arity;
  private final ResultType resultType;
  private final ShapeRule shapeRule;
  private final boolean differentiable;

  Op(int arity, ResultType resultType, ShapeRule shapeRule, boolean differentiable) {
    this.arity = arity;
    this.resultType = resultType;
    this.shapeRule = shapeRule;
    this.differentiable = differentiable;
  }

  /**
   * The input gradients (one per input, null where none) given {@code g}, the gradient of the output.
   * Non-differentiable rows answer all nulls.
   */
  public <T> List<T> backward(Algebra<T> a, T g, Call<T> c) {
    List<T> none = new ArrayList<>();
    for (int i = 0; i < c.arity(); i++) {
      none.add(null);
    }
    return none;
  }

  /** The number of tensor inputs, or -1 for a variable number (CAT). */
  public int arity() {
    return arity;
  }

  public ResultType resultType() {
    return resultType;
  }

  /** Whether gradients flow through this op to its (floating-point) inputs. */
  public boolean differentiable() {
    return differentiable;
  }

  /** The output shape for these input shapes, or a {@link ShapeError} naming this op. */
  public int[] inferShape(List<int[]> in, Attrs attrs) {
    return inferShape(DimAlgebra.EAGER, in, attrs);
  }

  /** As above, with sizes of {@code dims}: the compiler's symbolic sizes (Note [Dimension algebra]). */
  public int[] inferShape(DimAlgebra dims, List<int[]> in, Attrs attrs) {
    if (arity >= 0 && in.size() != arity) {
      throw new ShapeError(opName() + ": expected " + arity + " inputs, but got " + in.size());
    }
    return shapeRule.infer(dims, opName(), in, attrs);
  }

  /** The kernel's and the Algebra method's name: {@code LOG_SOFTMAX} is {@code logSoftmax}. */
  public String opName() {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char ch : name().toLowerCase(Locale.ROOT).toCharArray()) {
      if (ch == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return sb.toString();
  }

  /**
   * The name of this op's backward node, as PyTorch's {@code grad_fn}: {@code MulBackward} (the
   * scalar rows print as their tensor forms, as in PyTorch).
   */
  public String backwardName() {
    String n = opName().replace("Scalar", "");
    return Character.toUpperCase(n.charAt(0)) + n.substring(1) + "Backward";
  }

  /** This row's {@link Signature}. */
  public Signature signature() {
    return Signatures.ALL.get(this);
  }

  /** Built once, after the rows exist (a switch over rows cannot run while they are being constructed). */
  private static final class Signatures {
    static final Map<Op, Signature> ALL = new EnumMap<>(Op.class);

    static {
      for (Op op : values()) {
        ALL.put(op, signature(op));
      }
    }
  }

  /**
   * The signature of each row: the kernel's arguments in order ({@code in(i)}, {@code inputs()},
   * {@code attr(name)}), {@code withOut()} when it has an out variant, {@code alwaysFresh()} when its
   * result never shares an input's storage, and the values the derivative rule reads ({@code saving}).
   */
  private static Signature signature(Op op) {
    Signature.Arg x = Signature.in(0);
    Signature.Arg y = Signature.in(1);
    Signature.Arg out = Signature.out();
    Signature unary = Signature.kernel(x);
    Signature binary = Signature.kernel(x, y);
    Signature scalar = Signature.kernel(x, Signature.attr(Attrs.VALUE));
    Signature.Arg dim = Signature.attr(Attrs.DIM);
    Signature.Arg keepDim = Signature.attr(Attrs.KEEP_DIM);
    Signature.Arg shape = Signature.attr(Attrs.SHAPE);
    Signature.Arg kernel = Signature.attr(Attrs.KERNEL);
    Signature.Arg stride = Signature.attr(Attrs.STRIDE);
    Signature.Arg padding = Signature.attr(Attrs.PADDING);
    return switch (op) {
      case ADD, SUB -> binary.withOut().alwaysFresh();
      case MUL -> binary.withOut().alwaysFresh().saving(x, y);
      case DIV -> binary.withOut().alwaysFresh().saving(y, out);
      case NEG, SIGN -> unary.withOut().alwaysFresh();
      case ADD_SCALAR, MUL_SCALAR -> scalar.withOut().alwaysFresh();
      case POW_SCALAR -> scalar.alwaysFresh().saving(x);
      case EXP, SQRT, RELU, SIGMOID, TANH -> unary.withOut().alwaysFresh().saving(out);
      case LOG -> unary.withOut().alwaysFresh().saving(x);
      case ABS -> unary.alwaysFresh().saving(x);
      case GT, LT, GE, LE, EQ, NE -> binary;
      case WHERE -> Signature.kernel(x, y, Signature.in(2)).withOut().alwaysFresh().saving(x);
      case CLAMP -> Signature.kernel(x, Signature.attr(Attrs.MIN), Signature.attr(Attrs.MAX)).alwaysFresh()
          .saving(x, out);
      case MATMUL -> binary.withOut().alwaysFresh().saving(x, y);
      case SUM -> Signature.kernel(x, Signature.attr(Attrs.DIMS), keepDim).withOut().alwaysFresh();
      case SUM_TO -> Signature.kernel(x, shape).withOut();   // x itself when the shapes agree
      case EXPAND, RESHAPE -> Signature.kernel(x, shape);
      case PERMUTE -> Signature.kernel(x, Signature.attr(Attrs.PERM));
      case NARROW -> Signature.kernel(x, dim, Signature.attr(Attrs.START), Signature.attr(Attrs.LENGTH));
      case SLICE -> Signature.kernel(x, dim, Signature.attr(Attrs.START), Signature.attr(Attrs.LENGTH),
          Signature.attr(Attrs.STEP));
      case SLICE_BACKWARD -> Signature.kernel(x, dim, Signature.attr(Attrs.START), Signature.attr(Attrs.STEP), shape)
          .alwaysFresh();
      case PAD -> Signature.kernel(x, dim, Signature.attr(Attrs.BEFORE), Signature.attr(Attrs.AFTER)).withOut()
          .alwaysFresh();
      case TRIL, TRIU -> Signature.kernel(x, Signature.attr(Attrs.DIAGONAL)).withOut().alwaysFresh();
      case CAT -> Signature.kernel(Signature.inputs(), dim).withOut().alwaysFresh();
      case MAX, MIN -> Signature.kernel(x, dim, keepDim).saving(x);
      case ARGMAX, ARGMIN -> Signature.kernel(x, dim, keepDim);
      case SOFTMAX, LOG_SOFTMAX -> Signature.kernel(x, dim).withOut().alwaysFresh().saving(out);
      case SOFTMAX_BACKWARD -> Signature.kernel(x, y, dim).withOut().alwaysFresh();
      case CAST -> Signature.kernel(x, Signature.attr(Attrs.DTYPE));
      case CLONE -> unary.alwaysFresh();
      case INDEX_SELECT -> Signature.kernel(x, dim, y).withOut().alwaysFresh().saving(y);
      case GATHER -> Signature.kernel(x, dim, y).saving(y);
      case INDEX_ADD -> Signature.kernel(x, dim, y, shape).withOut().alwaysFresh().saving(y);
      case SCATTER_ADD -> Signature.kernel(x, dim, y, shape).saving(y);
      case CONV2D -> Signature.kernel(x, y, stride, padding).alwaysFresh().saving(x, y);
      case CONV2D_INPUT_GRAD, CONV2D_WEIGHT_GRAD -> Signature.kernel(x, y, shape, stride, padding).alwaysFresh()
          .saving(x, y);
      case MAX_POOL2D -> Signature.kernel(x, kernel, stride, padding).alwaysFresh().saving(x);
      case MAX_POOL2D_BACKWARD -> Signature.kernel(x, y, kernel, stride, padding).alwaysFresh();
      case AVG_POOL2D -> Signature.kernel(x, kernel, stride, padding).alwaysFresh();
      case AVG_POOL2D_BACKWARD -> Signature.kernel(x, shape, kernel, stride, padding).alwaysFresh();
      case SIN, COS -> unary.alwaysFresh().saving(x);
      case FLOOR, CEIL, ROUND -> unary.alwaysFresh();
      case ERF -> unary.withOut().alwaysFresh().saving(x);
      case GELU -> unary.withOut().alwaysFresh().saving(x);
      case GELU_BACKWARD -> binary.withOut().alwaysFresh();
      case LSTM_SCAN, GRU_SCAN -> Signature.kernel(x, y, Signature.in(2), Signature.in(3)).withOut().alwaysFresh()
          .saving(y, out);
      case LSTM_SCAN_BACKWARD, GRU_SCAN_BACKWARD -> Signature.kernel(x, y, Signature.in(2)).withOut().alwaysFresh();
      case LAYER_NORM -> Signature.kernel(x, Signature.attr(Attrs.EPS)).withOut().alwaysFresh().saving(x);
      case LAYER_NORM_BACKWARD -> Signature.kernel(x, y, Signature.attr(Attrs.EPS)).withOut().alwaysFresh();
      case LAYER_NORM_AFFINE -> Signature.kernel(x, y, Signature.in(2), Signature.attr(Attrs.EPS)).withOut().alwaysFresh()
          .saving(x, y);
      case LAYER_NORM_AFFINE_BACKWARD -> Signature.kernel(x, y, Signature.in(2), Signature.attr(Attrs.EPS)).withOut()
          .alwaysFresh();
      case LAYER_NORM_WEIGHT_GRAD -> Signature.kernel(x, y, Signature.attr(Attrs.EPS)).withOut().alwaysFresh();
      case ATTENTION -> Signature.kernel(x, y, Signature.in(2), Signature.attr(Attrs.SCALE), Signature.attr(Attrs.CAUSAL))
          .withOut().alwaysFresh().saving(x, y, Signature.in(2), out);
      case ATTENTION_BACKWARD -> Signature.kernel(x, y, Signature.in(2), Signature.in(3), Signature.in(4),
          Signature.attr(Attrs.SCALE), Signature.attr(Attrs.CAUSAL)).withOut().alwaysFresh();
    };
  }
}

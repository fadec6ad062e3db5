package dev.flint.nn;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.internal.Internals;
import dev.flint.kernel.Attention;
import dev.flint.kernel.Kernels;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * {@link F#scaledDotProductAttention}: argument checks, then without a mask or dropout the op row
 * {@code Op.ATTENTION} (the one compiled code runs), else the fused kernel ({@link Attention}) and its backward
 * node; both keep q, k, v, the output and one log-sum-exp per query row (never a {@code [T, S]} matrix).
 */
final class ScaledDotProductAttention {
  private ScaledDotProductAttention() {}

  static Tensor apply(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP, boolean isCausal) {
    check(q, k, v, attnMask, dropoutP, isCausal);
    int[] qs = Internals.shapeRef(q);
    int rank = qs.length;
    int t = qs[rank - 2];
    int e = qs[rank - 1];
    if (attnMask == null && dropoutP == 0 && v.size(-1) == e && e > 0) {
      // the op row that compiled code runs too (kernel.AttentionRows); its output columns made contiguous, as
      // PyTorch's result is (so view() works on it)
      return F.OPS.narrow(F.OPS.attention(q, k, v, 1 / Math.sqrt(e), isCausal), rank - 1, 0, e).contiguous();
    }
    int s = k.size(-2);
    int ev = v.size(-1);
    int n = 1;
    for (int d = 0; d < rank - 2; d++) {
      n *= qs[d];
    }
    double[] mask = null;
    int[] base = null;
    int rowStride = 0;
    int colStride = 0;
    if (attnMask != null) {
      mask = additive(attnMask);
      int[] strides = broadcastStrides(Internals.shapeRef(attnMask), qs, s);
      base = new int[n];
      int[] batch = Arrays.copyOf(qs, rank - 2);
      for (int b = 0; b < n; b++) {
        int rest = b;
        int off = 0;
        for (int d = rank - 3; d >= 0; d--) {
          off += (rest % batch[d]) * strides[d];
          rest /= batch[d];
        }
        base[b] = off;
      }
      rowStride = strides[rank - 2];
      colStride = strides[rank - 1];
    }
    long seed = dropoutP > 0 ? Generator.defaultGenerator().nextLong() : 0;
    Attention.Spec spec = new Attention.Spec(n, t, s, e, ev, 1 / Math.sqrt(e), isCausal, mask, base, rowStride,
        colStride, dropoutP, seed);
    double[] lse = new double[n * t];
    int[] outShape = qs.clone();
    outShape[rank - 1] = ev;
    Tensor result = Tensor.empty(q.dtype(), outShape);
    Attention.forward(spec, q.contiguous(), k.contiguous(), v.contiguous(), result, lse);
    boolean maskGrad = attnMask != null && attnMask.requiresGrad();
    if (GradMode.isEnabled() && (q.requiresGrad() || k.requiresGrad() || v.requiresGrad() || maskGrad)) {
      Internals.setGradFn(result, new Backward(spec, q, k, v, maskGrad ? attnMask : null, result, lse));
    }
    return result;
  }

  private static void check(Tensor q, Tensor k, Tensor v, Tensor mask, double dropoutP, boolean isCausal) {
    String where = "scaledDotProductAttention";
    if (q.dim() < 2 || k.dim() != q.dim() || v.dim() != q.dim()) {
      throw new IllegalArgumentException(where + ": expected query [..., T, E], key [..., S, E] and value [..., S, Ev] "
          + "of one rank >= 2, but got " + Arrays.toString(Internals.shapeRef(q)) + ", " + Arrays.toString(Internals.shapeRef(k))
          + " and " + Arrays.toString(Internals.shapeRef(v)));
    }
    if (!q.dtype().isFloatingPoint() || k.dtype() != q.dtype() || v.dtype() != q.dtype()) {
      throw new IllegalArgumentException(where + ": expected query, key and value of one floating dtype, but got "
          + q.dtype() + ", " + k.dtype() + " and " + v.dtype());
    }
    int r = q.dim();
    boolean sameBatch = Arrays.equals(Arrays.copyOf(Internals.shapeRef(q), r - 2), Arrays.copyOf(Internals.shapeRef(k), r - 2))
        && Arrays.equals(Arrays.copyOf(Internals.shapeRef(q), r - 2), Arrays.copyOf(Internals.shapeRef(v), r - 2));
    if (!sameBatch || q.size(-1) != k.size(-1) || k.size(-2) != v.size(-2)) {
      throw new IllegalArgumentException(where + ": expected query [..., T, E], key [..., S, E] and value [..., S, Ev] "
          + "with the same leading dims, but got " + Arrays.toString(Internals.shapeRef(q)) + ", "
          + Arrays.toString(Internals.shapeRef(k)) + " and " + Arrays.toString(Internals.shapeRef(v)));
    }
    if (!(dropoutP >= 0 && dropoutP <= 1)) {
      throw new IllegalArgumentException(where + ": dropout probability has to be between 0 and 1, but got " + dropoutP);
    }
    if (mask != null && isCausal) {
      throw new IllegalArgumentException(where + ": give either attnMask or isCausal = true, not both (as PyTorch); "
          + "combine them into one mask, e.g. mask.logicalAnd(causal)");
    }
    if (mask != null && mask.dtype() != DType.BOOL && !mask.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(where + ": attnMask must be BOOL (true = may attend) or floating (added to "
          + "the scores), but got " + mask.dtype());
    }
  }

  /** The mask as scores to add: 0 / -∞ for a BOOL mask (true = allowed), the values of a float one. */
  private static double[] additive(Tensor mask) {
    double[] values = mask.contiguous().toDoubleArray();
    if (mask.dtype() == DType.BOOL) {
      for (int i = 0; i < values.length; i++) {
        values[i] = values[i] != 0 ? 0 : Double.NEGATIVE_INFINITY;
      }
    }
    return values;
  }

  /** Strides (0 on broadcast dims) that read a contiguous mask of {@code mask} shape as {@code [batch..., T, S]}. */
  private static int[] broadcastStrides(int[] mask, int[] q, int s) {
    int rank = q.length;
    int[] target = q.clone();
    target[rank - 1] = s;
    if (mask.length > rank) {
      throw maskError(mask, target);
    }
    int[] strides = new int[rank];
    int stride = 1;
    for (int d = mask.length - 1; d >= 0; d--) {
      int td = rank - mask.length + d;
      if (mask[d] != 1 && mask[d] != target[td]) {
        throw maskError(mask, target);
      }
      strides[td] = mask[d] == 1 ? 0 : stride;
      stride *= mask[d];
    }
    return strides;
  }

  private static IllegalArgumentException maskError(int[] mask, int[] target) {
    return new IllegalArgumentException("scaledDotProductAttention: attnMask of shape " + Arrays.toString(mask)
        + " does not broadcast to the attention scores " + Arrays.toString(target) + " ([..., T, S])");
  }

  /** The backward of the fused attention (FlashAttention-2's recomputation; see Note [Fused attention]). */
  static final class Backward extends Node {
    private final Attention.Spec spec;
    private final Tensor[] inputs;
    private final int[] versions = new int[3];
    private Tensor out;
    private double[] lse;

    Backward(Attention.Spec spec, Tensor q, Tensor k, Tensor v, Tensor mask, Tensor out, double[] lse) {
      this.spec = spec;
      this.inputs = new Tensor[] {q, k, v, mask};
      for (int i = 0; i < 3; i++) {
        versions[i] = inputs[i].storage().version();
      }
      this.out = out;
      this.lse = lse;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    /** The bytes of the values this node keeps for backward: q, k, v, the output, the row lse and the mask. */
    long savedBytes() {
      long bytes = 0;
      for (int i = 0; i < 3; i++) {
        bytes += (long) inputs[i].numel() * inputs[i].dtype().byteSize();
      }
      bytes += (long) out.numel() * out.dtype().byteSize() + 8L * lse.length;
      return bytes + (spec.mask() == null ? 0 : 8L * spec.mask().length);
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
      Tensor q = inputs[0];
      Tensor k = inputs[1];
      Tensor v = inputs[2];
      String[] names = {"query", "key", "value"};
      for (int i = 0; i < 3; i++) {
        if (inputs[i].storage().version() != versions[i]) {
          throw new IllegalStateException("one of the tensors needed to compute the gradient of " + name() + " (the "
              + names[i] + ", shape " + Arrays.toString(inputs[i].shape()) + ") was modified by an in-place operation "
              + "after the op used it: its storage is at version " + inputs[i].storage().version() + ", expected "
              + versions[i] + ". Modify a clone() instead, or make the change after backward()");
        }
      }
      double[] dq = q.requiresGrad() ? new double[q.numel()] : null;
      double[] dk = k.requiresGrad() ? new double[k.numel()] : null;
      double[] dv = v.requiresGrad() ? new double[v.numel()] : null;
      Tensor mask = inputs[3];
      double[] dMask = mask != null ? new double[spec.n() * spec.t() * spec.s()] : null;
      Attention.backward(spec, q.contiguous(), k.contiguous(), v.contiguous(), out, lse, grad.to(q.dtype()).contiguous(),
          dq, dk, dv, dMask);
      Tensor[] grads = new Tensor[4];
      grads[0] = dq == null ? null : DoubleArrays.toTensor(dq, q.shape(), q.dtype());
      grads[1] = dk == null ? null : DoubleArrays.toTensor(dk, k.shape(), k.dtype());
      grads[2] = dv == null ? null : DoubleArrays.toTensor(dv, v.shape(), v.dtype());
      if (dMask != null) {
        int[] scores = q.shape();
        scores[scores.length - 1] = spec.s();
        grads[3] = Kernels.sumTo(DoubleArrays.toTensor(dMask, scores, mask.dtype()), mask.shape());
      }
      return grads;
    }

    @Override
    protected void releaseSaved() {
      Arrays.fill(inputs, null);
      out = null;
      lse = null;
    }

    @Override
    public String name() {
      return "ScaledDotProductAttentionBackward";
    }
  }
}

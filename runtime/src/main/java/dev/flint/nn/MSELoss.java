package dev.flint.nn;

import dev.flint.autograd.NamedNode;
import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.compiled.BufferPool;
import dev.flint.compiled.Buffers;
import dev.flint.internal.Internals;
import dev.flint.kernel.Kernels;
import dev.flint.tensor.Tensor;

/**
 * The squared error (xᵢ − yᵢ)², reduced, as {@code torch.nn.MSELoss}. Input and target have one
 * shape (unlike PyTorch, which warns and broadcasts, a mismatch is an error).
 *
 * <p>With a mean or sum over contiguous tensors the loss is one fused op (Note [Fused squared
 * error]); otherwise it is the composition sub, mul, reduce of the op table, which is also the
 * reference the fused form is tested against.
 */
public final class MSELoss extends Loss {
  /** The input gradients of this loss's graphs, reused once a graph's backward has freed it. */
  private final BufferPool gradients = new BufferPool(2);

  /** The mean squared error. */
  public MSELoss() {
    this(Reduction.MEAN);
  }

  public MSELoss(Reduction reduction) {
    super(reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return NamedNode.name(compute(input, target), "MseLossBackward");   // PyTorch's grad_fn name
  }

  private Tensor compute(Tensor input, Tensor target) {
    checkSameShapeFloat(input, target);
    if (reduction() == Reduction.NONE || !input.isContiguous() || !target.isContiguous()) {
      Tensor d = input.sub(target);
      return reduction().apply(d.mul(d));
    }
    int n = input.numel();
    double sum = Kernels.squaredErrorSum(input, target);
    double scale = reduction() == Reduction.MEAN ? 1.0 / n : 1.0;
    Tensor loss = Tensor.scalar(sum * scale, input.dtype());   // mean of nothing: 0 · ∞ = NaN, as PyTorch
    if (GradMode.isEnabled() && (input.requiresGrad() || target.requiresGrad())) {
      Internals.setGradFn(loss, new Backward(input, target, 2 * scale, gradients));
    }
    return loss;
  }

  // Note [Fused squared error]
  // L = s · Σ (x − y)² with s = 1/n (mean) or 1 (sum), so dL/dx = 2s · (x − y) · g and dL/dy = −dL/dx.
  // One pass forward, one backward, into buffers the loss keeps: training steps allocate no
  // batch-sized arrays for the loss. The buffers follow BufferPool's protocol: a graph holds its
  // set until its backward frees it, and the engine is done with the input gradients before any
  // later forward can claim the set again.

  /** The backward of the fused squared error. */
  private static final class Backward extends Node {
    private final Tensor[] inputs;
    private final double twiceScale;
    private final BufferPool pool;
    private Tensor[] set;
    private final Tensor[] grads = new Tensor[2];
    private final int inputVersion;
    private final int targetVersion;

    Backward(Tensor input, Tensor target, double twiceScale, BufferPool pool) {
      this.inputs = new Tensor[] {input, target};
      this.inputVersion = input.storage().version();
      this.targetVersion = target.storage().version();
      this.twiceScale = twiceScale;
      this.pool = pool;
      this.set = pool.claim();
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
      Tensor x = inputs[0];
      Tensor y = inputs[1];
      Loss.checkUnmodified(name(), "input", x, inputVersion);
      Loss.checkUnmodified(name(), "target", y, targetVersion);
      double c = twiceScale * grad.item();
      grads[0] = null;
      grads[1] = null;
      if (x.requiresGrad()) {
        Tensor dx = set[0] = Buffers.reuse(set[0], x.dtype(), Internals.shapeRef(x));
        grads[0] = Kernels.squaredErrorGrad(x, y, c, dx);
      }
      if (y.requiresGrad()) {
        Tensor dy = set[1] = Buffers.reuse(set[1], y.dtype(), Internals.shapeRef(y));
        grads[1] = Kernels.squaredErrorGrad(x, y, -c, dy);
      }
      return grads;
    }

    @Override
    protected void releaseSaved() {
      pool.giveBack(set);
      set = null;
      inputs[0] = null;
      inputs[1] = null;
    }

    @Override
    public String name() {
      return "MseLossBackward";
    }
  }
}

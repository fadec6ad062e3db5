package dev.flint.benchmarks;

import dev.flint.nn.Loss;
import dev.flint.nn.Module;
import dev.flint.optim.Optimizer;
import dev.flint.tensor.Tensor;

/**
 * One training step as {@code pytorch_bench.py} times it: zeroGrad, forward, loss, backward,
 * optimizer step, cycling through a fixed set of batches.
 */
public final class TrainStep implements Runnable {
  private final Module model;
  private final Loss loss;
  private final Optimizer opt;
  private final Tensor[] xs;
  private final Tensor[] ys;
  private int next;
  private Tensor lastLoss;

  public TrainStep(Module model, Loss loss, Optimizer opt, Tensor[] xs, Tensor[] ys) {
    if (xs.length == 0 || xs.length != ys.length) {
      throw new IllegalArgumentException("expected as many targets as inputs (at least one), but got "
          + xs.length + " inputs and " + ys.length + " targets");
    }
    this.model = model;
    this.loss = loss;
    this.opt = opt;
    this.xs = xs;
    this.ys = ys;
  }

  @Override
  public void run() {
    zeroGrad();
    forwardBackward();
    update();
  }

  /** Phase 1 of a step: clear the gradients (to null, as PyTorch's default). */
  public void zeroGrad() {
    opt.zeroGrad();
  }

  /** Phase 2 of a step: forward, loss and backward on the next batch. */
  public void forwardBackward() {
    int i = next;
    next = i + 1 == xs.length ? 0 : i + 1;
    Tensor l = loss.forward(model.forward(xs[i]), ys[i]);
    l.backward();
    lastLoss = l;
  }

  /** Phase 3 of a step: the optimizer update. */
  public void update() {
    opt.step();
  }

  /** The loss of the last step (read on request, so timed steps do not pay for it); NaN before any. */
  public double lastLoss() {
    return lastLoss == null ? Double.NaN : lastLoss.item();
  }

  public Optimizer optimizer() {
    return opt;
  }
}

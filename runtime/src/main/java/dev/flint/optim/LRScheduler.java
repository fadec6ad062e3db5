package dev.flint.optim;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The base of learning-rate schedulers, as {@code torch.optim.lr_scheduler.LRScheduler}: it
 * remembers the optimizer's learning rate at construction ({@link #baseLr()}) and, on each
 * {@link #step()} (once per epoch, after the optimizer's steps), counts an epoch and sets the
 * optimizer's learning rate to {@link #computeLr()}.
 */
public abstract class LRScheduler {
  private final Optimizer optimizer;
  private double baseLr;
  private int lastEpoch;
  private double lastLr;

  protected LRScheduler(Optimizer optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer is null");
    }
    this.optimizer = optimizer;
    this.baseLr = optimizer.lr();
    this.lastEpoch = 0;
    this.lastLr = baseLr;
  }

  /** The learning rate for epoch {@link #lastEpoch()}, given the optimizer's current one. */
  protected abstract double computeLr();

  /** Advances one epoch and updates the optimizer's learning rate. */
  public void step() {
    lastEpoch++;
    applyLr();
  }

  /**
   * Sets the optimizer's learning rate to {@link #computeLr()} for the current epoch without
   * advancing it: PyTorch's constructors do this for epoch 0, which matters for schedules (such as
   * {@link LambdaLR}'s) whose epoch-0 rate differs from the base rate.
   */
  protected final void applyLr() {
    double lr = computeLr();
    optimizer.setLr(lr);
    lastLr = lr;
  }

  /** The learning rate set by the latest step (the base rate before any step). */
  public double lastLr() {
    return lastLr;
  }

  /** The same as {@link #lastLr()}, under PyTorch's name {@code get_last_lr()} (one value: Flint's optimizers have one group). */
  public double getLastLr() {
    return lastLr();
  }

  /** The number of {@link #step()} calls so far. */
  public int lastEpoch() {
    return lastEpoch;
  }

  /** The optimizer's learning rate when the scheduler was created. */
  public double baseLr() {
    return baseLr;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /** The scheduler's progress: {@code last_epoch}, {@code base_lr} and {@code last_lr} (0-d FLOAT64). */
  public Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("last_epoch", Tensor.scalar(lastEpoch, DType.FLOAT64));
    out.put("base_lr", Tensor.scalar(baseLr, DType.FLOAT64));
    out.put("last_lr", Tensor.scalar(lastLr, DType.FLOAT64));
    return out;
  }

  /** Restores the progress saved by {@link #stateDict()} (the optimizer's lr is restored by its own state). */
  public void loadStateDict(Map<String, Tensor> state) {
    for (String key : new String[] {"last_epoch", "base_lr", "last_lr"}) {
      if (!state.containsKey(key)) {
        throw new IllegalArgumentException(
            getClass().getSimpleName() + ".loadStateDict: missing key " + key + " (found " + state.keySet() + ")");
      }
    }
    lastEpoch = (int) Math.round(state.get("last_epoch").item());
    baseLr = state.get("base_lr").item();
    lastLr = state.get("last_lr").item();
  }
}

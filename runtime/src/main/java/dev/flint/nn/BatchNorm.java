package dev.flint.nn;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalization over the channel dimension 1 (PyTorch's {@code _BatchNorm}), the common part of
 * {@link BatchNorm1d} and {@link BatchNorm2d}: {@code y = (x − μ) / √(σ² + eps) · weight + bias} per
 * channel. In training, μ and σ² are the batch's mean and biased variance over every dimension but 1,
 * and the running statistics move toward the batch's with {@code momentum}, using the unbiased
 * variance: {@code running = (1 − momentum)·running + momentum·batch}. In evaluation mode the running
 * statistics are used. State-dict names: {@code weight}, {@code bias}, {@code running_mean},
 * {@code running_var}, {@code num_batches_tracked} (INT64), as PyTorch's.
 */
public abstract class BatchNorm extends Module {
  /** The per-channel scale {@code [C]}, initially 1. */
  public final Tensor weight;
  /** The per-channel shift {@code [C]}, initially 0. */
  public final Tensor bias;
  /** The running mean {@code [C]} ({@code running_mean}), initially 0. */
  public final Tensor runningMean;
  /** The running unbiased variance {@code [C]} ({@code running_var}), initially 1. */
  public final Tensor runningVar;
  /** The number of training batches seen (0-d INT64, {@code num_batches_tracked}). */
  public final Tensor numBatchesTracked;
  private final int numFeatures;
  private final double eps;
  private final double momentum;

  protected BatchNorm(int numFeatures, double eps, double momentum) {
    if (numFeatures <= 0) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, but got "
          + numFeatures);
    }
    if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be > 0 and momentum in [0, 1], "
          + "but got eps=" + eps + ", momentum=" + momentum);
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = registerParameter("weight", Tensor.ones(numFeatures));
    this.bias = registerParameter("bias", Tensor.zeros(numFeatures));
    this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
    this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
    this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
  }

  /** Fails unless {@code input} has a rank this layer accepts. */
  protected abstract void checkRank(Tensor input);

  /** Normalizes {@code input} ({@code [N, C, ...]}) per channel; see the class comment. */
  @Override
  public Tensor forward(Tensor input) {
    checkRank(input);
    if (input.size(1) != numFeatures) {
      throw new IllegalArgumentException(this + " expects input with " + numFeatures + " channels in dimension 1, "
          + "but got shape " + Arrays.toString(input.shapeRef()));
    }
    if (isTraining()) {
      numBatchesTracked.storage().setLong(numBatchesTracked.offset(), numBatchesTracked.getLong() + 1);
    }
    return F.batchNorm(input, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
  }

  public int numFeatures() {
    return numFeatures;
  }

  @Override
  protected String extraRepr() {
    return numFeatures + ", eps=" + Repr.num(eps) + ", momentum=" + Repr.num(momentum)
        + ", affine=True, track_running_stats=True";
  }
}

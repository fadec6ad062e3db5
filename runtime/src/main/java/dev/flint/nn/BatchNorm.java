package dev.flint.nn;

import dev.flint.internal.Internals;
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
 * {@code running_var}, {@code num_batches_tracked} (INT64), as PyTorch's. Without {@code affine} there
 * is no weight and bias (the fields are null); without {@code trackRunningStats} there are no buffers
 * and batch statistics are used in evaluation mode too.
 */
public abstract class BatchNorm extends Module {
  /** The per-channel scale {@code [C]}, initially 1; null without {@code affine}. */
  public final Tensor weight;
  /** The per-channel shift {@code [C]}, initially 0; null without {@code affine}. */
  public final Tensor bias;
  /** The running mean {@code [C]} ({@code running_mean}), initially 0; null without {@code trackRunningStats}. */
  public final Tensor runningMean;
  /** The running unbiased variance {@code [C]} ({@code running_var}), initially 1; null without tracking. */
  public final Tensor runningVar;
  /** The number of training batches seen (0-d INT64, {@code num_batches_tracked}); null without tracking. */
  public final Tensor numBatchesTracked;
  private final int numFeatures;
  private final double eps;
  private final double momentum;

  protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
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
    this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
    this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
    this.runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
    this.runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
    this.numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64)) : null;
  }

  /** Fails unless {@code input} has a rank this layer accepts. */
  protected abstract void checkRank(Tensor input);

  /** Normalizes {@code input} ({@code [N, C, ...]}) per channel; see the class comment. */
  @Override
  public Tensor forward(Tensor input) {
    checkRank(input);
    if (input.size(1) != numFeatures) {
      throw new IllegalArgumentException(this + " expects input with " + numFeatures + " channels in dimension 1, "
          + "but got shape " + Arrays.toString(Internals.shapeRef(input)));
    }
    if (isTraining() && numBatchesTracked != null) {
      numBatchesTracked.storage().setLong(numBatchesTracked.offset(), numBatchesTracked.getLong() + 1);
    }
    // Without running statistics there is nothing else to normalize with, so eval uses the batch's too.
    boolean batchStats = isTraining() || runningMean == null;
    return F.batchNorm(input, runningMean, runningVar, weight, bias, batchStats, momentum, eps);
  }

  public int numFeatures() {
    return numFeatures;
  }

  @Override
  protected String extraRepr() {
    return numFeatures + ", eps=" + Repr.num(eps) + ", momentum=" + Repr.num(momentum)
        + ", affine=" + Repr.bool(weight != null) + ", track_running_stats=" + Repr.bool(runningMean != null);
  }
}

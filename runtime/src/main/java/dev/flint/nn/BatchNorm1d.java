package dev.flint.nn;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalization of {@code [N, C]} or {@code [N, C, L]} inputs per channel C ({@code torch.nn.BatchNorm1d}); see
 * {@link BatchNorm} for the math. Defaults: eps 1e-5, momentum 0.1, weight 1, bias 0.
 */
public class BatchNorm1d extends BatchNorm {
  public BatchNorm1d(int numFeatures) {
    this(numFeatures, 1e-5, 0.1);
  }

  public BatchNorm1d(int numFeatures, double eps, double momentum) {
    this(numFeatures, eps, momentum, true, true);
  }

  /** With {@code affine} false there is no weight and bias; with {@code trackRunningStats} false, no running statistics. */
  public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
    super(numFeatures, eps, momentum, affine, trackRunningStats);
  }

  @Override
  protected void checkRank(Tensor input) {
    if (input.dim() != 2 && input.dim() != 3) {
      throw new IllegalArgumentException(
          "BatchNorm1d: expected 2D or 3D input ([N, C] or [N, C, L]), but got shape " + Arrays.toString(Internals.shapeRef(input)));
    }
  }
}

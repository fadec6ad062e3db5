package dev.flint.nn;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalization of {@code [N, C, H, W]} inputs per channel C ({@code torch.nn.BatchNorm2d}); see
 * {@link BatchNorm} for the math. Defaults: eps 1e-5, momentum 0.1, weight 1, bias 0.
 */
public class BatchNorm2d extends BatchNorm {
  public BatchNorm2d(int numFeatures) {
    this(numFeatures, 1e-5, 0.1);
  }

  public BatchNorm2d(int numFeatures, double eps, double momentum) {
    this(numFeatures, eps, momentum, true, true);
  }

  /** With {@code affine} false there is no weight and bias; with {@code trackRunningStats} false, no running statistics. */
  public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
    super(numFeatures, eps, momentum, affine, trackRunningStats);
  }

  @Override
  protected void checkRank(Tensor input) {
    if (input.dim() != 4) {
      throw new IllegalArgumentException(
          "BatchNorm2d: expected 4D input ([N, C, H, W]), but got shape " + Arrays.toString(Internals.shapeRef(input)));
    }
  }
}

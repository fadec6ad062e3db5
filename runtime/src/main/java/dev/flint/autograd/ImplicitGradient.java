package dev.flint.autograd;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;

/**
 * The implicit gradient 1 of {@code loss.backward()}, one shared scalar per floating dtype so a
 * training step does not allocate it. Nodes never write into the gradient they receive; should one
 * ever do so, the value is checked and the constant made again before it is handed out.
 */
final class ImplicitGradient {
  private static volatile Tensor oneF32 = Tensor.scalar(1, DType.FLOAT32);
  private static volatile Tensor oneF64 = Tensor.scalar(1, DType.FLOAT64);

  private ImplicitGradient() {}

  /** A one for {@code root}'s dtype and shape (a one-element tensor of any rank). */
  static Tensor oneLike(Tensor root) {
    if (root.dim() == 0) {
      if (root.dtype() == DType.FLOAT32) {
        Tensor one = oneF32;
        if (one.storage().floats()[0] != 1f) {
          oneF32 = one = Tensor.scalar(1, DType.FLOAT32);
        }
        return one;
      }
      if (root.dtype() == DType.FLOAT64) {
        Tensor one = oneF64;
        if (one.storage().doubles()[0] != 1d) {
          oneF64 = one = Tensor.scalar(1, DType.FLOAT64);
        }
        return one;
      }
    }
    return Tensor.onesLike(root);
  }
}

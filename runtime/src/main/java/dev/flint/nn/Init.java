package dev.flint.nn;

import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;

/**
 * Parameter initialisation as {@code torch.nn.init}, drawing from the default generator so that
 * {@code Generator.seedAll(seed)} makes models reproducible. Tensors are FLOAT32, PyTorch's default.
 */
final class Init {
  private Init() {}

  /** Values uniform in {@code [-bound, bound)}: PyTorch's default for Linear and Conv2d ({@code bound = 1/√fanIn}). */
  static Tensor uniform(double bound, int... shape) {
    Tensor t = Tensor.empty(dev.flint.tensor.DType.FLOAT32, shape);
    float[] v = t.storage().floats();
    Generator g = Generator.defaultGenerator();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((2 * g.nextDouble() - 1) * bound);
    }
    return t;
  }

  /** Standard normal values: PyTorch's default for Embedding. */
  static Tensor normal(int... shape) {
    Tensor t = Tensor.empty(dev.flint.tensor.DType.FLOAT32, shape);
    float[] v = t.storage().floats();
    Generator g = Generator.defaultGenerator();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) g.nextGaussian();
    }
    return t;
  }

  /** The bound {@code 1/√fanIn} of kaiming_uniform(a=√5) and of the bias init, 0 for an empty fan-in. */
  static double fanInBound(int fanIn) {
    return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  }
}

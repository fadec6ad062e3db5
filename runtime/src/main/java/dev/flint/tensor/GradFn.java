package dev.flint.tensor;

/**
 * What a tensor knows of the function that computed it ({@code grad_fn} in PyTorch): a name for
 * messages and printing, and the hook {@code retainGrad()} needs. The autograd package's
 * {@code Node} is the one implementation; this interface lets {@link Tensor} hold it without
 * depending on that package, as PyTorch's {@code TensorImpl} holds its {@code AutogradMeta} behind
 * an interface (see docs/design.md, "Packages").
 */
public interface GradFn {
  /** A short name such as {@code MulBackward}. */
  String name();

  /** The tensors this function's output was computed from, in argument order (entries may be null). */
  Tensor[] inputs();

  /** Asks backward to store the gradient of this function's output in {@code output.grad()}. */
  void retainGradOf(Tensor output);
}

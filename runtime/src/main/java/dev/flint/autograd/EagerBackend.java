package dev.flint.autograd;

import dev.flint.internal.Internals;
import dev.flint.kernel.Kernels;
import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.tensor.Tensor;
import dev.flint.tensor.TensorAccess;
import dev.flint.tensor.TensorBackend;

/**
 * Flint's {@link TensorBackend}: tensor methods run ops through {@link OpNode} (kernels plus autograd
 * recording), copies through {@link Kernels} and backward through {@link Engine}. Found by the tensor
 * package with {@link java.util.ServiceLoader} (META-INF/services and the module's {@code provides}),
 * which keeps {@code dev.flint.tensor} free of a dependency on this package.
 */
public final class EagerBackend implements TensorBackend {
  /** For {@link java.util.ServiceLoader}. */
  public EagerBackend() {}

  @Override
  public void bind(TensorAccess access) {
    Internals.install(access);
  }

  @Override
  public Tensor run(Op op, Attrs attrs, Tensor... inputs) {
    return OpNode.run(op, attrs, inputs);
  }

  @Override
  public Tensor compute(Op op, Attrs attrs, Tensor... inputs) {
    return Kernels.forward(op, attrs, inputs);
  }

  @Override
  public Tensor copyData(Tensor t) {
    return Kernels.clone(t);
  }

  @Override
  public void copy(Tensor src, Tensor dst) {
    Kernels.copy(src, dst);
  }

  @Override
  public Tensor viewOrNull(Tensor x, int[] shape) {
    return Kernels.viewOrNull(x, shape);
  }

  @Override
  public boolean gradEnabled() {
    return GradMode.isEnabled();
  }

  @Override
  public void backward(Tensor root, Tensor gradient, boolean retainGraph) {
    Engine.backward(root, gradient, retainGraph);
  }
}

/**
 * Flint's runtime: tensors, kernels, eager autograd, {@code nn}, {@code optim}, {@code data},
 * {@code io} and the facade that generated models call ({@code dev.flint.compiled}). Needs nothing
 * outside the JDK; the Vector API tier runs only when {@code jdk.incubator.vector} is in the boot
 * layer (see README, "Commands").
 *
 * <p>Eager modules read their {@code @Layer} fields reflectively: a named module that defines models
 * and runs them eagerly opens their package to this module ({@code opens my.models to
 * dev.flint.runtime;}); compiled models need no reflection.
 */
module dev.flint.runtime {
  requires transitive dev.flint.dsl;
  // optional: the Vector API kernels (dev.flint.kernel.vector) and the warm-up's allocation counter
  requires static jdk.incubator.vector;
  requires static java.management;

  exports dev.flint;
  exports dev.flint.autograd;
  exports dev.flint.checkpoint;
  exports dev.flint.compiled;
  exports dev.flint.data;
  exports dev.flint.io;
  exports dev.flint.kernel;
  exports dev.flint.layers;
  exports dev.flint.nn;
  exports dev.flint.ops;
  exports dev.flint.optim;
  exports dev.flint.tensor;
  exports dev.flint.testing;
  exports dev.flint.train;
  // not exported: dev.flint.internal (tensor internals for the runtime's own packages) and
  // dev.flint.kernel.vector (reached only through dev.flint.kernel)

  uses dev.flint.tensor.TensorBackend;
  provides dev.flint.tensor.TensorBackend with dev.flint.autograd.EagerBackend;
}

/**
 * The facade that generated {@code Compiled<Name>} classes call beyond Flint's public API: the pools
 * of forward buffers ({@link dev.flint.compiled.BufferPool}), buffer reuse across steps
 * ({@link dev.flint.compiled.Buffers}), the lent output that carries the generated backward node
 * ({@link dev.flint.compiled.Outputs}), the thread that trains an instance
 * ({@link dev.flint.compiled.TrainingOwner}), input errors ({@link dev.flint.compiled.InputChecks})
 * the layer pieces that are not op rows ({@link dev.flint.compiled.LayerKernels}), and the evaluation
 * forward pass as data for exporters ({@link dev.flint.compiled.ForwardGraph}, which
 * {@code dev.flint.nn.CompiledModel#forwardGraph()} returns). The kernels themselves are
 * {@link dev.flint.kernel.Kernels}.
 *
 * <p>This package exists for the code the processor writes; hand-written code has no use for it, and
 * its classes may change with the processor that emits calls to them (a model is always compiled
 * against the runtime of the same version). See docs/design.md, "Generated code and the
 * dev.flint.compiled facade".
 */
package dev.flint.compiled;

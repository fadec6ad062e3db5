/**
 * The facade that generated {@code Compiled<Name>} classes call beyond Flint's public API: the pools
 * of forward buffers ({@link dev.flint.compiled.BufferPool}), buffer reuse across steps
 * ({@link dev.flint.compiled.Buffers}) and the lent output that carries the generated backward node
 * ({@link dev.flint.compiled.Outputs}). The kernels themselves are {@link dev.flint.kernel.Kernels}.
 *
 * <p>This package exists for the code the processor writes; hand-written code has no use for it, and
 * its classes may change with the processor that emits calls to them (a model is always compiled
 * against the runtime of the same version). See docs/design.md, "Generated code".
 */
package dev.flint.compiled;

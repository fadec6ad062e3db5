/**
 * CPU kernels, one class per op family ({@link dev.flint.kernel.Elementwise}, {@link dev.flint.kernel.Reduce},
 * {@link dev.flint.kernel.MatMul}, {@link dev.flint.kernel.Copy}, ...), behind the static facade
 * {@link dev.flint.kernel.Kernels} that eager tensor ops and generated code both call. Kernels do no
 * autograd; contiguous FLOAT32/FLOAT64 data takes tight loops, everything else a strided generic path.
 */
package dev.flint.kernel;

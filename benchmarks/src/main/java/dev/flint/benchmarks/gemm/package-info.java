/**
 * {@link dev.flint.benchmarks.gemm.Gemms}: direct calls into the runtime's Vector API kernels (the
 * "flint-candidate" rows), with a plain-Java fallback when {@code jdk.incubator.vector} is absent.
 */
package dev.flint.benchmarks.gemm;

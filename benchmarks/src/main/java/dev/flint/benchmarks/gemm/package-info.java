/**
 * Candidate GEMM kernels measured here before they move into the runtime: {@link
 * dev.flint.benchmarks.gemm.VectorGemm} (register-tiled on the incubating Vector API) and {@link
 * dev.flint.benchmarks.gemm.Gemms} (the entry point that uses it when {@code jdk.incubator.vector} is
 * present and falls back to plain Java otherwise).
 */
package dev.flint.benchmarks.gemm;

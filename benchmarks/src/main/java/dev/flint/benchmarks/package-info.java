/**
 * The side-by-side benchmark driver ({@link dev.flint.benchmarks.BenchDriver}) that runs the same
 * workloads as {@code benchmarks/pytorch/pytorch_bench.py} and prints the same JSON lines, with its timing
 * method ({@link dev.flint.benchmarks.BlockTimer}), foreign-load check ({@link dev.flint.benchmarks.CpuLoad})
 * and allocation meter ({@link dev.flint.benchmarks.AllocationMeter}).
 */
package dev.flint.benchmarks;

/**
 * JMH benchmarks of the CPU kernels: GEMM (Flint's kernel and the Vector API candidate), elementwise
 * add and relu, sum reduction, and conv2d with its gradients. Run them with
 * {@code java -jar benchmarks/target/benchmarks.jar} (see benchmarks/README.md); they never run
 * during {@code mvn verify}.
 */
package dev.flint.benchmarks.jmh;

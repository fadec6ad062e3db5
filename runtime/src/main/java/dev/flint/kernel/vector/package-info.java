/**
 * The optional Vector API tier of the kernels: single-precision matrix products on
 * {@code jdk.incubator.vector}. Classes here are loaded only when that module is in the boot layer
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the tier is not disabled
 * with {@code -Dflint.vector=false}; otherwise the pure-Java kernels of {@code dev.flint.kernel} run.
 * Only {@code dev.flint.kernel} calls into this package, and only through primitive-array signatures.
 */
package dev.flint.kernel.vector;

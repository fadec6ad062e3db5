/**
 * Lowering: runs a model's {@code @Forward} body over IR values, replacing layers, {@code F} functions and
 * Tensor methods by op-table rows, and reports shape and dtype errors at the user's expressions.
 */
package dev.flint.processor.lower;

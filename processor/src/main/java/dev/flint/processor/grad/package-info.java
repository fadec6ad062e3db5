/** Differentiation: the backward graph, written by running the op table's derivative rules on the IR. */
package dev.flint.processor.grad;

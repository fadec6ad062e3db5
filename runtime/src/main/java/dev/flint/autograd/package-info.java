/**
 * Eager autograd: {@link dev.flint.autograd.OpNode} records each op (an op table row and its call) when
 * gradients are needed, {@link dev.flint.autograd.Engine} runs {@code backward()} over the recorded graph
 * with {@link dev.flint.autograd.EagerAlgebra}, {@link dev.flint.autograd.GradMode} and
 * {@link dev.flint.autograd.Autograd} control recording, and {@link dev.flint.autograd.GradCheck}
 * compares gradients with finite differences.
 */
package dev.flint.autograd;

/**
 * Tensors: {@link dev.flint.tensor.Tensor} (strided views over a typed {@link dev.flint.tensor.Storage},
 * with PyTorch's ops, type promotion and autograd), {@link dev.flint.tensor.DType},
 * {@link dev.flint.tensor.Device} and the seedable {@link dev.flint.tensor.Generator}.
 */
package dev.flint.tensor;

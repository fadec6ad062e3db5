/**
 * Optimizers that update parameters in place from their gradients ({@link dev.flint.optim.SGD},
 * {@link dev.flint.optim.Adam}, {@link dev.flint.optim.AdamW}, {@link dev.flint.optim.RMSprop},
 * {@link dev.flint.optim.Adagrad}), learning-rate schedulers and gradient clipping, as
 * {@code torch.optim} and {@code torch.nn.utils.clip_grad_norm_}.
 */
package dev.flint.optim;

/**
 * Neural-network building blocks, as {@code torch.nn}: {@link dev.flint.nn.Module} (parameters,
 * buffers, state dicts, train/eval), the layers ({@code Linear}, {@code Conv2d}, {@code BatchNorm1d},
 * ...), their functional forms in {@code F}, and the losses.
 */
package dev.flint.nn;

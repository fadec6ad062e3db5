/**
 * Training checkpoints: {@link dev.flint.checkpoint.Checkpoint} saves and restores a model, its
 * optimizer, the epoch and the random generators in one safetensors file. It sits above {@code nn},
 * {@code optim} and {@code io}, so that {@code io} (the file format) depends on none of them.
 */
package dev.flint.checkpoint;

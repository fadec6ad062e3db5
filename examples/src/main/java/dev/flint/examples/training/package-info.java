/**
 * What the examples share around their training loops and that is not a library's job: the
 * command line ({@link dev.flint.examples.training.RunOptions}), the train loop with its progress
 * bar, feature standardization and the predictions table. The progress bar, the loss curve, the
 * metrics, best-checkpoint keeping and early stopping come from the runtime's {@code dev.flint.train}.
 */
package dev.flint.examples.training;

/**
 * What the examples share around their training loops: a tqdm-style {@link dev.flint.examples.training.ProgressBar},
 * the {@link dev.flint.examples.training.LossCurve} SVG chart, the command line ({@link dev.flint.examples.training.RunOptions}),
 * feature standardization and atomic text files.
 */
package dev.flint.examples.training;

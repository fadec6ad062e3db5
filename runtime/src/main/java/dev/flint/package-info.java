/** Flint's root package: {@link dev.flint.Flint} holds process-wide runtime settings. */
package dev.flint;

/** Emission: the generated {@code Compiled<Model>} class, written with JavaPoet, and the model summary. */
package dev.flint.processor.emit;

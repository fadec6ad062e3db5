/**
 * Validation and parsing: element checks on a {@code @Model} class, and the javac frontend that reads its
 * {@code @Forward} body and {@code @Layer} initializers into {@link dev.flint.processor.parse.ModelSource}.
 */
package dev.flint.processor.parse;

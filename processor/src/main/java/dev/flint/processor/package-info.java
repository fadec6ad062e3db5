/**
 * The Flint annotation processor: {@link dev.flint.processor.ModelProcessor} turns each {@code @Model} class
 * into {@code Compiled<Name>}, through the stages parse → lower → check → grad → opt → emit.
 */
package dev.flint.processor;

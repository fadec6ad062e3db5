/**
 * One description per layer: {@link dev.flint.layers.LayerSpec} gives each layer's constructor
 * arguments (names, kinds, defaults), its parameters and buffers (names and shapes as functions of
 * the arguments) and its forward, written once against {@link dev.flint.layers.LayerAlgebra} so that
 * eager modules ({@code dev.flint.nn}) run it on tensors and the annotation processor traces it into
 * op-table rows, as derivative rules are shared through {@link dev.flint.ops.Algebra}. Composite
 * functions (GELU, layer and batch norm, linear, convolution with bias) live in
 * {@link dev.flint.layers.Composites}. A leaf package: it imports only {@code java.*} and
 * {@code dev.flint.ops}.
 */
package dev.flint.layers;

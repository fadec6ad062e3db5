/**
 * The op table: one {@link dev.flint.ops.Op} row per primitive with its arity, shape rule and
 * derivative rule written against {@link dev.flint.ops.Algebra}, so eager autograd runs the rules on
 * tensors and the annotation processor traces them on its IR. A leaf package: it imports only java.*.
 */
package dev.flint.ops;

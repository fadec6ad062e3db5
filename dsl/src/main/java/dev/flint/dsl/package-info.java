/** The annotations a user writes on a model class: {@link dev.flint.dsl.Model}, {@link dev.flint.dsl.Layer}, {@link dev.flint.dsl.Forward}. */
package dev.flint.dsl;

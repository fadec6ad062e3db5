/**
 * Checks for users' own tests: {@link dev.flint.testing.ModelCheck} proves in one line that a compiled
 * model computes what its eager source computes, with the gradients finite differences give.
 */
package dev.flint.testing;

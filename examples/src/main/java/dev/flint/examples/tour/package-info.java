/** The tutorial's tour of tensors and autograd, printed step by step: {@link dev.flint.examples.tour.TensorTour}. */
package dev.flint.examples.tour;

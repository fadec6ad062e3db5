/**
 * Classification of 8×8 handwritten digits: {@link dev.flint.examples.digits.DigitsNet} (a {@code @Model} MLP),
 * the data split ({@link dev.flint.examples.digits.DigitsData}) and the training program
 * ({@link dev.flint.examples.digits.DigitsExample}), the examples' default main class.
 */
package dev.flint.examples.digits;

/**
 * Regression on the diabetes data: {@link dev.flint.examples.diabetes.DiabetesNet} (a {@code @Model}),
 * the data split and standardization ({@link dev.flint.examples.diabetes.DiabetesData}) and the training
 * program ({@link dev.flint.examples.diabetes.DiabetesExample}).
 */
package dev.flint.examples.diabetes;

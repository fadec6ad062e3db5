/**
 * The digits read row by row by an LSTM: {@link dev.flint.examples.lstm.LstmDigitsNet} (8 steps of
 * 8 pixels, the last hidden state to 10 classes) and its program
 * {@link dev.flint.examples.lstm.LstmDigitsExample}.
 */
package dev.flint.examples.lstm;

package dev.flint.examples.training;

import dev.flint.autograd.Autograd;
import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.nn.Loss;
import dev.flint.nn.Module;
import dev.flint.optim.Optimizer;
import dev.flint.tensor.Tensor;
import java.util.Locale;

/**
 * The tutorial's two loops, shared by the examples: {@link #trainEpoch} (the {@code train_loop}:
 * forward, loss, zeroGrad, backward, step, with a progress bar) and {@link #evaluate} (the
 * {@code test_loop}: eval mode, no gradients, the mean loss over every sample).
 */
public final class Training {
  private Training() {}

  /**
   * One pass over {@code loader} in training mode, drawing a progress bar labelled
   * {@code epoch e/n}; returns the mean of the batch losses. The bar is left open so the caller
   * can append the validation loss: close it with {@link ProgressBar#close(String)}.
   */
  public static double trainEpoch(Module model, DataLoader loader, Loss lossFn, Optimizer optimizer, ProgressBar bar) {
    model.train();
    for (Batch batch : loader) {
      Tensor prediction = model.forward(batch.x());
      Tensor loss = lossFn.forward(prediction, batch.y());
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      double value = loss.item();
      if (!Double.isFinite(value)) {
        throw new IllegalStateException("the training loss became " + value + " at batch " + (bar.steps() + 1)
            + " of " + loader.size() + "; lower the learning rate or check the inputs for NaN");
      }
      bar.step(value);
    }
    return bar.meanLoss();
  }

  /**
   * The mean loss over every sample of {@code loader}, computed in evaluation mode under
   * {@link Autograd#noGrad()} (each batch's mean weighted by its size, so a short last batch
   * counts as much as its samples). Leaves the model in evaluation mode.
   */
  public static double evaluate(Module model, DataLoader loader, Loss lossFn) {
    model.eval();
    double sum = 0;
    long count = 0;
    try (Autograd.Scope noGrad = Autograd.noGrad()) {
      for (Batch batch : loader) {
        Tensor loss = lossFn.forward(model.forward(batch.x()), batch.y());
        sum += loss.item() * batch.size();
        count += batch.size();
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException("evaluate: the loader yielded no samples");
    }
    return sum / count;
  }

  /**
   * How {@code model} runs: {@code "compiled"} for a processor-generated {@code Compiled<Name>}
   * class, {@code "eager"} otherwise.
   */
  public static String mode(Module model) {
    Class<?> type = model.getClass();
    boolean compiled = type.getSimpleName().startsWith("Compiled") && type.getSuperclass() != null
        && type.getSimpleName().endsWith(type.getSuperclass().getSimpleName());
    return compiled ? "compiled" : "eager";
  }

  /** The label of epoch {@code epoch} (1-based) of {@code epochs}: {@code epoch 3/20}, padded so bars line up. */
  public static String epochLabel(int epoch, int epochs) {
    int width = Integer.toString(epochs).length();
    return String.format(Locale.ROOT, "epoch %" + width + "d/%d", epoch, epochs);
  }
}

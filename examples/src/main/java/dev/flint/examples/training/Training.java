package dev.flint.examples.training;

import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.nn.Loss;
import dev.flint.nn.Module;
import dev.flint.optim.Optimizer;
import dev.flint.tensor.Tensor;
import dev.flint.train.ProgressBar;

/**
 * The tutorial's {@code train_loop}, shared by the examples: {@link #trainEpoch} runs forward,
 * loss, zeroGrad, backward and step over a loader, with a progress bar. Its {@code test_loop} is
 * {@link dev.flint.train.Evaluation} in the runtime.
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
   * How {@code model} runs: {@code "compiled"} for a processor-generated {@code Compiled<Name>}
   * class, {@code "eager"} otherwise.
   */
  public static String mode(Module model) {
    Class<?> type = model.getClass();
    boolean compiled = type.getSimpleName().startsWith("Compiled") && type.getSuperclass() != null
        && type.getSimpleName().endsWith(type.getSuperclass().getSimpleName());
    return compiled ? "compiled" : "eager";
  }
}

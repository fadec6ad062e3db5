package dev.flint.train;

import dev.flint.autograd.Autograd;
import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.nn.Loss;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * The tutorial's {@code test_loop} as functions: a model's mean loss or accuracy over a data
 * loader, computed in evaluation mode under {@link Autograd#noGrad()}. The model's mode (train or
 * eval) is put back afterwards, so a training loop can validate mid-epoch.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * The mean loss over every sample of {@code loader}: each batch's loss (mean reduction) weighted
   * by the batch's size, so a short last batch counts as much as its samples.
   */
  public static double meanLoss(Module model, DataLoader loader, Loss lossFn) {
    RunningMean mean = new RunningMean();
    boolean training = model.isTraining();
    model.eval();
    try (Autograd.Scope noGrad = Autograd.noGrad()) {
      for (Batch batch : loader) {
        Tensor loss = lossFn.forward(model.forward(batch.x()), batch.y());
        mean.add(loss.item(), batch.size());
      }
    } finally {
      restoreMode(model, training);
    }
    if (mean.count() == 0) {
      throw new IllegalArgumentException("Evaluation.meanLoss: the loader yielded no samples");
    }
    return mean.mean();
  }

  /** The fraction of {@code loader}'s samples whose highest output is the label (see {@link Accuracy}). */
  public static double accuracy(Module model, DataLoader loader) {
    Accuracy accuracy = new Accuracy();
    boolean training = model.isTraining();
    model.eval();
    try (Autograd.Scope noGrad = Autograd.noGrad()) {
      for (Batch batch : loader) {
        accuracy.update(model.forward(batch.x()), batch.y());
      }
    } finally {
      restoreMode(model, training);
    }
    if (accuracy.total() == 0) {
      throw new IllegalArgumentException("Evaluation.accuracy: the loader yielded no samples");
    }
    return accuracy.value();
  }

  private static void restoreMode(Module model, boolean training) {
    if (training) {
      model.train();
    }
  }
}

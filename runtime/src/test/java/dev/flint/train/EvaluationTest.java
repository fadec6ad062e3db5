package dev.flint.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.data.DataLoader;
import dev.flint.data.TensorDataset;
import dev.flint.nn.Linear;
import dev.flint.nn.MSELoss;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EvaluationTest {
  @Test
  void meanLossWeighsAShortLastBatchByItsSize() {
    Generator.seedAll(3);
    Linear model = new Linear(4, 1);
    Tensor x = Tensor.randn(5, 4);
    Tensor y = Tensor.randn(5, 1);
    // batches of 2, 2 and 1: the per-sample mean equals the loss of one batch of all 5
    double expected;
    try (Autograd.Scope noGrad = Autograd.noGrad()) {
      expected = new MSELoss().forward(model.forward(x), y).item();
    }
    model.train();
    double got = Evaluation.meanLoss(model, new DataLoader(new TensorDataset(x, y), 2), new MSELoss());
    assertEquals(expected, got, 1e-6);
    assertTrue(model.isTraining(), "the model's mode is put back");
  }

  @Test
  void accuracyOverALoader() {
    Linear model = new Linear(2, 2);
    // class = the index of the larger input
    model.loadStateDict(java.util.Map.of("weight", Tensor.of(new float[][] {{1, 0}, {0, 1}}), "bias", Tensor.zeros(2)));
    Tensor x = Tensor.of(new float[][] {{2, 1}, {0, 3}, {5, 4}});
    Tensor y = Tensor.of(new long[] {0, 1, 1});                      // the last one is wrong
    model.eval();
    assertEquals(2.0 / 3, Evaluation.accuracy(model, new DataLoader(new TensorDataset(x, y), 2)), 1e-15);
    assertFalse(model.isTraining());
  }
}

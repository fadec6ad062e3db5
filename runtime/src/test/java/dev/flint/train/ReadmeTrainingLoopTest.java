package dev.flint.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.data.TensorDataset;
import dev.flint.nn.Linear;
import dev.flint.nn.MSELoss;
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's training loop with dev.flint.train, run as written on a small noisy regression. */
class ReadmeTrainingLoopTest {
  @TempDir Path dir;

  @Test
  void theReadmeLoopStopsEarlyKeepsTheBestEpochAndPrintsOneLinePerEpochInAPipe() throws Exception {
    Generator.seedAll(11);
    Tensor x = Tensor.randn(96, 4);
    Tensor y = x.matmul(Tensor.of(new float[] {1, -2, 0.5f, 3}, 4, 1)).add(Tensor.randn(96, 1).mul(0.5));
    DataLoader loader = new DataLoader(new TensorDataset(x.narrow(0, 0, 64), y.narrow(0, 0, 64)), 8, true);
    DataLoader validLoader = new DataLoader(new TensorDataset(x.narrow(0, 64, 32), y.narrow(0, 64, 32)), 16);
    Linear model = new Linear(4, 1);
    SGD optimizer = new SGD(model.parameters(), 0.05);
    MSELoss lossFn = new MSELoss();

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));   // a pipe: no terminal
    int epochsRun = 0;
    BestCheckpoint best = new BestCheckpoint(dir.resolve("runs/best.safetensors"));
    EarlyStopping stop = new EarlyStopping(5);
    LossCurve curve = new LossCurve("regression: MSE");
    try {
      for (int epoch = 1; epoch <= 100; epoch++) {
        epochsRun = epoch;
        try (ProgressBar bar = ProgressBar.forEpoch(epoch, 100, loader.size())) {
          for (Batch b : loader) {
            Tensor loss = lossFn.forward(model.forward(b.x()), b.y());
            optimizer.zeroGrad(); loss.backward(); optimizer.step();
            bar.step(loss.item());
          }
          double valid = Evaluation.meanLoss(model, validLoader, lossFn);
          curve.add(bar.meanLoss(), valid);
          best.update(epoch, valid, model);
          if (stop.update(valid)) break;
        }
      }
    } finally {
      System.setOut(stdout);
    }
    best.restore(model);
    curve.writeSvg(dir.resolve("runs/loss.svg"));

    assertTrue(epochsRun < 100, "the noisy valid loss stops improving well before epoch 100");
    assertEquals(best.bestEpoch() + 5, epochsRun, "stopped 5 epochs after the best");
    assertEquals(best.bestValue(), Evaluation.meanLoss(model, validLoader, lossFn), 0.0,
        "the restored weights are the best epoch's: same valid loss, to the bit");
    assertEquals(epochsRun, curve.epochs());
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals(epochsRun, text.lines().count(), "one line per epoch in a pipe:\n" + text);
    assertFalse(text.contains("\r"), "no in-place redraws in a pipe");
    assertTrue(text.lines().allMatch(l -> l.matches("epoch +\\d+/100 \\|.*\\| 8/8 \\[.*loss=\\d+\\.\\d{4}]")), text);
    assertTrue(Files.size(dir.resolve("runs/loss.svg")) > 0);
  }
}

package dev.flint.examples.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.examples.digits.DigitsExample;
import dev.flint.examples.training.RunFiles;
import dev.flint.examples.training.RunOptions;
import dev.flint.io.SafeTensors;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LstmDigitsExampleIT {
  @TempDir Path out;

  /**
   * A short run (12 of the 30 epochs) already classifies most test digits: chance is 10 %, the full
   * run reaches about 97 % (examples/README.md).
   */
  @Test
  void learnsTheDigitsRowByRow() throws Exception {
    int epochs = 12;
    DigitsExample.Result r = LstmDigitsExample.run(new RunOptions(epochs, out, 0, false));
    assertEquals("compiled", r.mode());

    assertTrue(r.testAccuracy() >= 0.85, "test accuracy after " + epochs + " epochs: " + r.testAccuracy());
    RunFiles.assertFalls(r.curve().train(), 5, "train loss");
    RunFiles.assertLossCurve(out, epochs);
    assertEquals(r.bestValidLoss(), r.reloadedValidLoss(), 1e-6 * r.bestValidLoss());
    List<String[]> rows = RunFiles.assertPredictions(out, "row,label,predicted", r.testSamples());
    long correct = rows.stream().filter(f -> f[1].equals(f[2])).count();
    assertEquals(r.testAccuracy(), (double) correct / rows.size(), 1e-12);

    // The file holds PyTorch's LSTM keys and shapes (gates i, f, g, o stacked: 4 * 64 rows).
    Map<String, Tensor> saved = SafeTensors.load(out.resolve("best.safetensors"));
    assertEquals(List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", "fc.weight", "fc.bias"),
        List.copyOf(saved.keySet()));
    assertArrayEquals(new int[] {256, 8}, saved.get("lstm.weight_ih_l0").shape());
    assertArrayEquals(new int[] {256, 64}, saved.get("lstm.weight_hh_l0").shape());
  }

  /** CompiledLstmDigitsNet trains as the eager LstmDigitsNet does: the same curve, epoch by epoch (FLOAT32, 1e-4). */
  @Test
  void compiledAndEagerGiveTheSameCurve() {
    DigitsExample.Result eager = LstmDigitsExample.run(new RunOptions(2, out.resolve("eager"), 0, true));
    DigitsExample.Result compiled = LstmDigitsExample.run(new RunOptions(2, out.resolve("compiled"), 0, false));
    assertEquals("eager", eager.mode());
    for (int e = 0; e < 2; e++) {
      assertEquals(eager.curve().train().get(e), compiled.curve().train().get(e), 1e-4, "train loss, epoch " + (e + 1));
      assertEquals(eager.curve().valid().get(e), compiled.curve().valid().get(e), 1e-4, "valid loss, epoch " + (e + 1));
    }
  }
}

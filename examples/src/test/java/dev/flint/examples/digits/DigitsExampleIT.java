package dev.flint.examples.digits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.examples.training.RunFiles;
import dev.flint.examples.training.RunOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsExampleIT {
  @TempDir Path out;

  /** The full run, as the README states it: at least 95% of the test digits right. */
  @Test
  void reachesNinetyFivePercentTestAccuracy() throws Exception {
    DigitsExample.Result r = DigitsExample.run(new RunOptions(DigitsExample.EPOCHS, out, 0, false));
    assertEquals("compiled", r.mode());

    assertTrue(r.testAccuracy() >= 0.95, "test accuracy " + r.testAccuracy());
    RunFiles.assertFalls(r.curve().train(), 10, "train loss");
    RunFiles.assertFalls(r.curve().valid(), 5, "valid loss");
    RunFiles.assertLossCurve(out, DigitsExample.EPOCHS);
    RunFiles.assertModelFile(out);
    RunFiles.assertUsualPermissions(out);
    assertEquals(r.bestValidLoss(), r.reloadedValidLoss(), 1e-6 * r.bestValidLoss()); // parallel kernels may reorder sums

    // The CSV's labels and predictions give the reported accuracy.
    List<String[]> rows = RunFiles.assertPredictions(out, "row,label,predicted", r.testSamples());
    long correct = rows.stream().filter(f -> f[1].equals(f[2])).count();
    assertEquals(r.testAccuracy(), (double) correct / rows.size(), 1e-12);
    for (String[] f : rows) {
      int label = Integer.parseInt(f[1]);
      assertTrue(label >= 0 && label <= 9, "label " + label);
    }
  }

  @Test
  void splitSizes() {
    DigitsData d = DigitsData.load(0);
    assertEquals(List.of(1438, 180, 179), List.of(d.train().size(), d.valid().size(), d.test().size()));
    double max = 0;
    for (float v : d.train().get(0).x().toFloatArray()) {
      max = Math.max(max, v);
    }
    assertTrue(max <= 1 && max > 0.5, "pixels scaled to [0, 1]: max " + max);
  }
}

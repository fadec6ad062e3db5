package dev.flint.examples.diabetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.data.Sample;
import dev.flint.data.Subset;
import dev.flint.examples.training.RunFiles;
import dev.flint.examples.training.RunOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiabetesExampleIT {
  static final int EPOCHS = 20;

  @TempDir Path out;

  @Test
  void trainsKeepsTheBestModelAndPredicts() throws Exception {
    DiabetesExample.Result r = DiabetesExample.run(new RunOptions(EPOCHS, out, 0, false));
    assertEquals("compiled", r.mode());

    RunFiles.assertFalls(r.curve().train(), 1.3, "train loss");
    RunFiles.assertFalls(r.curve().valid(), 1.05, "valid loss");
    RunFiles.assertLossCurve(out, EPOCHS);
    RunFiles.assertModelFile(out);
    RunFiles.assertUsualPermissions(out);
    // The model reloaded from disk is the best epoch's model: same validation loss.
    assertEquals(r.curve().valid().get(r.bestEpoch() - 1), r.bestValidLoss(), 0);
    assertEquals(r.bestValidLoss(), r.reloadedValidLoss(), 1e-6 * r.bestValidLoss()); // parallel kernels may reorder sums

    List<String[]> rows = RunFiles.assertPredictions(out, "row,target,prediction", 44);
    double[] y = new double[rows.size()];
    double[] p = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      y[i] = Double.parseDouble(rows.get(i)[1]);
      p[i] = Double.parseDouble(rows.get(i)[2]);
    }
    // The CSV holds what was scored, in the original units (targets are whole numbers 25..346).
    assertEquals(r.testMse(), DiabetesExample.meanSquaredError(y, p), 1e-3 * r.testMse());
    for (double v : y) {
      assertTrue(v == Math.rint(v) && v >= 25 && v <= 346, "target " + v);
    }
    // Better than predicting the mean, and not far from ordinary least squares on the same split.
    double ols = LeastSquares.testMse(DiabetesData.load(0));
    assertTrue(r.testR2() > 0.3, "test R² " + r.testR2());
    assertTrue(r.testMse() < 1.25 * ols, "network MSE " + r.testMse() + " vs least squares " + ols);
  }

  @Test
  void splitIsSeededAndDisjoint() {
    DiabetesData a = DiabetesData.load(5);
    DiabetesData b = DiabetesData.load(5);
    assertEquals(List.of(354, 44, 44), List.of(a.train().size(), a.valid().size(), a.test().size()));
    assertTrue(java.util.Arrays.equals(a.test().indices(), b.test().indices()), "same seed, same split");
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (Subset<Sample> s : List.of(a.train(), a.valid(), a.test())) {
      for (int i : s.indices()) {
        assertTrue(seen.add(i), "row " + i + " in two splits");
      }
    }
    assertEquals(442, seen.size());
  }
}

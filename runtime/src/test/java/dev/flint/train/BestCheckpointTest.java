package dev.flint.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.nn.Linear;
import dev.flint.nn.MSELoss;
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BestCheckpointTest {
  @TempDir Path dir;

  @Test
  void restoresTheBestEpochsParameters() {
    Generator.seedAll(7);
    Linear model = new Linear(3, 1);
    SGD optimizer = new SGD(model.parameters(), 0.1);
    Tensor x = Tensor.randn(8, 3);
    Tensor y = Tensor.randn(8, 1);
    double[] validLosses = {0.9, 0.5, 0.7, 0.4, 0.6, 0.45};   // hand-made: epoch 4 is the best
    BestCheckpoint best = new BestCheckpoint(dir.resolve("runs/a/best.safetensors"));
    List<Map<String, Tensor>> states = new ArrayList<>();
    List<Boolean> saved = new ArrayList<>();
    for (int epoch = 1; epoch <= validLosses.length; epoch++) {
      Tensor loss = new MSELoss().forward(model.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      states.add(copy(model.stateDict()));
      saved.add(best.update(epoch, validLosses[epoch - 1], model));
    }
    assertEquals(List.of(true, true, false, true, false, false), saved);
    assertEquals(4, best.bestEpoch());
    assertEquals(0.4, best.bestValue());

    Linear fresh = new Linear(3, 1);
    best.restore(fresh);
    Map<String, Tensor> restored = fresh.stateDict();
    for (String key : states.get(3).keySet()) {
      assertArrayEquals(states.get(3).get(key).toFloatArray(), restored.get(key).toFloatArray(), 0f, key);
    }
    assertFalse(java.util.Arrays.equals(states.get(5).get("weight").toFloatArray(), restored.get("weight").toFloatArray()),
        "training went on after the best epoch, so the last weights differ");
  }

  @Test
  void maximizingKeepsTheHighestAndRestoreBeforeAnySaveFails() {
    BestCheckpoint best = new BestCheckpoint(dir.resolve("acc.safetensors"), Goal.MAXIMIZE);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> best.restore(new Linear(1, 1)));
    assertTrue(e.getMessage().contains("no epoch has been saved"), e.getMessage());
    Linear model = new Linear(2, 2);
    assertTrue(best.update(1, 0.5, model));
    assertFalse(best.update(2, 0.4, model));
    assertFalse(best.update(3, Double.NaN, model));
    assertTrue(best.update(4, 0.9, model));
    assertEquals(4, best.bestEpoch());
  }

  private static Map<String, Tensor> copy(Map<String, Tensor> state) {
    Map<String, Tensor> out = new java.util.LinkedHashMap<>();
    state.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }
}

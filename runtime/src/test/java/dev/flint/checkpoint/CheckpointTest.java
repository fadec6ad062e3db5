package dev.flint.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.data.Batch;
import dev.flint.data.DataLoader;
import dev.flint.data.TensorDataset;
import dev.flint.io.SafeTensors;
import dev.flint.io.SafeTensorsException;
import dev.flint.nn.Module;
import dev.flint.optim.Adam;
import dev.flint.optim.Optimizer;
import dev.flint.optim.SGD;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  /** y = x·w + b, initialised from the default generator, with a step-counting buffer. */
  static final class Affine extends Module {
    final Tensor weight = registerParameter("weight", gaussian(3));
    final Tensor bias = registerParameter("bias", gaussian(1));
    final Tensor steps = registerBuffer("steps", Tensor.zeros(DType.INT64, 1));

    private static Tensor gaussian(int n) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) Generator.defaultGenerator().nextGaussian();
      }
      return Tensor.of(v);
    }

    @Override
    public Tensor forward(Tensor input) {
      throw new UnsupportedOperationException("the test computes the forward pass and gradients by hand");
    }
  }

  static TensorDataset data() {
    Generator g = new Generator(7);
    int n = 20;
    float[] x = new float[n * 3];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[3 * i + j] = (float) g.nextGaussian();
      }
      y[i] = 2 * x[3 * i] - x[3 * i + 1] + 0.5f * x[3 * i + 2] + 0.3f;
    }
    return new TensorDataset(Tensor.of(x, n, 3), Tensor.of(y, n, 1));
  }

  /**
   * Epochs {@code from .. to-1} of MSE training with hand-computed gradients, a dropout-like random
   * mask on them from the default generator, and batches shuffled by the default generator: every
   * piece of state (parameters, buffer, optimizer moments, generator) affects the result.
   */
  static void train(Affine m, Optimizer opt, int from, int to) {
    DataLoader loader = new DataLoader(data(), 6, true);
    Generator rng = Generator.defaultGenerator();
    for (int epoch = from; epoch < to; epoch++) {
      for (Batch b : loader) {
        float[] x = b.x().toFloatArray();
        float[] y = b.y().toFloatArray();
        float[] w = m.weight.toFloatArray();
        float bias = m.bias.toFloatArray()[0];
        float[] gw = new float[3];
        float gb = 0;
        int n = y.length;
        for (int i = 0; i < n; i++) {
          float err = x[3 * i] * w[0] + x[3 * i + 1] * w[1] + x[3 * i + 2] * w[2] + bias - y[i];
          for (int j = 0; j < 3; j++) {
            gw[j] += 2 * err * x[3 * i + j] / n;
          }
          gb += 2 * err / n;
        }
        for (int j = 0; j < 3; j++) {
          gw[j] *= rng.nextDouble() < 0.8 ? 1.25f : 0f;
        }
        opt.zeroGrad();
        m.weight.setGrad(Tensor.of(gw));
        m.bias.setGrad(Tensor.of(new float[] {gb}));
        opt.step();
        m.steps.storage().longs()[0]++;
      }
    }
  }

  record Outcome(float[] weight, float[] bias, long steps, long[] rng) {
    void assertBitwiseEqual(Outcome o) {
      assertArrayEquals(bits(weight), bits(o.weight));
      assertArrayEquals(bits(bias), bits(o.bias));
      assertEquals(steps, o.steps);
      assertArrayEquals(rng, o.rng);
    }

    boolean sameParameters(Outcome o) {
      return java.util.Arrays.equals(bits(weight), bits(o.weight)) && java.util.Arrays.equals(bits(bias), bits(o.bias));
    }

    private static int[] bits(float[] v) {
      int[] out = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        out[i] = Float.floatToRawIntBits(v[i]);
      }
      return out;
    }
  }

  static Outcome outcome(Affine m) {
    return new Outcome(m.weight.toFloatArray(), m.bias.toFloatArray(), m.steps.toLongArray()[0],
        Generator.defaultGenerator().getState());
  }

  @Test
  void resumingFromACheckpointTrainsExactlyAsWithoutStopping() {
    Generator.seedAll(1);
    Affine straight = new Affine();
    Adam straightOpt = new Adam(straight.parameters(), 0.05);
    train(straight, straightOpt, 0, 5);
    Outcome expected = outcome(straight);

    Generator.seedAll(1);
    Affine first = new Affine();
    Adam firstOpt = new Adam(first.parameters(), 0.05);
    train(first, firstOpt, 0, 2);
    Path file = dir.resolve("ckpt.safetensors");
    Checkpoint.save(file, first, firstOpt, 2);

    // fresh objects, a different seed: everything must come from the file
    Generator.seedAll(999);
    Affine resumed = new Affine();
    Adam resumedOpt = new Adam(resumed.parameters(), 0.05);
    long epoch = Checkpoint.load(file).restore(resumed, resumedOpt);
    assertEquals(2, epoch);
    train(resumed, resumedOpt, (int) epoch, 5);
    expected.assertBitwiseEqual(outcome(resumed));
    assertEquals(straightOpt.stateDict().keySet(), resumedOpt.stateDict().keySet());
    for (String k : straightOpt.stateDict().keySet()) {
      assertArrayEquals(straightOpt.stateDict().get(k).toDoubleArray(), resumedOpt.stateDict().get(k).toDoubleArray(), 0.0, k);
    }
  }

  @Test
  void eachPartOfTheStateMatters() {
    // The same resume, but leaving out the optimizer's moments or the generator's state, differs:
    // so the equality above is not an accident of the setup.
    Generator.seedAll(1);
    Affine straight = new Affine();
    train(straight, new Adam(straight.parameters(), 0.05), 0, 5);
    Outcome expected = outcome(straight);

    Generator.seedAll(1);
    Affine first = new Affine();
    Adam firstOpt = new Adam(first.parameters(), 0.05);
    train(first, firstOpt, 0, 2);
    Path file = dir.resolve("ckpt.safetensors");
    Checkpoint.save(file, first, firstOpt, 2);

    Affine noOptimizerState = new Affine();
    Adam freshOpt = new Adam(noOptimizerState.parameters(), 0.05);
    Checkpoint.load(file).restore(noOptimizerState, null);
    train(noOptimizerState, freshOpt, 2, 5);
    assertFalse(expected.sameParameters(outcome(noOptimizerState)), "fresh Adam moments change the result");

    Affine otherRng = new Affine();
    Adam otherOpt = new Adam(otherRng.parameters(), 0.05);
    Checkpoint.load(file).restore(otherRng, otherOpt);
    Generator.seedAll(5);
    train(otherRng, otherOpt, 2, 5);
    assertFalse(expected.sameParameters(outcome(otherRng)), "another generator state changes the result");
  }

  @Test
  void theFileIsAPlainSafetensorsFileWithPrefixedNames() {
    Generator.seedAll(3);
    Affine m = new Affine();
    SGD opt = new SGD(m.parameters(), 0.1).momentum(0.9);
    train(m, opt, 0, 1);
    Path file = dir.resolve("ckpt.safetensors");
    Checkpoint.of(m, opt, 1).withMetadata("note", "after one epoch").withGenerator("loader", new Generator(42)).save(file);

    Map<String, Tensor> raw = SafeTensors.load(file);
    assertTrue(raw.keySet().containsAll(List.of("model.weight", "model.bias", "model.steps", "optim.state.0.step",
        "optim.state.0.momentum_buffer", "optim.param_groups.0.lr", "rng.default", "rng.loader")), raw.keySet().toString());
    assertArrayEquals(m.weight.toFloatArray(), raw.get("model.weight").toFloatArray());
    assertArrayEquals(Generator.defaultGenerator().getState(), raw.get("rng.default").toLongArray());
    assertEquals(Map.of("epoch", "1", "note", "after one epoch"), SafeTensors.readMetadata(file));

    Checkpoint back = Checkpoint.load(file);
    assertEquals(1, back.epoch());
    assertEquals(Map.of("note", "after one epoch"), back.metadata());
    Generator g = new Generator(0);
    back.restoreGenerator("loader", g);
    assertEquals(new Generator(42).nextLong(), g.nextLong());
  }

  @Test
  void worksWithPlainStateMaps() {
    Map<String, Tensor> model = new LinkedHashMap<>();
    model.put("w", Tensor.of(new float[] {1, 2}));
    Map<String, Tensor> optim = Map.of("state.0.step", Tensor.scalar(3, DType.FLOAT64));
    Checkpoint c = Checkpoint.of(model, optim, 7);
    model.get("w").storage().floats()[0] = 100; // the checkpoint holds a snapshot
    Path file = dir.resolve("maps.safetensors");
    c.save(file);
    Checkpoint back = Checkpoint.load(file);
    assertArrayEquals(new float[] {1, 2}, back.modelState().get("w").toFloatArray());
    assertEquals(3.0, back.optimizerState().get("state.0.step").item());
    assertEquals(7, back.epoch());
  }

  @Test
  void aFailedRestoreChangesNothing() {
    Generator.seedAll(1);
    Affine m = new Affine();
    Path file = dir.resolve("ckpt.safetensors");
    Checkpoint.save(file, m, new Adam(m.parameters(), 0.1), 0);
    Affine other = new Affine();
    float[] before = other.weight.toFloatArray();
    // an SGD cannot take Adam's hyperparameters: the model must be put back
    SGD wrong = new SGD(other.parameters(), 0.1);
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file).restore(other, wrong));
    assertArrayEquals(before, other.weight.toFloatArray());
  }

  @Test
  void refusesFilesThatAreNotCheckpoints() {
    Path plain = dir.resolve("plain.safetensors");
    SafeTensors.save(Map.of("weight", Tensor.ones(2)), plain);
    SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(plain));
    assertTrue(e.getMessage().contains("tensor 'weight' is not part of a checkpoint"), e.getMessage());
    SafeTensors.save(Map.of("model.weight", Tensor.ones(2)), plain);
    e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(plain));
    assertTrue(e.getMessage().contains("its metadata has no \"epoch\" entry"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(Map.of(), Map.of(), 0).withMetadata("epoch", "3"));
  }
}

package dev.flint.nn;

import dev.flint.compiled.LayerKernels;
import dev.flint.internal.Internals;
import dev.flint.layers.LayerContext;
import dev.flint.ops.DimAlgebra;
import dev.flint.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/** A layer's context on tensors: its state by field name (null when absent) and the training flag. */
final class EagerLayer implements LayerContext<Tensor> {
  private final boolean training;
  private final Map<String, Tensor> state = new HashMap<>();

  /** With {@code fieldsAndTensors} alternating field names and tensors (null: the layer has none). */
  EagerLayer(boolean training, Object... fieldsAndTensors) {
    this.training = training;
    for (int i = 0; i < fieldsAndTensors.length; i += 2) {
      state.put((String) fieldsAndTensors[i], (Tensor) fieldsAndTensors[i + 1]);
    }
  }

  @Override
  public DimAlgebra dims() {
    return DimAlgebra.EAGER;
  }

  @Override
  public double reciprocal(int n) {
    return 1.0 / n;
  }

  @Override
  public int[] shape(Tensor x) {
    return x.shape();
  }

  @Override
  public boolean has(String field) {
    return state.get(field) != null;
  }

  @Override
  public Tensor state(String field) {
    return state.get(field);
  }

  @Override
  public boolean training() {
    return training;
  }

  @Override
  public Tensor dropoutMask(Tensor x, double p) {
    return LayerKernels.dropoutMask(x, p);
  }

  @Override
  public Tensor leakyReluSlopes(Tensor x, double slope) {
    return LayerKernels.leakyReluSlopes(x, slope);
  }

  @Override
  public Tensor attentionBias(Tensor mask, Tensor x) {
    return LayerKernels.attentionBias(mask, x);
  }

  @Override
  public Tensor causalBias(Tensor x) {
    return LayerKernels.causalBias(x);
  }

  @Override
  public Tensor zeroState(Tensor x, int hidden) {
    return LayerKernels.zeroState(x, hidden);
  }

  @Override
  public void updateRunningStats(Tensor x3, Tensor mean, Tensor var, double momentum) {
    int[] s = Internals.shapeRef(x3);
    LayerKernels.updateRunningStats(state("runningMean"), state("runningVar"), mean, var, momentum,
        s[0] * s[2]);
    if (has("numBatchesTracked")) {
      LayerKernels.countBatch(state("numBatchesTracked"));
    }
  }
}

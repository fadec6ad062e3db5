// Generated from Modes.java. Do not edit.
package models;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.kernel.Buffers;
import dev.flint.kernel.Kernels;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.annotation.processing.Generated;

/**
 * The compiled form of {@link Modes}: the same model, whose {@code forward} runs straight-line
 * kernel calls and whose backward pass is one generated autograd node. Create it as
 * {@code Modes model = new CompiledModes();}.
 */
@Generated(
    value = "dev.flint.processor.ModelProcessor",
    comments = "from models.Modes"
)
public class CompiledModes extends Modes {
  private static final String SUMMARY = "CompiledModes (compiled from models.Modes)\n"
      + "  input                        [B, 6]\n"
      + "  fc1: Linear 6→8              [B, 8]\n"
      + "  bn: BatchNorm1d 8            [B, 8]\n"
      + "  fc2: Linear 8→3              [B, 3]\n"
      + "  output                       [B, 3]\n"
      + "parameters: 99\n"
      + "FLOPs per sample: forward 246, backward 463\n"
      + "saved activations per sample: 172 bytes (FLOAT32)\n";

  /**
   * Intermediate gradients of the backward pass, reused from step to step. A model instance
   * must not run two backward passes at the same time on different threads.
   */
  private final Tensor[] backwardBuffersTraining = new Tensor[11];

  /**
   * Intermediate gradients of the backward pass, reused from step to step. A model instance
   * must not run two backward passes at the same time on different threads.
   */
  private final Tensor[] backwardBuffersEval = new Tensor[5];

  public CompiledModes() {
    super();
  }

  /**
   * The @Layer fields by name, read directly (no reflection), so state-dict keys are {@code fc1.weight}.
   */
  @Override
  protected Map<String, Module> declaredLayers() {
    Map<String, Module> layers = new LinkedHashMap<>();
    layers.put("fc1", fc1);
    layers.put("bn", bn);
    layers.put("fc2", fc2);
    layers.values().removeIf(Objects::isNull);
    return layers;
  }

  @Override
  public Tensor forward(Tensor x) {
    return isTraining() ? forwardTraining(x) : forwardEval(x);
  }

  /**
   * The forward pass in training mode.
   */
  private Tensor forwardTraining(Tensor x) {
    if (x.dim() != 2 || x.size(1) != 6) {
      throw new IllegalArgumentException("CompiledModes expects input of shape [B, 6], but got " + Arrays.toString(x.shape()));
    }
    int B = x.size(0);

    // Modes.java:19  Tensor h = bn.forward(fc1.forward(x));
    Tensor t1 = Kernels.permute(fc1.weight, new int[] {1, 0}); // f[6, 8]
    Tensor t2 = Kernels.matmul(x, t1); // f[B, 8]
    Tensor t3 = Kernels.add(t2, fc1.bias, t2); // f[B, 8], in place: t2 is not needed again
    Tensor t4 = Kernels.reshape(t3, new int[] {B, 8, 1}); // f[B, 8, 1]
    Tensor t5 = Kernels.sum(t4, new int[] {2}, true); // f[B, 8, 1]
    Tensor t6 = Kernels.sum(t5, new int[] {0}, true); // f[1, 8, 1]
    Tensor t7 = Kernels.mulScalar(t6, 1.0 / B); // f[1, 8, 1]
    Tensor t8 = Kernels.sub(t4, t7); // f[B, 8, 1]
    Tensor t9 = Kernels.mul(t8, t8); // f[B, 8, 1]
    Tensor t10 = Kernels.sum(t9, new int[] {2}, true); // f[B, 8, 1]
    Tensor t11 = Kernels.sum(t10, new int[] {0}, true); // f[1, 8, 1]
    Tensor t12 = Kernels.mulScalar(t11, 1.0 / B); // f[1, 8, 1]
    Tensor t13 = Kernels.addScalar(t12, 1.0E-5); // f[1, 8, 1]
    Tensor t14 = Kernels.sqrt(t13); // f[1, 8, 1]
    Tensor t15 = Kernels.div(t8, t14); // f[B, 8, 1]
    updateRunningStats(bn.runningMean, bn.runningVar, t7, t12, 0.1, B);
    countBatch(bn.numBatchesTracked);
    Tensor t16 = Kernels.reshape(bn.weight, new int[] {1, 8, 1}); // f[1, 8, 1]
    Tensor t17 = Kernels.mul(t15, t16); // f[B, 8, 1]
    Tensor t18 = Kernels.reshape(bn.bias, new int[] {1, 8, 1}); // f[1, 8, 1]
    Tensor t19 = Kernels.add(t17, t18); // f[B, 8, 1]
    Tensor h = Kernels.reshape(t19, new int[] {B, 8}); // f[B, 8]

    // Modes.java:21  h = F.dropout(F.relu(h), 0.3, isTraining());
    Tensor t20 = Kernels.relu(h); // f[B, 8]
    Tensor keep = dropoutMask(t20, 0.3); // f[B, 8]
    Tensor h2 = Kernels.mul(t20, keep); // f[B, 8]

    // Modes.java:25  return fc2.forward(h).logSoftmax(1);
    Tensor t21 = Kernels.permute(fc2.weight, new int[] {1, 0}); // f[8, 3]
    Tensor t22 = Kernels.matmul(h2, t21); // f[B, 3]
    Tensor t23 = Kernels.add(t22, fc2.bias, t22); // f[B, 3], in place: t22 is not needed again
    Tensor out = Kernels.logSoftmax(t23, 1); // f[B, 3]

    if (GradMode.isEnabled() && anyRequiresGrad(x, fc1.weight, fc1.bias, bn.weight, bn.bias, fc2.weight, fc2.bias)) {
      // One autograd node for the whole pass: its backward is the generated TrainingBackward.backward.
      out.setGradFn(new TrainingBackward(x, fc1.weight, fc1.bias, bn.weight, bn.bias, fc2.weight, fc2.bias, keep, t8, t14, t15, t16, t20, h2, out, B, this.backwardBuffersTraining));
    }
    return out;
  }

  /**
   * The forward pass in evaluation mode.
   */
  private Tensor forwardEval(Tensor x) {
    if (x.dim() != 2 || x.size(1) != 6) {
      throw new IllegalArgumentException("CompiledModes expects input of shape [B, 6], but got " + Arrays.toString(x.shape()));
    }
    int B = x.size(0);

    // Modes.java:19  Tensor h = bn.forward(fc1.forward(x));
    Tensor t1 = Kernels.permute(fc1.weight, new int[] {1, 0}); // f[6, 8]
    Tensor t2 = Kernels.matmul(x, t1); // f[B, 8]
    Tensor t3 = Kernels.add(t2, fc1.bias, t2); // f[B, 8], in place: t2 is not needed again
    Tensor t4 = Kernels.reshape(t3, new int[] {B, 8, 1}); // f[B, 8, 1]
    Tensor t5 = Kernels.reshape(bn.runningMean, new int[] {1, 8, 1}); // f[1, 8, 1]
    Tensor t6 = Kernels.sub(t4, t5); // f[B, 8, 1]
    Tensor t7 = Kernels.reshape(bn.runningVar, new int[] {1, 8, 1}); // f[1, 8, 1]
    Tensor t8 = Kernels.addScalar(t7, 1.0E-5); // f[1, 8, 1]
    Tensor t9 = Kernels.sqrt(t8); // f[1, 8, 1]
    Tensor t10 = Kernels.div(t6, t9); // f[B, 8, 1]
    Tensor t11 = Kernels.reshape(bn.weight, new int[] {1, 8, 1}); // f[1, 8, 1]
    Tensor t12 = Kernels.mul(t10, t11); // f[B, 8, 1]
    Tensor t13 = Kernels.reshape(bn.bias, new int[] {1, 8, 1}); // f[1, 8, 1]
    Tensor t14 = Kernels.add(t12, t13); // f[B, 8, 1]
    Tensor h = Kernels.reshape(t14, new int[] {B, 8}); // f[B, 8]

    // Modes.java:23  h = F.relu(h).mul(1.0);
    Tensor t15 = Kernels.relu(h); // f[B, 8]
    Tensor h2 = Kernels.mulScalar(t15, 1.0); // f[B, 8]

    // Modes.java:25  return fc2.forward(h).logSoftmax(1);
    Tensor t16 = Kernels.permute(fc2.weight, new int[] {1, 0}); // f[8, 3]
    Tensor t17 = Kernels.matmul(h2, t16); // f[B, 3]
    Tensor t18 = Kernels.add(t17, fc2.bias, t17); // f[B, 3], in place: t17 is not needed again
    Tensor out = Kernels.logSoftmax(t18, 1); // f[B, 3]

    if (GradMode.isEnabled() && anyRequiresGrad(x, fc1.weight, fc1.bias, bn.weight, bn.bias, fc2.weight, fc2.bias)) {
      // One autograd node for the whole pass: its backward is the generated EvalBackward.backward.
      out.setGradFn(new EvalBackward(x, fc1.weight, fc1.bias, bn.weight, bn.bias, fc2.weight, fc2.bias, t9, t10, t11, t15, h2, out, B, this.backwardBuffersEval));
    }
    return out;
  }

  /**
   * Layers, output shapes, parameter count, FLOPs and saved-activation bytes per sample, computed at compile time.
   */
  public String summary() {
    return SUMMARY;
  }

  private static boolean anyRequiresGrad(Tensor... tensors) {
    for (Tensor t : tensors) {
      if (t != null && t.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The mask of {@code F.dropout}: 0 with probability p, else 1/(1-p), drawn from the default
   * generator in the same order, so compiled and eager models agree under the same seed.
   */
  private static Tensor dropoutMask(Tensor x, double p) {
    double keep = 1 / (1 - p);
    Generator g = Generator.defaultGenerator();
    int n = x.numel();
    if (x.dtype() == DType.FLOAT64) {
      double[] m = new double[n];
      for (int i = 0; i < n; i++) {
        m[i] = g.nextDouble() < p ? 0 : keep;
      }
      return Tensor.wrap(Storage.of(m), x.shape());
    }
    float[] m = new float[n];
    for (int i = 0; i < n; i++) {
      m[i] = g.nextDouble() < p ? 0f : (float) keep;
    }
    return Tensor.wrap(Storage.of(m), x.shape());
  }

  /**
   * Batch norm's running statistics, as {@code F.batchNorm} updates them: running = (1 - momentum)
   * running + momentum batch, with the unbiased variance.
   */
  private static void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean,
      Tensor var, double momentum, int count) {
    double[] m = mean.toDoubleArray();
    double[] v = var.toDoubleArray();
    double[] rm = runningMean.toDoubleArray();
    double[] rv = runningVar.toDoubleArray();
    double unbias = count / (count - 1.0);
    for (int i = 0; i < rm.length; i++) {
      rm[i] = (1 - momentum) * rm[i] + momentum * m[i];
      rv[i] = (1 - momentum) * rv[i] + momentum * v[i] * unbias;
    }
    Kernels.copy(Tensor.of(rm), runningMean);
    Kernels.copy(Tensor.of(rv), runningVar);
  }

  /**
   * Adds one to batch norm's {@code num_batches_tracked}.
   */
  private static void countBatch(Tensor counter) {
    counter.storage().setLong(counter.offset(), counter.getLong() + 1);
  }

  /**
   * The backward pass of {@code forwardTraining}: the chain rule written out, from {@code dOut} = dL/d(output).
   */
  private static final class TrainingBackward extends Node {
    private final Tensor x;

    private final Tensor fc1Weight;

    private final Tensor fc1Bias;

    private final Tensor bnWeight;

    private final Tensor bnBias;

    private final Tensor fc2Weight;

    private final Tensor fc2Bias;

    private Tensor keep;

    private Tensor t8;

    private Tensor t14;

    private Tensor t15;

    private Tensor t16;

    private Tensor t20;

    private Tensor h2;

    private Tensor out;

    private final int B;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    TrainingBackward(Tensor x, Tensor fc1Weight, Tensor fc1Bias, Tensor bnWeight, Tensor bnBias,
        Tensor fc2Weight, Tensor fc2Bias, Tensor keep, Tensor t8, Tensor t14, Tensor t15,
        Tensor t16, Tensor t20, Tensor h2, Tensor out, int B, Tensor[] buffers) {
      this.x = x;
      this.fc1Weight = fc1Weight;
      this.fc1Bias = fc1Bias;
      this.bnWeight = bnWeight;
      this.bnBias = bnBias;
      this.fc2Weight = fc2Weight;
      this.fc2Bias = fc2Bias;
      this.keep = keep;
      this.t8 = t8;
      this.t14 = t14;
      this.t15 = t15;
      this.t16 = t16;
      this.t20 = t20;
      this.h2 = h2;
      this.out = out;
      this.B = B;
      this.buffers = buffers;
    }

    @Override
    public Tensor[] inputs() {
      return new Tensor[] {x, fc1Weight, fc1Bias, bnWeight, bnBias, fc2Weight, fc2Bias};
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Modes.java:25  return fc2.forward(h).logSoftmax(1);
      Tensor g1 = Kernels.exp(out); // f[B, 3]
      Tensor g2 = Kernels.sum(dOut, new int[] {1}, true); // f[B, 1]
      Tensor g3 = Kernels.mul(g1, g2, buffers[0] = Buffers.reuse(buffers[0], DTypes.promote(g1, g2), B, 3)); // f[B, 3], reused buffer
      Tensor dT23 = Kernels.sub(dOut, g3, buffers[1] = Buffers.reuse(buffers[1], DTypes.promote(dOut, g3), B, 3)); // f[B, 3], reused buffer
      Tensor dFc2Bias = Kernels.sumTo(dT23, new int[] {3}); // f[3]
      Tensor g4 = Kernels.permute(h2, new int[] {1, 0}); // f[8, B]
      Tensor dH2 = Kernels.matmul(dT23, fc2Weight, buffers[2] = Buffers.reuse(buffers[2], DTypes.promote(dT23, fc2Weight), B, 8)); // f[B, 8], reused buffer
      Tensor dT21 = Kernels.matmul(g4, dT23); // f[8, 3]
      Tensor dFc2Weight = Kernels.permute(dT21, new int[] {1, 0}); // f[3, 8]

      // Modes.java:21  h = F.dropout(F.relu(h), 0.3, isTraining());
      Tensor dT20 = Kernels.mul(dH2, keep, buffers[3] = Buffers.reuse(buffers[3], DTypes.promote(dH2, keep), B, 8)); // f[B, 8], reused buffer
      Tensor g5 = Kernels.sign(t20, buffers[4] = Buffers.reuse(buffers[4], t20.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dH = Kernels.mul(dT20, g5); // f[B, 8]

      // Modes.java:19  Tensor h = bn.forward(fc1.forward(x));
      Tensor dT19 = Kernels.reshape(dH, new int[] {B, 8, 1}); // f[B, 8, 1]
      Tensor dT18 = Kernels.sumTo(dT19, new int[] {1, 8, 1}); // f[1, 8, 1]
      Tensor dBnBias = Kernels.reshape(dT18, new int[] {8}); // f[8]
      Tensor dT15 = Kernels.mul(dT19, t16, buffers[5] = Buffers.reuse(buffers[5], DTypes.promote(dT19, t16), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g6 = Kernels.mul(dT19, t15); // f[B, 8, 1]
      Tensor dT16 = Kernels.sumTo(g6, new int[] {1, 8, 1}); // f[1, 8, 1]
      Tensor dBnWeight = Kernels.reshape(dT16, new int[] {8}); // f[8]
      Tensor g7 = Kernels.div(dT15, t14); // f[B, 8, 1]
      Tensor g8 = Kernels.div(t15, t14); // f[B, 8, 1]
      Tensor g9 = Kernels.mul(dT15, g8, buffers[6] = Buffers.reuse(buffers[6], DTypes.promote(dT15, g8), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g10 = Kernels.neg(g9); // f[B, 8, 1]
      Tensor dT14 = Kernels.sumTo(g10, new int[] {1, 8, 1}); // f[1, 8, 1]
      Tensor g11 = Kernels.mulScalar(t14, 2.0); // f[1, 8, 1]
      Tensor dT13 = Kernels.div(dT14, g11); // f[1, 8, 1]
      Tensor dT11 = Kernels.mulScalar(dT13, 1.0 / B); // f[1, 8, 1]
      Tensor dT10 = Kernels.expand(dT11, new int[] {B, 8, 1}); // f[B, 8, 1]
      Tensor g12 = Kernels.mul(dT10, t8, buffers[7] = Buffers.reuse(buffers[7], DTypes.promote(dT10, t8), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g13 = Kernels.mul(dT10, t8, buffers[8] = Buffers.reuse(buffers[8], DTypes.promote(dT10, t8), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g14 = Kernels.add(g7, g12, buffers[9] = Buffers.reuse(buffers[9], DTypes.promote(g7, g12), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor dT8 = Kernels.add(g14, g13, buffers[10] = Buffers.reuse(buffers[10], DTypes.promote(g14, g13), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g15 = Kernels.neg(dT8); // f[B, 8, 1]
      Tensor dT7 = Kernels.sumTo(g15, new int[] {1, 8, 1}); // f[1, 8, 1]
      Tensor dT6 = Kernels.mulScalar(dT7, 1.0 / B); // f[1, 8, 1]
      Tensor dT5 = Kernels.expand(dT6, new int[] {B, 8, 1}); // f[B, 8, 1]
      Tensor dT4 = Kernels.add(dT8, dT5); // f[B, 8, 1]
      Tensor dT3 = Kernels.reshape(dT4, new int[] {B, 8}); // f[B, 8]
      Tensor dFc1Bias = Kernels.sumTo(dT3, new int[] {8}); // f[8]
      Tensor g16 = Kernels.permute(x, new int[] {1, 0}); // f[6, B]
      Tensor dT1 = Kernels.matmul(g16, dT3); // f[6, 8]
      Tensor dFc1Weight = Kernels.permute(dT1, new int[] {1, 0}); // f[8, 6]

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dT3, fc1Weight); // f[B, 6]
      }

      return new Tensor[] {dX, dFc1Weight, dFc1Bias, dBnWeight, dBnBias, dFc2Weight, dFc2Bias};
    }

    @Override
    protected void releaseSaved() {
      keep = null;
      t8 = null;
      t14 = null;
      t15 = null;
      t16 = null;
      t20 = null;
      h2 = null;
      out = null;
    }

    @Override
    public String name() {
      return "CompiledModesTrainingBackward";
    }
  }

  /**
   * The backward pass of {@code forwardEval}: the chain rule written out, from {@code dOut} = dL/d(output).
   */
  private static final class EvalBackward extends Node {
    private final Tensor x;

    private final Tensor fc1Weight;

    private final Tensor fc1Bias;

    private final Tensor bnWeight;

    private final Tensor bnBias;

    private final Tensor fc2Weight;

    private final Tensor fc2Bias;

    private Tensor t9;

    private Tensor t10;

    private Tensor t11;

    private Tensor t15;

    private Tensor h2;

    private Tensor out;

    private final int B;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    EvalBackward(Tensor x, Tensor fc1Weight, Tensor fc1Bias, Tensor bnWeight, Tensor bnBias,
        Tensor fc2Weight, Tensor fc2Bias, Tensor t9, Tensor t10, Tensor t11, Tensor t15, Tensor h2,
        Tensor out, int B, Tensor[] buffers) {
      this.x = x;
      this.fc1Weight = fc1Weight;
      this.fc1Bias = fc1Bias;
      this.bnWeight = bnWeight;
      this.bnBias = bnBias;
      this.fc2Weight = fc2Weight;
      this.fc2Bias = fc2Bias;
      this.t9 = t9;
      this.t10 = t10;
      this.t11 = t11;
      this.t15 = t15;
      this.h2 = h2;
      this.out = out;
      this.B = B;
      this.buffers = buffers;
    }

    @Override
    public Tensor[] inputs() {
      return new Tensor[] {x, fc1Weight, fc1Bias, bnWeight, bnBias, fc2Weight, fc2Bias};
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Modes.java:25  return fc2.forward(h).logSoftmax(1);
      Tensor g1 = Kernels.exp(out); // f[B, 3]
      Tensor g2 = Kernels.sum(dOut, new int[] {1}, true); // f[B, 1]
      Tensor g3 = Kernels.mul(g1, g2, buffers[0] = Buffers.reuse(buffers[0], DTypes.promote(g1, g2), B, 3)); // f[B, 3], reused buffer
      Tensor dT18 = Kernels.sub(dOut, g3, buffers[1] = Buffers.reuse(buffers[1], DTypes.promote(dOut, g3), B, 3)); // f[B, 3], reused buffer
      Tensor dFc2Bias = Kernels.sumTo(dT18, new int[] {3}); // f[3]
      Tensor g4 = Kernels.permute(h2, new int[] {1, 0}); // f[8, B]
      Tensor dH2 = Kernels.matmul(dT18, fc2Weight, buffers[2] = Buffers.reuse(buffers[2], DTypes.promote(dT18, fc2Weight), B, 8)); // f[B, 8], reused buffer
      Tensor dT16 = Kernels.matmul(g4, dT18); // f[8, 3]
      Tensor dFc2Weight = Kernels.permute(dT16, new int[] {1, 0}); // f[3, 8]

      // Modes.java:23  h = F.relu(h).mul(1.0);
      Tensor g5 = Kernels.sign(t15, buffers[3] = Buffers.reuse(buffers[3], t15.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dH = Kernels.mul(dH2, g5); // f[B, 8]

      // Modes.java:19  Tensor h = bn.forward(fc1.forward(x));
      Tensor dT14 = Kernels.reshape(dH, new int[] {B, 8, 1}); // f[B, 8, 1]
      Tensor dT13 = Kernels.sumTo(dT14, new int[] {1, 8, 1}); // f[1, 8, 1]
      Tensor dBnBias = Kernels.reshape(dT13, new int[] {8}); // f[8]
      Tensor dT10 = Kernels.mul(dT14, t11, buffers[4] = Buffers.reuse(buffers[4], DTypes.promote(dT14, t11), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g6 = Kernels.mul(dT14, t10); // f[B, 8, 1]
      Tensor dT11 = Kernels.sumTo(g6, new int[] {1, 8, 1}); // f[1, 8, 1]
      Tensor dBnWeight = Kernels.reshape(dT11, new int[] {8}); // f[8]
      Tensor dT6 = Kernels.div(dT10, t9); // f[B, 8, 1]
      Tensor dT3 = Kernels.reshape(dT6, new int[] {B, 8}); // f[B, 8]
      Tensor dFc1Bias = Kernels.sumTo(dT3, new int[] {8}); // f[8]
      Tensor g7 = Kernels.permute(x, new int[] {1, 0}); // f[6, B]
      Tensor dT1 = Kernels.matmul(g7, dT3); // f[6, 8]
      Tensor dFc1Weight = Kernels.permute(dT1, new int[] {1, 0}); // f[8, 6]

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dT3, fc1Weight); // f[B, 6]
      }

      return new Tensor[] {dX, dFc1Weight, dFc1Bias, dBnWeight, dBnBias, dFc2Weight, dFc2Bias};
    }

    @Override
    protected void releaseSaved() {
      t9 = null;
      t10 = null;
      t11 = null;
      t15 = null;
      h2 = null;
      out = null;
    }

    @Override
    public String name() {
      return "CompiledModesEvalBackward";
    }
  }
}

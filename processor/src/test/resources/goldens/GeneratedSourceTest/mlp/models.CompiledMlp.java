// Generated from Mlp.java. Do not edit.
package models;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.kernel.Buffers;
import dev.flint.kernel.Kernels;
import dev.flint.nn.Module;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.annotation.processing.Generated;

/**
 * The compiled form of {@link Mlp}: the same model, whose {@code forward} runs straight-line
 * kernel calls and whose backward pass is one generated autograd node. Create it as
 * {@code Mlp model = new CompiledMlp();}.
 */
@Generated(
    value = "dev.flint.processor.ModelProcessor",
    comments = "from models.Mlp"
)
public class CompiledMlp extends Mlp {
  private static final String SUMMARY = "CompiledMlp (compiled from models.Mlp)\n"
      + "  input                        [B, 10]\n"
      + "  fc1: Linear 10→20            [B, 20]\n"
      + "  fc2: Linear 20→5             [B, 5]\n"
      + "  output                       [B, 5]\n"
      + "parameters: 325\n"
      + "FLOPs per sample: forward 645, backward 1265\n"
      + "saved activations per sample: 80 bytes (FLOAT32)\n";

  /**
   * Intermediate gradients of the backward pass, reused from step to step. A model instance
   * must not run two backward passes at the same time on different threads.
   */
  private final Tensor[] backwardBuffers = new Tensor[3];

  public CompiledMlp() {
    super();
  }

  /**
   * The @Layer fields by name, read directly (no reflection), so state-dict keys are {@code fc1.weight}.
   */
  @Override
  protected Map<String, Module> declaredLayers() {
    Map<String, Module> layers = new LinkedHashMap<>();
    layers.put("fc1", fc1);
    layers.put("fc2", fc2);
    layers.values().removeIf(Objects::isNull);
    return layers;
  }

  @Override
  public Tensor forward(Tensor x) {
    if (x.dim() != 2 || x.size(1) != 10) {
      throw new IllegalArgumentException("CompiledMlp expects input of shape [B, 10], but got " + Arrays.toString(x.shape()));
    }
    int B = x.size(0);

    // Mlp.java:18  Tensor h = F.relu(fc1.forward(x));
    Tensor t1 = Kernels.permute(fc1.weight, new int[] {1, 0}); // f[10, 20]
    Tensor t2 = Kernels.matmul(x, t1); // f[B, 20]
    Tensor t3 = Kernels.add(t2, fc1.bias, t2); // f[B, 20], in place: t2 is not needed again
    Tensor h = Kernels.relu(t3, t3); // f[B, 20], in place: t3 is not needed again

    // Mlp.java:19  return fc2.forward(h);
    Tensor t4 = Kernels.permute(fc2.weight, new int[] {1, 0}); // f[20, 5]
    Tensor t5 = Kernels.matmul(h, t4); // f[B, 5]
    Tensor out = Kernels.add(t5, fc2.bias, t5); // f[B, 5], in place: t5 is not needed again

    if (GradMode.isEnabled() && anyRequiresGrad(x, fc1.weight, fc1.bias, fc2.weight, fc2.bias)) {
      // One autograd node for the whole pass: its backward is the generated Backward.backward.
      out.setGradFn(new Backward(x, fc1.weight, fc1.bias, fc2.weight, fc2.bias, h, B, this.backwardBuffers));
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
   * The backward pass of {@code forward}: the chain rule written out, from {@code dOut} = dL/d(output).
   */
  private static final class Backward extends Node {
    private final Tensor x;

    private final Tensor fc1Weight;

    private final Tensor fc1Bias;

    private final Tensor fc2Weight;

    private final Tensor fc2Bias;

    private Tensor h;

    private final int B;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    Backward(Tensor x, Tensor fc1Weight, Tensor fc1Bias, Tensor fc2Weight, Tensor fc2Bias, Tensor h,
        int B, Tensor[] buffers) {
      this.x = x;
      this.fc1Weight = fc1Weight;
      this.fc1Bias = fc1Bias;
      this.fc2Weight = fc2Weight;
      this.fc2Bias = fc2Bias;
      this.h = h;
      this.B = B;
      this.buffers = buffers;
    }

    @Override
    public Tensor[] inputs() {
      return new Tensor[] {x, fc1Weight, fc1Bias, fc2Weight, fc2Bias};
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Mlp.java:19  return fc2.forward(h);
      Tensor dFc2Bias = Kernels.sumTo(dOut, new int[] {5}); // f[5]
      Tensor g1 = Kernels.permute(h, new int[] {1, 0}); // f[20, B]
      Tensor dH = Kernels.matmul(dOut, fc2Weight, buffers[0] = Buffers.reuse(buffers[0], DTypes.promote(dOut, fc2Weight), B, 20)); // f[B, 20], reused buffer
      Tensor dT4 = Kernels.matmul(g1, dOut); // f[20, 5]
      Tensor dFc2Weight = Kernels.permute(dT4, new int[] {1, 0}); // f[5, 20]

      // Mlp.java:18  Tensor h = F.relu(fc1.forward(x));
      Tensor g2 = Kernels.sign(h, buffers[1] = Buffers.reuse(buffers[1], h.dtype(), B, 20)); // f[B, 20], reused buffer
      Tensor dT3 = Kernels.mul(dH, g2, buffers[2] = Buffers.reuse(buffers[2], DTypes.promote(dH, g2), B, 20)); // f[B, 20], reused buffer
      Tensor dFc1Bias = Kernels.sumTo(dT3, new int[] {20}); // f[20]
      Tensor g3 = Kernels.permute(x, new int[] {1, 0}); // f[10, B]
      Tensor dT1 = Kernels.matmul(g3, dT3); // f[10, 20]
      Tensor dFc1Weight = Kernels.permute(dT1, new int[] {1, 0}); // f[20, 10]

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dT3, fc1Weight); // f[B, 10]
      }

      return new Tensor[] {dX, dFc1Weight, dFc1Bias, dFc2Weight, dFc2Bias};
    }

    @Override
    protected void releaseSaved() {
      h = null;
    }

    @Override
    public String name() {
      return "CompiledMlpBackward";
    }
  }
}

// Generated from Nested.java. Do not edit.
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
 * The compiled form of {@link Nested}: the same model, whose {@code forward} runs straight-line
 * kernel calls and whose backward pass is one generated autograd node. Create it as
 * {@code Nested model = new CompiledNested();}.
 */
@Generated(
    value = "dev.flint.processor.ModelProcessor",
    comments = "from models.Nested"
)
public class CompiledNested extends Nested {
  private static final String SUMMARY = "CompiledNested (compiled from models.Nested)\n"
      + "  input                        [B, 4]\n"
      + "  in: Linear 4→8               [B, 8]\n"
      + "  b1.norm: LayerNorm 8         [B, 8]\n"
      + "  b1.fc: Linear 8→8            [B, 8]\n"
      + "  b2.norm: LayerNorm 8         [B, 8]\n"
      + "  b2.fc: Linear 8→8            [B, 8]\n"
      + "  out: Linear 8→1              [B, 1]\n"
      + "  output                       [B, 1]\n"
      + "parameters: 225\n"
      + "FLOPs per sample: forward 577, backward 1137\n"
      + "saved activations per sample: 488 bytes (FLOAT32)\n";

  /**
   * Intermediate gradients of the backward pass, reused from step to step. A model instance
   * must not run two backward passes at the same time on different threads.
   */
  private final Tensor[] backwardBuffers = new Tensor[33];

  public CompiledNested() {
    super();
  }

  /**
   * The @Layer fields by name, read directly (no reflection), so state-dict keys are {@code fc1.weight}.
   */
  @Override
  protected Map<String, Module> declaredLayers() {
    Map<String, Module> layers = new LinkedHashMap<>();
    layers.put("in", in);
    layers.put("b1", b1);
    layers.put("b2", b2);
    layers.put("out", out);
    layers.values().removeIf(Objects::isNull);
    return layers;
  }

  @Override
  public Tensor forward(Tensor x) {
    if (x.dim() != 2 || x.size(1) != 4) {
      throw new IllegalArgumentException("CompiledNested expects input of shape [B, 4], but got " + Arrays.toString(x.shape()));
    }
    int B = x.size(0);

    // Nested.java:20  Tensor h = in.forward(x);
    Tensor t1 = Kernels.permute(in.weight, new int[] {1, 0}); // f[4, 8]
    Tensor t2 = Kernels.matmul(x, t1); // f[B, 8]
    Tensor h = Kernels.add(t2, in.bias, t2); // f[B, 8], in place: t2 is not needed again

    // Block.java:18  Tensor h = F.gelu(fc.forward(norm.forward(x)));
    Tensor t3 = Kernels.reshape(h, new int[] {B, 8}); // f[B, 8]
    Tensor t4 = Kernels.sum(t3, new int[] {1}, true); // f[B, 1]
    Tensor t5 = Kernels.mulScalar(t4, 0.125); // f[B, 1]
    Tensor t6 = Kernels.sub(t3, t5); // f[B, 8]
    Tensor t7 = Kernels.mul(t6, t6); // f[B, 8]
    Tensor t8 = Kernels.sum(t7, new int[] {1}, true); // f[B, 1]
    Tensor t9 = Kernels.mulScalar(t8, 0.125); // f[B, 1]
    Tensor t10 = Kernels.addScalar(t9, 1.0E-5); // f[B, 1]
    Tensor t11 = Kernels.sqrt(t10); // f[B, 1]
    Tensor t12 = Kernels.div(t6, t11); // f[B, 8]
    Tensor t13 = Kernels.reshape(t12, new int[] {B, 8}); // f[B, 8]
    Tensor t14 = Kernels.mul(t13, b1.norm.weight); // f[B, 8]
    Tensor t15 = Kernels.add(t14, b1.norm.bias); // f[B, 8]
    Tensor t16 = Kernels.permute(b1.fc.weight, new int[] {1, 0}); // f[8, 8]
    Tensor t17 = Kernels.matmul(t15, t16); // f[B, 8]
    Tensor t18 = Kernels.add(t17, b1.fc.bias, t17); // f[B, 8], in place: t17 is not needed again
    Tensor t19 = Kernels.mulScalar(t18, 0.7071067811865476); // f[B, 8]
    Tensor t20 = Kernels.erf(t19); // f[B, 8]
    Tensor t21 = Kernels.mulScalar(t18, 0.5); // f[B, 8]
    Tensor t22 = Kernels.addScalar(t20, 1.0); // f[B, 8]
    Tensor b1H = Kernels.mul(t21, t22); // f[B, 8]

    // Block.java:19  return x.add(h);
    Tensor b1Out = Kernels.add(h, b1H); // f[B, 8]

    // Block.java:18  Tensor h = F.gelu(fc.forward(norm.forward(x)));
    Tensor t23 = Kernels.reshape(b1Out, new int[] {B, 8}); // f[B, 8]
    Tensor t24 = Kernels.sum(t23, new int[] {1}, true); // f[B, 1]
    Tensor t25 = Kernels.mulScalar(t24, 0.125); // f[B, 1]
    Tensor t26 = Kernels.sub(t23, t25); // f[B, 8]
    Tensor t27 = Kernels.mul(t26, t26); // f[B, 8]
    Tensor t28 = Kernels.sum(t27, new int[] {1}, true); // f[B, 1]
    Tensor t29 = Kernels.mulScalar(t28, 0.125); // f[B, 1]
    Tensor t30 = Kernels.addScalar(t29, 1.0E-5); // f[B, 1]
    Tensor t31 = Kernels.sqrt(t30); // f[B, 1]
    Tensor t32 = Kernels.div(t26, t31); // f[B, 8]
    Tensor t33 = Kernels.reshape(t32, new int[] {B, 8}); // f[B, 8]
    Tensor t34 = Kernels.mul(t33, b2.norm.weight); // f[B, 8]
    Tensor t35 = Kernels.add(t34, b2.norm.bias); // f[B, 8]
    Tensor t36 = Kernels.permute(b2.fc.weight, new int[] {1, 0}); // f[8, 8]
    Tensor t37 = Kernels.matmul(t35, t36); // f[B, 8]
    Tensor t38 = Kernels.add(t37, b2.fc.bias, t37); // f[B, 8], in place: t37 is not needed again
    Tensor t39 = Kernels.mulScalar(t38, 0.7071067811865476); // f[B, 8]
    Tensor t40 = Kernels.erf(t39); // f[B, 8]
    Tensor t41 = Kernels.mulScalar(t38, 0.5); // f[B, 8]
    Tensor t42 = Kernels.addScalar(t40, 1.0); // f[B, 8]
    Tensor b2H = Kernels.mul(t41, t42); // f[B, 8]

    // Block.java:19  return x.add(h);
    Tensor h2 = Kernels.add(b1Out, b2H); // f[B, 8]

    // Nested.java:22  return out.forward(h);
    Tensor t43 = Kernels.permute(out.weight, new int[] {1, 0}); // f[8, 1]
    Tensor t44 = Kernels.matmul(h2, t43); // f[B, 1]
    Tensor out2 = Kernels.add(t44, out.bias, t44); // f[B, 1], in place: t44 is not needed again

    if (GradMode.isEnabled() && anyRequiresGrad(x, in.weight, in.bias, b1.norm.weight, b1.norm.bias, b1.fc.weight, b1.fc.bias, b2.norm.weight, b2.norm.bias, b2.fc.weight, b2.fc.bias, out.weight, out.bias)) {
      // One autograd node for the whole pass: its backward is the generated Backward.backward.
      out2.setGradFn(new Backward(x, in.weight, in.bias, b1.norm.weight, b1.norm.bias, b1.fc.weight, b1.fc.bias, b2.norm.weight, b2.norm.bias, b2.fc.weight, b2.fc.bias, out.weight, out.bias, t6, t11, t12, t13, t15, t19, t21, t22, t26, t31, t32, t33, t35, t39, t41, t42, h2, B, this.backwardBuffers));
    }
    return out2;
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

    private final Tensor inWeight;

    private final Tensor inBias;

    private final Tensor b1NormWeight;

    private final Tensor b1NormBias;

    private final Tensor b1FcWeight;

    private final Tensor b1FcBias;

    private final Tensor b2NormWeight;

    private final Tensor b2NormBias;

    private final Tensor b2FcWeight;

    private final Tensor b2FcBias;

    private final Tensor outWeight;

    private final Tensor outBias;

    private Tensor t6;

    private Tensor t11;

    private Tensor t12;

    private Tensor t13;

    private Tensor t15;

    private Tensor t19;

    private Tensor t21;

    private Tensor t22;

    private Tensor t26;

    private Tensor t31;

    private Tensor t32;

    private Tensor t33;

    private Tensor t35;

    private Tensor t39;

    private Tensor t41;

    private Tensor t42;

    private Tensor h2;

    private final int B;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    Backward(Tensor x, Tensor inWeight, Tensor inBias, Tensor b1NormWeight, Tensor b1NormBias,
        Tensor b1FcWeight, Tensor b1FcBias, Tensor b2NormWeight, Tensor b2NormBias,
        Tensor b2FcWeight, Tensor b2FcBias, Tensor outWeight, Tensor outBias, Tensor t6, Tensor t11,
        Tensor t12, Tensor t13, Tensor t15, Tensor t19, Tensor t21, Tensor t22, Tensor t26,
        Tensor t31, Tensor t32, Tensor t33, Tensor t35, Tensor t39, Tensor t41, Tensor t42,
        Tensor h2, int B, Tensor[] buffers) {
      this.x = x;
      this.inWeight = inWeight;
      this.inBias = inBias;
      this.b1NormWeight = b1NormWeight;
      this.b1NormBias = b1NormBias;
      this.b1FcWeight = b1FcWeight;
      this.b1FcBias = b1FcBias;
      this.b2NormWeight = b2NormWeight;
      this.b2NormBias = b2NormBias;
      this.b2FcWeight = b2FcWeight;
      this.b2FcBias = b2FcBias;
      this.outWeight = outWeight;
      this.outBias = outBias;
      this.t6 = t6;
      this.t11 = t11;
      this.t12 = t12;
      this.t13 = t13;
      this.t15 = t15;
      this.t19 = t19;
      this.t21 = t21;
      this.t22 = t22;
      this.t26 = t26;
      this.t31 = t31;
      this.t32 = t32;
      this.t33 = t33;
      this.t35 = t35;
      this.t39 = t39;
      this.t41 = t41;
      this.t42 = t42;
      this.h2 = h2;
      this.B = B;
      this.buffers = buffers;
    }

    @Override
    public Tensor[] inputs() {
      return new Tensor[] {x, inWeight, inBias, b1NormWeight, b1NormBias, b1FcWeight, b1FcBias, b2NormWeight, b2NormBias, b2FcWeight, b2FcBias, outWeight, outBias};
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Nested.java:22  return out.forward(h);
      Tensor dOutBias = Kernels.sumTo(dOut, new int[] {1}); // f[1]
      Tensor g1 = Kernels.permute(h2, new int[] {1, 0}); // f[8, B]
      Tensor dH2 = Kernels.matmul(dOut, outWeight, buffers[0] = Buffers.reuse(buffers[0], DTypes.promote(dOut, outWeight), B, 8)); // f[B, 8], reused buffer
      Tensor dT43 = Kernels.matmul(g1, dOut); // f[8, 1]
      Tensor dOutWeight = Kernels.permute(dT43, new int[] {1, 0}); // f[1, 8]

      // Block.java:18  Tensor h = F.gelu(fc.forward(norm.forward(x)));
      Tensor dT41 = Kernels.mul(dH2, t42); // f[B, 8]
      Tensor dT42 = Kernels.mul(dH2, t41, buffers[1] = Buffers.reuse(buffers[1], DTypes.promote(dH2, t41), B, 8)); // f[B, 8], reused buffer
      Tensor g2 = Kernels.mulScalar(dT41, 0.5); // f[B, 8]
      Tensor g3 = Kernels.mul(t39, t39, buffers[2] = Buffers.reuse(buffers[2], DTypes.promote(t39, t39), B, 8)); // f[B, 8], reused buffer
      Tensor g4 = Kernels.neg(g3, buffers[3] = Buffers.reuse(buffers[3], g3.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor g5 = Kernels.exp(g4); // f[B, 8]
      Tensor g6 = Kernels.mulScalar(g5, 1.1283791670955126); // f[B, 8]
      Tensor dT39 = Kernels.mul(dT42, g6); // f[B, 8]
      Tensor g7 = Kernels.mulScalar(dT39, 0.7071067811865476); // f[B, 8]
      Tensor dT38 = Kernels.add(g2, g7, buffers[4] = Buffers.reuse(buffers[4], DTypes.promote(g2, g7), B, 8)); // f[B, 8], reused buffer
      Tensor dB2FcBias = Kernels.sumTo(dT38, new int[] {8}); // f[8]
      Tensor g8 = Kernels.permute(t35, new int[] {1, 0}); // f[8, B]
      Tensor dT35 = Kernels.matmul(dT38, b2FcWeight, buffers[5] = Buffers.reuse(buffers[5], DTypes.promote(dT38, b2FcWeight), B, 8)); // f[B, 8], reused buffer
      Tensor dT36 = Kernels.matmul(g8, dT38); // f[8, 8]
      Tensor dB2FcWeight = Kernels.permute(dT36, new int[] {1, 0}); // f[8, 8]
      Tensor dB2NormBias = Kernels.sumTo(dT35, new int[] {8}); // f[8]
      Tensor dT33 = Kernels.mul(dT35, b2NormWeight, buffers[6] = Buffers.reuse(buffers[6], DTypes.promote(dT35, b2NormWeight), B, 8)); // f[B, 8], reused buffer
      Tensor g9 = Kernels.mul(dT35, t33, buffers[7] = Buffers.reuse(buffers[7], DTypes.promote(dT35, t33), B, 8)); // f[B, 8], reused buffer
      Tensor dB2NormWeight = Kernels.sumTo(g9, new int[] {8}); // f[8]
      Tensor g10 = Kernels.div(dT33, t31); // f[B, 8]
      Tensor g11 = Kernels.div(t32, t31); // f[B, 8]
      Tensor g12 = Kernels.mul(dT33, g11, buffers[8] = Buffers.reuse(buffers[8], DTypes.promote(dT33, g11), B, 8)); // f[B, 8], reused buffer
      Tensor g13 = Kernels.neg(g12, buffers[9] = Buffers.reuse(buffers[9], g12.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dT31 = Kernels.sumTo(g13, new int[] {B, 1}); // f[B, 1]
      Tensor g14 = Kernels.mulScalar(t31, 2.0); // f[B, 1]
      Tensor dT30 = Kernels.div(dT31, g14); // f[B, 1]
      Tensor dT28 = Kernels.mulScalar(dT30, 0.125); // f[B, 1]
      Tensor dT27 = Kernels.expand(dT28, new int[] {B, 8}); // f[B, 8]
      Tensor g15 = Kernels.mul(dT27, t26, buffers[10] = Buffers.reuse(buffers[10], DTypes.promote(dT27, t26), B, 8)); // f[B, 8], reused buffer
      Tensor g16 = Kernels.mul(dT27, t26, buffers[11] = Buffers.reuse(buffers[11], DTypes.promote(dT27, t26), B, 8)); // f[B, 8], reused buffer
      Tensor g17 = Kernels.add(g10, g15, buffers[12] = Buffers.reuse(buffers[12], DTypes.promote(g10, g15), B, 8)); // f[B, 8], reused buffer
      Tensor dT26 = Kernels.add(g17, g16, buffers[13] = Buffers.reuse(buffers[13], DTypes.promote(g17, g16), B, 8)); // f[B, 8], reused buffer
      Tensor g18 = Kernels.neg(dT26, buffers[14] = Buffers.reuse(buffers[14], dT26.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dT25 = Kernels.sumTo(g18, new int[] {B, 1}); // f[B, 1]
      Tensor dT24 = Kernels.mulScalar(dT25, 0.125); // f[B, 1]
      Tensor g19 = Kernels.expand(dT24, new int[] {B, 8}); // f[B, 8]
      Tensor dT23 = Kernels.add(dT26, g19, buffers[15] = Buffers.reuse(buffers[15], DTypes.promote(dT26, g19), B, 8)); // f[B, 8], reused buffer
      Tensor dB1Out = Kernels.add(dH2, dT23, buffers[16] = Buffers.reuse(buffers[16], DTypes.promote(dH2, dT23), B, 8)); // f[B, 8], reused buffer
      Tensor dT21 = Kernels.mul(dB1Out, t22); // f[B, 8]
      Tensor dT22 = Kernels.mul(dB1Out, t21, buffers[17] = Buffers.reuse(buffers[17], DTypes.promote(dB1Out, t21), B, 8)); // f[B, 8], reused buffer
      Tensor g20 = Kernels.mulScalar(dT21, 0.5); // f[B, 8]
      Tensor g21 = Kernels.mul(t19, t19, buffers[18] = Buffers.reuse(buffers[18], DTypes.promote(t19, t19), B, 8)); // f[B, 8], reused buffer
      Tensor g22 = Kernels.neg(g21, buffers[19] = Buffers.reuse(buffers[19], g21.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor g23 = Kernels.exp(g22); // f[B, 8]
      Tensor g24 = Kernels.mulScalar(g23, 1.1283791670955126); // f[B, 8]
      Tensor dT19 = Kernels.mul(dT22, g24); // f[B, 8]
      Tensor g25 = Kernels.mulScalar(dT19, 0.7071067811865476); // f[B, 8]
      Tensor dT18 = Kernels.add(g20, g25, buffers[20] = Buffers.reuse(buffers[20], DTypes.promote(g20, g25), B, 8)); // f[B, 8], reused buffer
      Tensor dB1FcBias = Kernels.sumTo(dT18, new int[] {8}); // f[8]
      Tensor g26 = Kernels.permute(t15, new int[] {1, 0}); // f[8, B]
      Tensor dT15 = Kernels.matmul(dT18, b1FcWeight, buffers[21] = Buffers.reuse(buffers[21], DTypes.promote(dT18, b1FcWeight), B, 8)); // f[B, 8], reused buffer
      Tensor dT16 = Kernels.matmul(g26, dT18); // f[8, 8]
      Tensor dB1FcWeight = Kernels.permute(dT16, new int[] {1, 0}); // f[8, 8]
      Tensor dB1NormBias = Kernels.sumTo(dT15, new int[] {8}); // f[8]
      Tensor dT13 = Kernels.mul(dT15, b1NormWeight, buffers[22] = Buffers.reuse(buffers[22], DTypes.promote(dT15, b1NormWeight), B, 8)); // f[B, 8], reused buffer
      Tensor g27 = Kernels.mul(dT15, t13, buffers[23] = Buffers.reuse(buffers[23], DTypes.promote(dT15, t13), B, 8)); // f[B, 8], reused buffer
      Tensor dB1NormWeight = Kernels.sumTo(g27, new int[] {8}); // f[8]
      Tensor g28 = Kernels.div(dT13, t11); // f[B, 8]
      Tensor g29 = Kernels.div(t12, t11); // f[B, 8]
      Tensor g30 = Kernels.mul(dT13, g29, buffers[24] = Buffers.reuse(buffers[24], DTypes.promote(dT13, g29), B, 8)); // f[B, 8], reused buffer
      Tensor g31 = Kernels.neg(g30, buffers[25] = Buffers.reuse(buffers[25], g30.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dT11 = Kernels.sumTo(g31, new int[] {B, 1}); // f[B, 1]
      Tensor g32 = Kernels.mulScalar(t11, 2.0); // f[B, 1]
      Tensor dT10 = Kernels.div(dT11, g32); // f[B, 1]
      Tensor dT8 = Kernels.mulScalar(dT10, 0.125); // f[B, 1]
      Tensor dT7 = Kernels.expand(dT8, new int[] {B, 8}); // f[B, 8]
      Tensor g33 = Kernels.mul(dT7, t6, buffers[26] = Buffers.reuse(buffers[26], DTypes.promote(dT7, t6), B, 8)); // f[B, 8], reused buffer
      Tensor g34 = Kernels.mul(dT7, t6, buffers[27] = Buffers.reuse(buffers[27], DTypes.promote(dT7, t6), B, 8)); // f[B, 8], reused buffer
      Tensor g35 = Kernels.add(g28, g33, buffers[28] = Buffers.reuse(buffers[28], DTypes.promote(g28, g33), B, 8)); // f[B, 8], reused buffer
      Tensor dT6 = Kernels.add(g35, g34, buffers[29] = Buffers.reuse(buffers[29], DTypes.promote(g35, g34), B, 8)); // f[B, 8], reused buffer
      Tensor g36 = Kernels.neg(dT6, buffers[30] = Buffers.reuse(buffers[30], dT6.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dT5 = Kernels.sumTo(g36, new int[] {B, 1}); // f[B, 1]
      Tensor dT4 = Kernels.mulScalar(dT5, 0.125); // f[B, 1]
      Tensor g37 = Kernels.expand(dT4, new int[] {B, 8}); // f[B, 8]
      Tensor dT3 = Kernels.add(dT6, g37, buffers[31] = Buffers.reuse(buffers[31], DTypes.promote(dT6, g37), B, 8)); // f[B, 8], reused buffer
      Tensor dH = Kernels.add(dB1Out, dT3, buffers[32] = Buffers.reuse(buffers[32], DTypes.promote(dB1Out, dT3), B, 8)); // f[B, 8], reused buffer

      // Nested.java:20  Tensor h = in.forward(x);
      Tensor dInBias = Kernels.sumTo(dH, new int[] {8}); // f[8]
      Tensor g38 = Kernels.permute(x, new int[] {1, 0}); // f[4, B]
      Tensor dT1 = Kernels.matmul(g38, dH); // f[4, 8]
      Tensor dInWeight = Kernels.permute(dT1, new int[] {1, 0}); // f[8, 4]

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dH, inWeight); // f[B, 4]
      }

      return new Tensor[] {dX, dInWeight, dInBias, dB1NormWeight, dB1NormBias, dB1FcWeight, dB1FcBias, dB2NormWeight, dB2NormBias, dB2FcWeight, dB2FcBias, dOutWeight, dOutBias};
    }

    @Override
    protected void releaseSaved() {
      t6 = null;
      t11 = null;
      t12 = null;
      t13 = null;
      t15 = null;
      t19 = null;
      t21 = null;
      t22 = null;
      t26 = null;
      t31 = null;
      t32 = null;
      t33 = null;
      t35 = null;
      t39 = null;
      t41 = null;
      t42 = null;
      h2 = null;
    }

    @Override
    public String name() {
      return "CompiledNestedBackward";
    }
  }
}

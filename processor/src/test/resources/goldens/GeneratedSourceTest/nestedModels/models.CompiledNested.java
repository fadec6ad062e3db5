// Generated from Nested.java. Do not edit.
package models;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.compiled.BufferPool;
import dev.flint.compiled.Buffers;
import dev.flint.compiled.ForwardGraph;
import dev.flint.compiled.InputChecks;
import dev.flint.compiled.Outputs;
import dev.flint.compiled.StateSchemaCheck;
import dev.flint.compiled.TrainingOwner;
import dev.flint.kernel.Kernels;
import dev.flint.nn.CompiledModel;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Tensor;
import dev.flint.tensor.TensorSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
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
public class CompiledNested extends Nested implements CompiledModel {
  private static final String SUMMARY = "CompiledNested (compiled from models.Nested)\n"
      + "================================================================================================\n"
      + "Layer (type)           Output shape   Param #   FLOPs/sample   FLOPs %   Source\n"
      + "================================================================================================\n"
      + "input x                [B, 4]\n"
      + "in: Linear 4→8         [B, 8]              40             72     17.6%   Nested.java:20 → h\n"
      + "b1.norm: LayerNorm 8   [B, 8]              16              8      2.0%   Block.java:18\n"
      + "b1.fc: Linear 8→8      [B, 8]              72            136     33.3%   Block.java:18\n"
      + "F.gelu                 [B, 8]              --              8      2.0%   Block.java:18 → b1H\n"
      + "add                    [B, 8]              --              8      2.0%   Block.java:19 → b1Out\n"
      + "b2.norm: LayerNorm 8   [B, 8]              16              8      2.0%   Block.java:18\n"
      + "b2.fc: Linear 8→8      [B, 8]              72            136     33.3%   Block.java:18\n"
      + "F.gelu                 [B, 8]              --              8      2.0%   Block.java:18 → b2H\n"
      + "add                    [B, 8]              --              8      2.0%   Block.java:19 → h\n"
      + "out: Linear 8→1        [B, 1]               9             17      4.2%   Nested.java:22 → return\n"
      + "================================================================================================\n"
      + "Total params: 225\n"
      + "Trainable params: 225\n"
      + "Forward FLOPs per sample: 409\n"
      + "Backward FLOPs per sample: 777\n"
      + "Saved activations per sample: 224 bytes (FLOAT32)\n"
      + "================================================================================================\n"
      + "FLOPs per sample: a multiply-add counts as 2 (torchinfo's Mult-Adds and fvcore count it as 1);\n"
      + "other ops 1 per output element, views 0; work that does not grow with the batch is left out.\n";

  private static final Map<String, TensorSpec> STATE_SCHEMA = stateSchemaEntries();

  private static final int[] SHAPE_1 = {1};

  private static final int[] SHAPE_8 = {8};

  /**
   * Builds the user's class as this instance was built (ModelCheck compares against it).
   */
  private final Supplier<Module> eagerTwin;

  private final Supplier<Module> compiledTwin;

  /**
   * Sets of 23 buffers for forward values and returned gradients, one per live graph (Note [Forward buffers]).
   */
  private final BufferPool forwardPool = new BufferPool(23);

  /**
   * The arrays that autograd nodes return from {@code inputs()}, reused once a node is freed.
   */
  private final BufferPool nodeInputs = new BufferPool(13);

  /**
   * The gradients a backward pass returns, one per node input; the engine reads them at once.
   */
  private final Tensor[] inputGrads = new Tensor[13];

  /**
   * Intermediate gradients of the backward pass and its kept views, reused from step to step;
   * one thread trains the instance at a time ({@code trainingOwner}).
   */
  private final Tensor[] backwardBuffers = new Tensor[9];

  /**
   * The thread training this instance: its backward buffers are the instance's, so a second
   * thread's training forward fails while a graph of the first is live (concurrent noGrad forwards are fine).
   */
  private final TrainingOwner trainingOwner = new TrainingOwner("CompiledNested");

  public CompiledNested() {
    super();
    this.eagerTwin = () -> new Nested();
    this.compiledTwin = () -> new CompiledNested();
  }

  @Override
  public Module newEagerTwin() {
    return eagerTwin.get();
  }

  @Override
  public Module newCompiledTwin() {
    return compiledTwin.get();
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

  private static Map<String, TensorSpec> stateSchemaEntries() {
    Map<String, TensorSpec> schema = new LinkedHashMap<>();
    schema.put("in.weight", TensorSpec.of(DType.FLOAT32, 8, 4));
    schema.put("in.bias", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("b1.norm.weight", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("b1.norm.bias", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("b1.fc.weight", TensorSpec.of(DType.FLOAT32, 8, 8));
    schema.put("b1.fc.bias", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("b2.norm.weight", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("b2.norm.bias", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("b2.fc.weight", TensorSpec.of(DType.FLOAT32, 8, 8));
    schema.put("b2.fc.bias", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("out.weight", TensorSpec.of(DType.FLOAT32, 1, 8));
    schema.put("out.bias", TensorSpec.of(DType.FLOAT32, 1));
    return Collections.unmodifiableMap(schema);
  }

  /**
   * The state dict's keys in order, each with its shape and dtype, known at compile time.
   */
  public static Map<String, TensorSpec> stateSchema() {
    return STATE_SCHEMA;
  }

  /**
   * Loads a safetensors file after checking its header against {@link #stateSchema()}: every missing,
   * unexpected, mis-shaped or mis-typed key is named in one error, before any tensor data is read.
   */
  @Override
  public Module load(Path path) {
    StateSchemaCheck.check("CompiledNested", STATE_SCHEMA, path);
    return super.load(path);
  }

  @Override
  public Tensor forward(Tensor x) {
    if (x.dim() != 2 || x.size(1) != 4) {
      throw new IllegalArgumentException("CompiledNested expects input of shape [B, 4], but got " + Arrays.toString(x.shape()));
    }
    if (x.dtype() != in.weight.dtype()) {
      throw InputChecks.dtypeMismatch("CompiledNested", in.weight.dtype(), x.dtype());
    }
    int B = x.size(0);
    // Whether this pass records its autograd node (Note [Forward buffers] in the processor).
    boolean record = GradMode.isEnabled() && (x.requiresGrad() || in.weight.requiresGrad() ||
        in.bias.requiresGrad() || b1.norm.weight.requiresGrad() || b1.norm.bias.requiresGrad() ||
        b1.fc.weight.requiresGrad() || b1.fc.bias.requiresGrad() || b2.norm.weight.requiresGrad() ||
        b2.norm.bias.requiresGrad() || b2.fc.weight.requiresGrad() || b2.fc.bias.requiresGrad() ||
        out.weight.requiresGrad() || out.bias.requiresGrad());
    Tensor[] set = forwardPool.claim();

    // Nested.java:20  Tensor h = in.forward(x);
    Tensor t1 = Kernels.matmulNT(x, in.weight, set[0] = Buffers.reuse(set[0], x.dtype(), B, 8)); // f[B, 8]
    Tensor h = Kernels.add(t1, in.bias, t1); // f[B, 8], in place: t1 is not needed again

    // Block.java:18  Tensor h = F.gelu(fc.forward(norm.forward(x)));
    Tensor t2 = Kernels.layerNormAffine(h, b1.norm.weight, b1.norm.bias, 1.0E-5, set[1] = Buffers.reuse(set[1], DTypes.toFloat(DType.promote(DType.promote(h.dtype(), b1.norm.weight.dtype()), b1.norm.bias.dtype())), B, 8)); // f[B, 8]
    Tensor t3 = Kernels.matmulNT(t2, b1.fc.weight, set[2] = Buffers.reuse(set[2], t2.dtype(), B, 8)); // f[B, 8]
    Tensor t4 = Kernels.add(t3, b1.fc.bias, t3); // f[B, 8], in place: t3 is not needed again
    Tensor b1H = Kernels.gelu(t4, set[3] = Buffers.reuse(set[3], DTypes.toFloat(t4.dtype()), B, 8)); // f[B, 8]

    // Block.java:19  return x.add(h);
    Tensor b1Out = Kernels.add(h, b1H, set[4] = Buffers.reuse(set[4], DType.promote(h.dtype(), b1H.dtype()), B, 8)); // f[B, 8]

    // Block.java:18  Tensor h = F.gelu(fc.forward(norm.forward(x)));
    Tensor t5 = Kernels.layerNormAffine(b1Out, b2.norm.weight, b2.norm.bias, 1.0E-5, set[5] = Buffers.reuse(set[5], DTypes.toFloat(DType.promote(DType.promote(b1Out.dtype(), b2.norm.weight.dtype()), b2.norm.bias.dtype())), B, 8)); // f[B, 8]
    Tensor t6 = Kernels.matmulNT(t5, b2.fc.weight, set[6] = Buffers.reuse(set[6], t5.dtype(), B, 8)); // f[B, 8]
    Tensor t7 = Kernels.add(t6, b2.fc.bias, t6); // f[B, 8], in place: t6 is not needed again
    Tensor b2H = Kernels.gelu(t7, set[7] = Buffers.reuse(set[7], DTypes.toFloat(t7.dtype()), B, 8)); // f[B, 8]

    // Block.java:19  return x.add(h);
    Tensor h2 = Kernels.add(b1Out, b2H, set[8] = Buffers.reuse(set[8], DType.promote(b1Out.dtype(), b2H.dtype()), B, 8)); // f[B, 8]

    // Nested.java:22  return out.forward(h);
    Tensor t8 = Kernels.matmulNT(h2, out.weight, record ? (set[9] = Buffers.reuse(set[9], h2.dtype(), B, 1)) : null); // f[B, 1], a new tensor when no graph is recorded: the caller keeps the output
    Tensor out2 = Kernels.add(t8, out.bias, t8); // f[B, 1], in place: t8 is not needed again

    if (!record) {
      forwardPool.giveBack(set);
      return out2;
    }
    // One autograd node for the whole pass: its backward is the generated Backward.backward. The caller
    // gets a view of the output buffer, valid until a later forward reuses this buffer set.
    return Outputs.lend(out2, new Backward(this, x, in.weight, in.bias, b1.norm.weight, b1.norm.bias, b1.fc.weight, b1.fc.bias, b2.norm.weight, b2.norm.bias, b2.fc.weight, b2.fc.bias, out.weight, out.bias, h, t2, t4, b1Out, t5, t7, h2, B, set, this.backwardBuffers));
  }

  /**
   * Layers, output shapes, parameter count, FLOPs and saved-activation bytes per sample, computed at compile time.
   */
  public String summary() {
    return SUMMARY;
  }

  /**
   * The evaluation forward pass as compiled: inputs, parameters and buffers by state-dict key, and
   * each op with its output's shape and source line (what {@code dev.flint.onnx.Onnx.export} writes).
   */
  @Override
  public ForwardGraph forwardGraph() {
    ForwardGraph.Builder g = ForwardGraph.builder("CompiledNested");
    g.input("x", ForwardGraph.Elem.FLOAT, "B", "4");
    g.size("B", "x", 0);
    g.parameter("in.weight", "8", "4");
    g.parameter("in.bias", "8");
    g.parameter("b1.norm.weight", "8");
    g.parameter("b1.norm.bias", "8");
    g.parameter("b1.fc.weight", "8", "8");
    g.parameter("b1.fc.bias", "8");
    g.parameter("b2.norm.weight", "8");
    g.parameter("b2.norm.bias", "8");
    g.parameter("b2.fc.weight", "8", "8");
    g.parameter("b2.fc.bias", "8");
    g.parameter("out.weight", "1", "8");
    g.parameter("out.bias", "1");
    g.node("PERMUTE", "t1", ForwardGraph.Elem.FLOAT, "4", "8").in("in.weight").attr("perm", new int[] {1, 0}).at("Nested.java:20", "in.forward(x)");
    g.node("MATMUL", "t2", ForwardGraph.Elem.FLOAT, "B", "8").in("x", "t1").at("Nested.java:20", "in.forward(x)");
    g.node("ADD", "h", ForwardGraph.Elem.FLOAT, "B", "8").in("t2", "in.bias").layer("in: Linear 4→8").at("Nested.java:20", "in.forward(x)");
    g.node("LAYER_NORM_AFFINE", "t3", ForwardGraph.Elem.FLOAT, "B", "8").in("h", "b1.norm.weight", "b1.norm.bias").attr("eps", 1.0e-5d).layer("b1.norm: LayerNorm 8").at("Block.java:18", "norm.forward(x)");
    g.node("PERMUTE", "t4", ForwardGraph.Elem.FLOAT, "8", "8").in("b1.fc.weight").attr("perm", new int[] {1, 0}).at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("MATMUL", "t5", ForwardGraph.Elem.FLOAT, "B", "8").in("t3", "t4").at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("ADD", "t6", ForwardGraph.Elem.FLOAT, "B", "8").in("t5", "b1.fc.bias").layer("b1.fc: Linear 8→8").at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("GELU", "b1H", ForwardGraph.Elem.FLOAT, "B", "8").in("t6").at("Block.java:18", "F.gelu(fc.forward(norm.forward(x)))");
    g.node("ADD", "b1Out", ForwardGraph.Elem.FLOAT, "B", "8").in("h", "b1H").at("Block.java:19", "x.add(h)");
    g.node("LAYER_NORM_AFFINE", "t7", ForwardGraph.Elem.FLOAT, "B", "8").in("b1Out", "b2.norm.weight", "b2.norm.bias").attr("eps", 1.0e-5d).layer("b2.norm: LayerNorm 8").at("Block.java:18", "norm.forward(x)");
    g.node("PERMUTE", "t8", ForwardGraph.Elem.FLOAT, "8", "8").in("b2.fc.weight").attr("perm", new int[] {1, 0}).at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("MATMUL", "t9", ForwardGraph.Elem.FLOAT, "B", "8").in("t7", "t8").at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("ADD", "t10", ForwardGraph.Elem.FLOAT, "B", "8").in("t9", "b2.fc.bias").layer("b2.fc: Linear 8→8").at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("GELU", "b2H", ForwardGraph.Elem.FLOAT, "B", "8").in("t10").at("Block.java:18", "F.gelu(fc.forward(norm.forward(x)))");
    g.node("ADD", "h2", ForwardGraph.Elem.FLOAT, "B", "8").in("b1Out", "b2H").at("Block.java:19", "x.add(h)");
    g.node("PERMUTE", "t11", ForwardGraph.Elem.FLOAT, "8", "1").in("out.weight").attr("perm", new int[] {1, 0}).at("Nested.java:22", "out.forward(h)");
    g.node("MATMUL", "t12", ForwardGraph.Elem.FLOAT, "B", "1").in("h2", "t11").at("Nested.java:22", "out.forward(h)");
    g.node("ADD", "out", ForwardGraph.Elem.FLOAT, "B", "1").in("t12", "out.bias").layer("out: Linear 8→1").at("Nested.java:22", "out.forward(h)");
    return g.output("out");
  }

  /**
   * The backward pass of {@code forward}: the chain rule written out, from {@code dOut} = dL/d(output).
   */
  private static final class Backward extends Node {
    /**
     * What {@code inputs()} shows once backward has freed the node, as eager nodes do.
     */
    private static final Tensor[] NO_INPUTS = new Tensor[13];

    /**
     * The model whose pools and arrays this pass uses (Note [Forward buffers]).
     */
    private final CompiledNested model;

    /**
     * The inputs in argument order, in an array from the model's pool, given back with the node.
     */
    private Tensor[] inputs;

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

    private Tensor h;

    private Tensor t2;

    private Tensor t4;

    private Tensor b1Out;

    private Tensor t5;

    private Tensor t7;

    private Tensor h2;

    private final int B;

    /**
     * The forward pass's buffer set: saved values and returned gradients (Note [Forward buffers]).
     */
    private Tensor[] set;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    Backward(CompiledNested model, Tensor x, Tensor inWeight, Tensor inBias, Tensor b1NormWeight,
        Tensor b1NormBias, Tensor b1FcWeight, Tensor b1FcBias, Tensor b2NormWeight,
        Tensor b2NormBias, Tensor b2FcWeight, Tensor b2FcBias, Tensor outWeight, Tensor outBias,
        Tensor h, Tensor t2, Tensor t4, Tensor b1Out, Tensor t5, Tensor t7, Tensor h2, int B,
        Tensor[] set, Tensor[] buffers) {
      this.model = model;
      // a graph of this model is live: no other thread may train it until the graph is freed
      model.trainingOwner.claim();
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
      this.h = h;
      this.t2 = t2;
      this.t4 = t4;
      this.b1Out = b1Out;
      this.t5 = t5;
      this.t7 = t7;
      this.h2 = h2;
      this.B = B;
      this.set = set;
      this.buffers = buffers;
      this.inputs = model.nodeInputs.claim();
      inputs[0] = x;
      inputs[1] = inWeight;
      inputs[2] = inBias;
      inputs[3] = b1NormWeight;
      inputs[4] = b1NormBias;
      inputs[5] = b1FcWeight;
      inputs[6] = b1FcBias;
      inputs[7] = b2NormWeight;
      inputs[8] = b2NormBias;
      inputs[9] = b2FcWeight;
      inputs[10] = b2FcBias;
      inputs[11] = outWeight;
      inputs[12] = outBias;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Nested.java:22  return out.forward(h);
      Tensor dOutBias = Kernels.sumTo(dOut, SHAPE_1, set[10] = Buffers.reuse(set[10], dOut.dtype(), 1)); // f[1], returned
      Tensor dH2 = Kernels.matmul(dOut, outWeight, buffers[0] = Buffers.reuse(buffers[0], dOut.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dOutWeight = Kernels.matmulTN(dOut, h2, set[11] = Buffers.reuse(set[11], dOut.dtype(), 1, 8)); // f[1, 8], returned

      // Block.java:18  Tensor h = F.gelu(fc.forward(norm.forward(x)));
      Tensor dT7 = Kernels.geluBackward(dH2, t7, buffers[1] = Buffers.reuse(buffers[1], DTypes.toFloat(DType.promote(dH2.dtype(), t7.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor dB2FcBias = Kernels.sumTo(dT7, SHAPE_8, set[12] = Buffers.reuse(set[12], dT7.dtype(), 8)); // f[8], returned
      Tensor dT5 = Kernels.matmul(dT7, b2FcWeight, buffers[2] = Buffers.reuse(buffers[2], dT7.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dB2FcWeight = Kernels.matmulTN(dT7, t5, set[13] = Buffers.reuse(set[13], dT7.dtype(), 8, 8)); // f[8, 8], returned
      Tensor g1 = Kernels.layerNormAffineBackward(dT5, b1Out, b2NormWeight, 1.0E-5, buffers[3] = Buffers.reuse(buffers[3], DTypes.toFloat(DType.promote(DType.promote(dT5.dtype(), b1Out.dtype()), b2NormWeight.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor dB2NormWeight = Kernels.layerNormWeightGrad(dT5, b1Out, 1.0E-5, set[14] = Buffers.reuse(set[14], DTypes.toFloat(DType.promote(dT5.dtype(), b1Out.dtype())), 8)); // f[8], returned
      Tensor dB2NormBias = Kernels.sumTo(dT5, SHAPE_8, set[15] = Buffers.reuse(set[15], dT5.dtype(), 8)); // f[8], returned
      Tensor dB1Out = Kernels.add(dH2, g1, buffers[4] = Buffers.reuse(buffers[4], DType.promote(dH2.dtype(), g1.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dT4 = Kernels.geluBackward(dB1Out, t4, buffers[5] = Buffers.reuse(buffers[5], DTypes.toFloat(DType.promote(dB1Out.dtype(), t4.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor dB1FcBias = Kernels.sumTo(dT4, SHAPE_8, set[16] = Buffers.reuse(set[16], dT4.dtype(), 8)); // f[8], returned
      Tensor dT2 = Kernels.matmul(dT4, b1FcWeight, buffers[6] = Buffers.reuse(buffers[6], dT4.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dB1FcWeight = Kernels.matmulTN(dT4, t2, set[17] = Buffers.reuse(set[17], dT4.dtype(), 8, 8)); // f[8, 8], returned
      Tensor g2 = Kernels.layerNormAffineBackward(dT2, h, b1NormWeight, 1.0E-5, buffers[7] = Buffers.reuse(buffers[7], DTypes.toFloat(DType.promote(DType.promote(dT2.dtype(), h.dtype()), b1NormWeight.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor dB1NormWeight = Kernels.layerNormWeightGrad(dT2, h, 1.0E-5, set[18] = Buffers.reuse(set[18], DTypes.toFloat(DType.promote(dT2.dtype(), h.dtype())), 8)); // f[8], returned
      Tensor dB1NormBias = Kernels.sumTo(dT2, SHAPE_8, set[19] = Buffers.reuse(set[19], dT2.dtype(), 8)); // f[8], returned
      Tensor dH = Kernels.add(dB1Out, g2, buffers[8] = Buffers.reuse(buffers[8], DType.promote(dB1Out.dtype(), g2.dtype()), B, 8)); // f[B, 8], reused buffer

      // Nested.java:20  Tensor h = in.forward(x);
      Tensor dInBias = Kernels.sumTo(dH, SHAPE_8, set[20] = Buffers.reuse(set[20], dH.dtype(), 8)); // f[8], returned
      Tensor dInWeight = Kernels.matmulTN(dH, x, set[22] = Buffers.reuse(set[22], dH.dtype(), 8, 4)); // f[8, 4], returned

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dH, inWeight, set[21] = Buffers.reuse(set[21], dH.dtype(), B, 4)); // f[B, 4], returned
      }

      // The model's array for the returned gradients: the engine reads them before the next node runs.
      Tensor[] grads = model.inputGrads;
      grads[0] = dX;
      grads[1] = dInWeight;
      grads[2] = dInBias;
      grads[3] = dB1NormWeight;
      grads[4] = dB1NormBias;
      grads[5] = dB1FcWeight;
      grads[6] = dB1FcBias;
      grads[7] = dB2NormWeight;
      grads[8] = dB2NormBias;
      grads[9] = dB2FcWeight;
      grads[10] = dB2FcBias;
      grads[11] = dOutWeight;
      grads[12] = dOutBias;
      return grads;
    }

    @Override
    protected void releaseSaved() {
      h = null;
      t2 = null;
      t4 = null;
      b1Out = null;
      t5 = null;
      t7 = null;
      h2 = null;
      model.forwardPool.giveBack(set);
      set = null;
      model.nodeInputs.giveBack(inputs);
      inputs = NO_INPUTS;
      model.trainingOwner.release();
    }

    @Override
    public String name() {
      return "CompiledNestedBackward";
    }
  }
}

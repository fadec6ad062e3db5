// Generated from Nested.java. Do not edit.
package models;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.compiled.BufferPool;
import dev.flint.compiled.Buffers;
import dev.flint.compiled.ForwardGraph;
import dev.flint.compiled.InputChecks;
import dev.flint.compiled.Outputs;
import dev.flint.compiled.PlannedViews;
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
      + "in: Linear 4→8         [B, 8]              40             72     14.0%   Nested.java:20 → h\n"
      + "b1.norm: LayerNorm 8   [B, 8]              16             60     11.7%   Block.java:18\n"
      + "b1.fc: Linear 8→8      [B, 8]              72            136     26.5%   Block.java:18\n"
      + "F.gelu                 [B, 8]              --              8      1.6%   Block.java:18 → b1H\n"
      + "add                    [B, 8]              --              8      1.6%   Block.java:19 → b1Out\n"
      + "b2.norm: LayerNorm 8   [B, 8]              16             60     11.7%   Block.java:18\n"
      + "b2.fc: Linear 8→8      [B, 8]              72            136     26.5%   Block.java:18\n"
      + "F.gelu                 [B, 8]              --              8      1.6%   Block.java:18 → b2H\n"
      + "add                    [B, 8]              --              8      1.6%   Block.java:19 → h\n"
      + "out: Linear 8→1        [B, 1]               9             17      3.3%   Nested.java:22 → return\n"
      + "================================================================================================\n"
      + "Total params: 225\n"
      + "Trainable params: 225\n"
      + "Forward FLOPs per sample: 513\n"
      + "Backward FLOPs per sample: 993\n"
      + "Saved activations per sample: 296 bytes (FLOAT32)\n"
      + "================================================================================================\n"
      + "FLOPs per sample: a multiply-add counts as 2 (torchinfo's Mult-Adds and fvcore count it as 1);\n"
      + "other ops 1 per output element, views 0; work that does not grow with the batch is left out.\n";

  private static final Map<String, TensorSpec> STATE_SCHEMA = stateSchemaEntries();

  private static final int[] DIMS_1 = {1};

  private static final int[] SHAPE_1 = {1};

  private static final int[] SHAPE_8 = {8};

  /**
   * Builds the user's class as this instance was built (ModelCheck compares against it).
   */
  private final Supplier<Module> eagerTwin;

  private final Supplier<Module> compiledTwin;

  /**
   * Sets of 43 buffers for forward values and returned gradients, one per live graph (Note [Forward buffers]).
   */
  private final BufferPool forwardPool = new BufferPool(43);

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
  private final Tensor[] backwardBuffers = new Tensor[47];

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
    Tensor t2 = Kernels.sum(h, DIMS_1, true, set[1] = Buffers.reuse(set[1], h.dtype(), B, 1)); // f[B, 1]
    Tensor t3 = Kernels.mulScalar(t2, 0.125, set[2] = Buffers.reuse(set[2], DTypes.scalarResult(t2.dtype(), 0.125), B, 1)); // f[B, 1]
    Tensor t4 = Kernels.sub(h, t3, set[3] = Buffers.reuse(set[3], DType.promote(h.dtype(), t3.dtype()), B, 8)); // f[B, 8]
    Tensor t5 = Kernels.mul(t4, t4, set[4] = Buffers.reuse(set[4], DType.promote(t4.dtype(), t4.dtype()), B, 8)); // f[B, 8]
    Tensor t6 = Kernels.sum(t5, DIMS_1, true, set[5] = Buffers.reuse(set[5], t5.dtype(), B, 1)); // f[B, 1]
    Tensor t7 = Kernels.mulScalar(t6, 0.125, set[6] = Buffers.reuse(set[6], DTypes.scalarResult(t6.dtype(), 0.125), B, 1)); // f[B, 1]
    Tensor t8 = Kernels.addScalar(t7, 1.0E-5, set[7] = Buffers.reuse(set[7], DTypes.scalarResult(t7.dtype(), 1.0E-5), B, 1)); // f[B, 1]
    Tensor t9 = Kernels.sqrt(t8, set[8] = Buffers.reuse(set[8], DTypes.toFloat(t8.dtype()), B, 1)); // f[B, 1]
    Tensor t10 = Kernels.div(t4, t9, set[9] = Buffers.reuse(set[9], DTypes.toFloat(DType.promote(t4.dtype(), t9.dtype())), B, 8)); // f[B, 8]
    Tensor t11 = Kernels.mul(t10, b1.norm.weight, set[10] = Buffers.reuse(set[10], DType.promote(t10.dtype(), b1.norm.weight.dtype()), B, 8)); // f[B, 8]
    Tensor t12 = Kernels.add(t11, b1.norm.bias, set[11] = Buffers.reuse(set[11], DType.promote(t11.dtype(), b1.norm.bias.dtype()), B, 8)); // f[B, 8]
    Tensor t13 = Kernels.matmulNT(t12, b1.fc.weight, set[12] = Buffers.reuse(set[12], t12.dtype(), B, 8)); // f[B, 8]
    Tensor t14 = Kernels.add(t13, b1.fc.bias, t13); // f[B, 8], in place: t13 is not needed again
    Tensor b1H = Kernels.gelu(t14, set[13] = Buffers.reuse(set[13], DTypes.toFloat(t14.dtype()), B, 8)); // f[B, 8]

    // Block.java:19  return x.add(h);
    Tensor b1Out = Kernels.add(h, b1H, set[14] = Buffers.reuse(set[14], DType.promote(h.dtype(), b1H.dtype()), B, 8)); // f[B, 8]

    // Block.java:18  Tensor h = F.gelu(fc.forward(norm.forward(x)));
    Tensor t15 = Kernels.sum(b1Out, DIMS_1, true, set[15] = Buffers.reuse(set[15], b1Out.dtype(), B, 1)); // f[B, 1]
    Tensor t16 = Kernels.mulScalar(t15, 0.125, set[16] = Buffers.reuse(set[16], DTypes.scalarResult(t15.dtype(), 0.125), B, 1)); // f[B, 1]
    Tensor t17 = Kernels.sub(b1Out, t16, set[17] = Buffers.reuse(set[17], DType.promote(b1Out.dtype(), t16.dtype()), B, 8)); // f[B, 8]
    Tensor t18 = Kernels.mul(t17, t17, set[18] = Buffers.reuse(set[18], DType.promote(t17.dtype(), t17.dtype()), B, 8)); // f[B, 8]
    Tensor t19 = Kernels.sum(t18, DIMS_1, true, set[19] = Buffers.reuse(set[19], t18.dtype(), B, 1)); // f[B, 1]
    Tensor t20 = Kernels.mulScalar(t19, 0.125, set[20] = Buffers.reuse(set[20], DTypes.scalarResult(t19.dtype(), 0.125), B, 1)); // f[B, 1]
    Tensor t21 = Kernels.addScalar(t20, 1.0E-5, set[21] = Buffers.reuse(set[21], DTypes.scalarResult(t20.dtype(), 1.0E-5), B, 1)); // f[B, 1]
    Tensor t22 = Kernels.sqrt(t21, set[22] = Buffers.reuse(set[22], DTypes.toFloat(t21.dtype()), B, 1)); // f[B, 1]
    Tensor t23 = Kernels.div(t17, t22, set[23] = Buffers.reuse(set[23], DTypes.toFloat(DType.promote(t17.dtype(), t22.dtype())), B, 8)); // f[B, 8]
    Tensor t24 = Kernels.mul(t23, b2.norm.weight, set[24] = Buffers.reuse(set[24], DType.promote(t23.dtype(), b2.norm.weight.dtype()), B, 8)); // f[B, 8]
    Tensor t25 = Kernels.add(t24, b2.norm.bias, set[25] = Buffers.reuse(set[25], DType.promote(t24.dtype(), b2.norm.bias.dtype()), B, 8)); // f[B, 8]
    Tensor t26 = Kernels.matmulNT(t25, b2.fc.weight, set[26] = Buffers.reuse(set[26], t25.dtype(), B, 8)); // f[B, 8]
    Tensor t27 = Kernels.add(t26, b2.fc.bias, t26); // f[B, 8], in place: t26 is not needed again
    Tensor b2H = Kernels.gelu(t27, set[27] = Buffers.reuse(set[27], DTypes.toFloat(t27.dtype()), B, 8)); // f[B, 8]

    // Block.java:19  return x.add(h);
    Tensor h2 = Kernels.add(b1Out, b2H, set[28] = Buffers.reuse(set[28], DType.promote(b1Out.dtype(), b2H.dtype()), B, 8)); // f[B, 8]

    // Nested.java:22  return out.forward(h);
    Tensor t28 = Kernels.matmulNT(h2, out.weight, record ? (set[29] = Buffers.reuse(set[29], h2.dtype(), B, 1)) : null); // f[B, 1], a new tensor when no graph is recorded: the caller keeps the output
    Tensor out2 = Kernels.add(t28, out.bias, t28); // f[B, 1], in place: t28 is not needed again

    if (!record) {
      forwardPool.giveBack(set);
      return out2;
    }
    // One autograd node for the whole pass: its backward is the generated Backward.backward. The caller
    // gets a view of the output buffer, valid until a later forward reuses this buffer set.
    return Outputs.lend(out2, new Backward(this, x, in.weight, in.bias, b1.norm.weight, b1.norm.bias, b1.fc.weight, b1.fc.bias, b2.norm.weight, b2.norm.bias, b2.fc.weight, b2.fc.bias, out.weight, out.bias, t4, t9, t10, t12, t14, t17, t22, t23, t25, t27, h2, B, set, this.backwardBuffers));
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
    g.node("SUM", "t3", ForwardGraph.Elem.FLOAT, "B", "1").in("h").attr("dims", new int[] {1}).attr("keepDim", true).at("Block.java:18", "norm.forward(x)");
    g.node("MUL_SCALAR", "t4", ForwardGraph.Elem.FLOAT, "B", "1").in("t3").attr("value", 0.125d).at("Block.java:18", "norm.forward(x)");
    g.node("SUB", "t5", ForwardGraph.Elem.FLOAT, "B", "8").in("h", "t4").at("Block.java:18", "norm.forward(x)");
    g.node("MUL", "t6", ForwardGraph.Elem.FLOAT, "B", "8").in("t5", "t5").at("Block.java:18", "norm.forward(x)");
    g.node("SUM", "t7", ForwardGraph.Elem.FLOAT, "B", "1").in("t6").attr("dims", new int[] {1}).attr("keepDim", true).at("Block.java:18", "norm.forward(x)");
    g.node("MUL_SCALAR", "t8", ForwardGraph.Elem.FLOAT, "B", "1").in("t7").attr("value", 0.125d).at("Block.java:18", "norm.forward(x)");
    g.node("ADD_SCALAR", "t9", ForwardGraph.Elem.FLOAT, "B", "1").in("t8").attr("value", 1.0e-5d).at("Block.java:18", "norm.forward(x)");
    g.node("SQRT", "t10", ForwardGraph.Elem.FLOAT, "B", "1").in("t9").at("Block.java:18", "norm.forward(x)");
    g.node("DIV", "t11", ForwardGraph.Elem.FLOAT, "B", "8").in("t5", "t10").at("Block.java:18", "norm.forward(x)");
    g.node("MUL", "t12", ForwardGraph.Elem.FLOAT, "B", "8").in("t11", "b1.norm.weight").at("Block.java:18", "norm.forward(x)");
    g.node("ADD", "t13", ForwardGraph.Elem.FLOAT, "B", "8").in("t12", "b1.norm.bias").layer("b1.norm: LayerNorm 8").at("Block.java:18", "norm.forward(x)");
    g.node("PERMUTE", "t14", ForwardGraph.Elem.FLOAT, "8", "8").in("b1.fc.weight").attr("perm", new int[] {1, 0}).at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("MATMUL", "t15", ForwardGraph.Elem.FLOAT, "B", "8").in("t13", "t14").at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("ADD", "t16", ForwardGraph.Elem.FLOAT, "B", "8").in("t15", "b1.fc.bias").layer("b1.fc: Linear 8→8").at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("GELU", "b1H", ForwardGraph.Elem.FLOAT, "B", "8").in("t16").at("Block.java:18", "F.gelu(fc.forward(norm.forward(x)))");
    g.node("ADD", "b1Out", ForwardGraph.Elem.FLOAT, "B", "8").in("h", "b1H").at("Block.java:19", "x.add(h)");
    g.node("SUM", "t17", ForwardGraph.Elem.FLOAT, "B", "1").in("b1Out").attr("dims", new int[] {1}).attr("keepDim", true).at("Block.java:18", "norm.forward(x)");
    g.node("MUL_SCALAR", "t18", ForwardGraph.Elem.FLOAT, "B", "1").in("t17").attr("value", 0.125d).at("Block.java:18", "norm.forward(x)");
    g.node("SUB", "t19", ForwardGraph.Elem.FLOAT, "B", "8").in("b1Out", "t18").at("Block.java:18", "norm.forward(x)");
    g.node("MUL", "t20", ForwardGraph.Elem.FLOAT, "B", "8").in("t19", "t19").at("Block.java:18", "norm.forward(x)");
    g.node("SUM", "t21", ForwardGraph.Elem.FLOAT, "B", "1").in("t20").attr("dims", new int[] {1}).attr("keepDim", true).at("Block.java:18", "norm.forward(x)");
    g.node("MUL_SCALAR", "t22", ForwardGraph.Elem.FLOAT, "B", "1").in("t21").attr("value", 0.125d).at("Block.java:18", "norm.forward(x)");
    g.node("ADD_SCALAR", "t23", ForwardGraph.Elem.FLOAT, "B", "1").in("t22").attr("value", 1.0e-5d).at("Block.java:18", "norm.forward(x)");
    g.node("SQRT", "t24", ForwardGraph.Elem.FLOAT, "B", "1").in("t23").at("Block.java:18", "norm.forward(x)");
    g.node("DIV", "t25", ForwardGraph.Elem.FLOAT, "B", "8").in("t19", "t24").at("Block.java:18", "norm.forward(x)");
    g.node("MUL", "t26", ForwardGraph.Elem.FLOAT, "B", "8").in("t25", "b2.norm.weight").at("Block.java:18", "norm.forward(x)");
    g.node("ADD", "t27", ForwardGraph.Elem.FLOAT, "B", "8").in("t26", "b2.norm.bias").layer("b2.norm: LayerNorm 8").at("Block.java:18", "norm.forward(x)");
    g.node("PERMUTE", "t28", ForwardGraph.Elem.FLOAT, "8", "8").in("b2.fc.weight").attr("perm", new int[] {1, 0}).at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("MATMUL", "t29", ForwardGraph.Elem.FLOAT, "B", "8").in("t27", "t28").at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("ADD", "t30", ForwardGraph.Elem.FLOAT, "B", "8").in("t29", "b2.fc.bias").layer("b2.fc: Linear 8→8").at("Block.java:18", "fc.forward(norm.forward(x))");
    g.node("GELU", "b2H", ForwardGraph.Elem.FLOAT, "B", "8").in("t30").at("Block.java:18", "F.gelu(fc.forward(norm.forward(x)))");
    g.node("ADD", "h2", ForwardGraph.Elem.FLOAT, "B", "8").in("b1Out", "b2H").at("Block.java:19", "x.add(h)");
    g.node("PERMUTE", "t31", ForwardGraph.Elem.FLOAT, "8", "1").in("out.weight").attr("perm", new int[] {1, 0}).at("Nested.java:22", "out.forward(h)");
    g.node("MATMUL", "t32", ForwardGraph.Elem.FLOAT, "B", "1").in("h2", "t31").at("Nested.java:22", "out.forward(h)");
    g.node("ADD", "out", ForwardGraph.Elem.FLOAT, "B", "1").in("t32", "out.bias").layer("out: Linear 8→1").at("Nested.java:22", "out.forward(h)");
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

    private Tensor t4;

    private Tensor t9;

    private Tensor t10;

    private Tensor t12;

    private Tensor t14;

    private Tensor t17;

    private Tensor t22;

    private Tensor t23;

    private Tensor t25;

    private Tensor t27;

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
        Tensor t4, Tensor t9, Tensor t10, Tensor t12, Tensor t14, Tensor t17, Tensor t22,
        Tensor t23, Tensor t25, Tensor t27, Tensor h2, int B, Tensor[] set, Tensor[] buffers) {
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
      this.t4 = t4;
      this.t9 = t9;
      this.t10 = t10;
      this.t12 = t12;
      this.t14 = t14;
      this.t17 = t17;
      this.t22 = t22;
      this.t23 = t23;
      this.t25 = t25;
      this.t27 = t27;
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
      Tensor dOutBias = Kernels.sumTo(dOut, SHAPE_1, set[30] = Buffers.reuse(set[30], dOut.dtype(), 1)); // f[1], returned
      Tensor dH2 = Kernels.matmul(dOut, outWeight, buffers[0] = Buffers.reuse(buffers[0], dOut.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dOutWeight = Kernels.matmulTN(dOut, h2, set[31] = Buffers.reuse(set[31], dOut.dtype(), 1, 8)); // f[1, 8], returned

      // Block.java:18  Tensor h = F.gelu(fc.forward(norm.forward(x)));
      Tensor dT27 = Kernels.geluBackward(dH2, t27, buffers[1] = Buffers.reuse(buffers[1], DTypes.toFloat(DType.promote(dH2.dtype(), t27.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor dB2FcBias = Kernels.sumTo(dT27, SHAPE_8, set[32] = Buffers.reuse(set[32], dT27.dtype(), 8)); // f[8], returned
      Tensor dT25 = Kernels.matmul(dT27, b2FcWeight, buffers[2] = Buffers.reuse(buffers[2], dT27.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dB2FcWeight = Kernels.matmulTN(dT27, t25, set[33] = Buffers.reuse(set[33], dT27.dtype(), 8, 8)); // f[8, 8], returned
      Tensor dB2NormBias = Kernels.sumTo(dT25, SHAPE_8, set[34] = Buffers.reuse(set[34], dT25.dtype(), 8)); // f[8], returned
      Tensor dT23 = Kernels.mul(dT25, b2NormWeight, buffers[3] = Buffers.reuse(buffers[3], DType.promote(dT25.dtype(), b2NormWeight.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g1 = Kernels.mul(dT25, t23, buffers[4] = Buffers.reuse(buffers[4], DType.promote(dT25.dtype(), t23.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dB2NormWeight = Kernels.sumTo(g1, SHAPE_8, set[35] = Buffers.reuse(set[35], g1.dtype(), 8)); // f[8], returned
      Tensor g2 = Kernels.div(dT23, t22, buffers[5] = Buffers.reuse(buffers[5], DTypes.toFloat(DType.promote(dT23.dtype(), t22.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor g3 = Kernels.div(t23, t22, buffers[6] = Buffers.reuse(buffers[6], DTypes.toFloat(DType.promote(t23.dtype(), t22.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor g4 = Kernels.mul(dT23, g3, buffers[7] = Buffers.reuse(buffers[7], DType.promote(dT23.dtype(), g3.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g5 = Kernels.neg(g4, buffers[8] = Buffers.reuse(buffers[8], g4.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dT22 = Kernels.sumTo(g5, buffers[9] = Buffers.reuse(buffers[9], g5.dtype(), B, 1)); // f[B, 1], reused buffer
      Tensor g6 = Kernels.mulScalar(t22, 2.0, buffers[10] = Buffers.reuse(buffers[10], DTypes.scalarResult(t22.dtype(), 2.0), B, 1)); // f[B, 1], reused buffer
      Tensor dT21 = Kernels.div(dT22, g6, buffers[11] = Buffers.reuse(buffers[11], DTypes.toFloat(DType.promote(dT22.dtype(), g6.dtype())), B, 1)); // f[B, 1], reused buffer
      Tensor dT19 = Kernels.mulScalar(dT21, 0.125, buffers[12] = Buffers.reuse(buffers[12], DTypes.scalarResult(dT21.dtype(), 0.125), B, 1)); // f[B, 1], reused buffer
      Tensor dT18 = buffers[43] = PlannedViews.expand(buffers[43], dT19, B, 8); // f[B, 8], kept view
      Tensor g7 = Kernels.mul(dT18, t17, buffers[13] = Buffers.reuse(buffers[13], DType.promote(dT18.dtype(), t17.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g8 = Kernels.mul(dT18, t17, buffers[14] = Buffers.reuse(buffers[14], DType.promote(dT18.dtype(), t17.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g9 = Kernels.add(g2, g7, buffers[15] = Buffers.reuse(buffers[15], DType.promote(g2.dtype(), g7.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dT17 = Kernels.add(g9, g8, buffers[16] = Buffers.reuse(buffers[16], DType.promote(g9.dtype(), g8.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g10 = Kernels.neg(dT17, buffers[17] = Buffers.reuse(buffers[17], dT17.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dT16 = Kernels.sumTo(g10, buffers[18] = Buffers.reuse(buffers[18], g10.dtype(), B, 1)); // f[B, 1], reused buffer
      Tensor g11 = Kernels.add(dH2, dT17, buffers[19] = Buffers.reuse(buffers[19], DType.promote(dH2.dtype(), dT17.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dT15 = Kernels.mulScalar(dT16, 0.125, buffers[20] = Buffers.reuse(buffers[20], DTypes.scalarResult(dT16.dtype(), 0.125), B, 1)); // f[B, 1], reused buffer
      Tensor g12 = buffers[44] = PlannedViews.expand(buffers[44], dT15, B, 8); // f[B, 8], kept view
      Tensor dB1Out = Kernels.add(g11, g12, buffers[21] = Buffers.reuse(buffers[21], DType.promote(g11.dtype(), g12.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dT14 = Kernels.geluBackward(dB1Out, t14, buffers[22] = Buffers.reuse(buffers[22], DTypes.toFloat(DType.promote(dB1Out.dtype(), t14.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor dB1FcBias = Kernels.sumTo(dT14, SHAPE_8, set[36] = Buffers.reuse(set[36], dT14.dtype(), 8)); // f[8], returned
      Tensor dT12 = Kernels.matmul(dT14, b1FcWeight, buffers[23] = Buffers.reuse(buffers[23], dT14.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dB1FcWeight = Kernels.matmulTN(dT14, t12, set[37] = Buffers.reuse(set[37], dT14.dtype(), 8, 8)); // f[8, 8], returned
      Tensor dB1NormBias = Kernels.sumTo(dT12, SHAPE_8, set[38] = Buffers.reuse(set[38], dT12.dtype(), 8)); // f[8], returned
      Tensor dT10 = Kernels.mul(dT12, b1NormWeight, buffers[24] = Buffers.reuse(buffers[24], DType.promote(dT12.dtype(), b1NormWeight.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g13 = Kernels.mul(dT12, t10, buffers[25] = Buffers.reuse(buffers[25], DType.promote(dT12.dtype(), t10.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dB1NormWeight = Kernels.sumTo(g13, SHAPE_8, set[39] = Buffers.reuse(set[39], g13.dtype(), 8)); // f[8], returned
      Tensor g14 = Kernels.div(dT10, t9, buffers[26] = Buffers.reuse(buffers[26], DTypes.toFloat(DType.promote(dT10.dtype(), t9.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor g15 = Kernels.div(t10, t9, buffers[27] = Buffers.reuse(buffers[27], DTypes.toFloat(DType.promote(t10.dtype(), t9.dtype())), B, 8)); // f[B, 8], reused buffer
      Tensor g16 = Kernels.mul(dT10, g15, buffers[28] = Buffers.reuse(buffers[28], DType.promote(dT10.dtype(), g15.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g17 = Kernels.neg(g16, buffers[29] = Buffers.reuse(buffers[29], g16.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dT9 = Kernels.sumTo(g17, buffers[30] = Buffers.reuse(buffers[30], g17.dtype(), B, 1)); // f[B, 1], reused buffer
      Tensor g18 = Kernels.mulScalar(t9, 2.0, buffers[31] = Buffers.reuse(buffers[31], DTypes.scalarResult(t9.dtype(), 2.0), B, 1)); // f[B, 1], reused buffer
      Tensor dT8 = Kernels.div(dT9, g18, buffers[32] = Buffers.reuse(buffers[32], DTypes.toFloat(DType.promote(dT9.dtype(), g18.dtype())), B, 1)); // f[B, 1], reused buffer
      Tensor dT6 = Kernels.mulScalar(dT8, 0.125, buffers[33] = Buffers.reuse(buffers[33], DTypes.scalarResult(dT8.dtype(), 0.125), B, 1)); // f[B, 1], reused buffer
      Tensor dT5 = buffers[45] = PlannedViews.expand(buffers[45], dT6, B, 8); // f[B, 8], kept view
      Tensor g19 = Kernels.mul(dT5, t4, buffers[34] = Buffers.reuse(buffers[34], DType.promote(dT5.dtype(), t4.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g20 = Kernels.mul(dT5, t4, buffers[35] = Buffers.reuse(buffers[35], DType.promote(dT5.dtype(), t4.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g21 = Kernels.add(g14, g19, buffers[36] = Buffers.reuse(buffers[36], DType.promote(g14.dtype(), g19.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dT4 = Kernels.add(g21, g20, buffers[37] = Buffers.reuse(buffers[37], DType.promote(g21.dtype(), g20.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor g22 = Kernels.neg(dT4, buffers[38] = Buffers.reuse(buffers[38], dT4.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dT3 = Kernels.sumTo(g22, buffers[39] = Buffers.reuse(buffers[39], g22.dtype(), B, 1)); // f[B, 1], reused buffer
      Tensor g23 = Kernels.add(dB1Out, dT4, buffers[40] = Buffers.reuse(buffers[40], DType.promote(dB1Out.dtype(), dT4.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dT2 = Kernels.mulScalar(dT3, 0.125, buffers[41] = Buffers.reuse(buffers[41], DTypes.scalarResult(dT3.dtype(), 0.125), B, 1)); // f[B, 1], reused buffer
      Tensor g24 = buffers[46] = PlannedViews.expand(buffers[46], dT2, B, 8); // f[B, 8], kept view
      Tensor dH = Kernels.add(g23, g24, buffers[42] = Buffers.reuse(buffers[42], DType.promote(g23.dtype(), g24.dtype()), B, 8)); // f[B, 8], reused buffer

      // Nested.java:20  Tensor h = in.forward(x);
      Tensor dInBias = Kernels.sumTo(dH, SHAPE_8, set[40] = Buffers.reuse(set[40], dH.dtype(), 8)); // f[8], returned
      Tensor dInWeight = Kernels.matmulTN(dH, x, set[42] = Buffers.reuse(set[42], dH.dtype(), 8, 4)); // f[8, 4], returned

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dH, inWeight, set[41] = Buffers.reuse(set[41], dH.dtype(), B, 4)); // f[B, 4], returned
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
      t4 = null;
      t9 = null;
      t10 = null;
      t12 = null;
      t14 = null;
      t17 = null;
      t22 = null;
      t23 = null;
      t25 = null;
      t27 = null;
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

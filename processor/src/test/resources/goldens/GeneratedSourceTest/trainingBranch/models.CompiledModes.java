// Generated from Modes.java. Do not edit.
package models;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.compiled.BufferPool;
import dev.flint.compiled.Buffers;
import dev.flint.compiled.ForwardGraph;
import dev.flint.compiled.InputChecks;
import dev.flint.compiled.LayerKernels;
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
 * The compiled form of {@link Modes}: the same model, whose {@code forward} runs straight-line
 * kernel calls and whose backward pass is one generated autograd node. Create it as
 * {@code Modes model = new CompiledModes();}.
 */
@Generated(
    value = "dev.flint.processor.ModelProcessor",
    comments = "from models.Modes"
)
public class CompiledModes extends Modes implements CompiledModel {
  private static final String SUMMARY = "CompiledModes (compiled from models.Modes)\n"
      + "============================================================================================\n"
      + "Layer (type)        Output shape   Param #   FLOPs/sample   FLOPs %   Source\n"
      + "============================================================================================\n"
      + "input x             [B, 6]\n"
      + "fc1: Linear 6→8     [B, 8]              56            104     42.3%   Modes.java:19\n"
      + "bn: BatchNorm1d 8   [B, 8]              16             72     29.3%   Modes.java:19 → h\n"
      + "F.relu              [B, 8]              --              8      3.3%   Modes.java:21\n"
      + "F.dropout           [B, 8]              --              8      3.3%   Modes.java:21 → h\n"
      + "fc2: Linear 8→3     [B, 3]              27             51     20.7%   Modes.java:25\n"
      + "logSoftmax          [B, 3]              --              3      1.2%   Modes.java:25 → return\n"
      + "============================================================================================\n"
      + "Total params: 99\n"
      + "Trainable params: 99\n"
      + "Buffers (not trained: running statistics, counters): 17 elements\n"
      + "Forward FLOPs per sample: 246\n"
      + "Backward FLOPs per sample: 463\n"
      + "Saved activations per sample: 172 bytes (FLOAT32)\n"
      + "============================================================================================\n"
      + "FLOPs per sample: a multiply-add counts as 2 (torchinfo's Mult-Adds and fvcore count it as 1);\n"
      + "other ops 1 per output element, views 0; work that does not grow with the batch is left out.\n";

  private static final Map<String, TensorSpec> STATE_SCHEMA = stateSchemaEntries();

  private static final int[] DIMS_2 = {2};

  private static final int[] DIMS_0 = {0};

  private static final int[] SHAPE_1_8_1 = {1, 8, 1};

  private static final int[] DIMS_1 = {1};

  private static final int[] SHAPE_3 = {3};

  private static final int[] SHAPE_8 = {8};

  /**
   * Builds the user's class as this instance was built (ModelCheck compares against it).
   */
  private final Supplier<Module> eagerTwin;

  private final Supplier<Module> compiledTwin;

  /**
   * Sets of 31 buffers for forward values and returned gradients, one per live graph (Note [Forward buffers]).
   */
  private final BufferPool forwardPoolTraining = new BufferPool(31);

  /**
   * The arrays that autograd nodes return from {@code inputs()}, reused once a node is freed.
   */
  private final BufferPool nodeInputsTraining = new BufferPool(7);

  /**
   * The gradients a backward pass returns, one per node input; the engine reads them at once.
   */
  private final Tensor[] inputGradsTraining = new Tensor[7];

  /**
   * Intermediate gradients of the backward pass and its kept views, reused from step to step;
   * one thread trains the instance at a time ({@code trainingOwner}).
   */
  private final Tensor[] backwardBuffersTraining = new Tensor[29];

  /**
   * Sets of 28 buffers for forward values and returned gradients, one per live graph (Note [Forward buffers]).
   */
  private final BufferPool forwardPoolEval = new BufferPool(28);

  /**
   * The arrays that autograd nodes return from {@code inputs()}, reused once a node is freed.
   */
  private final BufferPool nodeInputsEval = new BufferPool(7);

  /**
   * The gradients a backward pass returns, one per node input; the engine reads them at once.
   */
  private final Tensor[] inputGradsEval = new Tensor[7];

  /**
   * Intermediate gradients of the backward pass and its kept views, reused from step to step;
   * one thread trains the instance at a time ({@code trainingOwner}).
   */
  private final Tensor[] backwardBuffersEval = new Tensor[11];

  /**
   * The thread training this instance: its backward buffers are the instance's, so a second
   * thread's training forward fails while a graph of the first is live (concurrent noGrad forwards are fine).
   */
  private final TrainingOwner trainingOwner = new TrainingOwner("CompiledModes");

  public CompiledModes() {
    super();
    this.eagerTwin = () -> new Modes();
    this.compiledTwin = () -> new CompiledModes();
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
    layers.put("fc1", fc1);
    layers.put("bn", bn);
    layers.put("fc2", fc2);
    layers.values().removeIf(Objects::isNull);
    return layers;
  }

  private static Map<String, TensorSpec> stateSchemaEntries() {
    Map<String, TensorSpec> schema = new LinkedHashMap<>();
    schema.put("fc1.weight", TensorSpec.of(DType.FLOAT32, 8, 6));
    schema.put("fc1.bias", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("bn.weight", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("bn.bias", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("bn.running_mean", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("bn.running_var", TensorSpec.of(DType.FLOAT32, 8));
    schema.put("bn.num_batches_tracked", TensorSpec.of(DType.INT64));
    schema.put("fc2.weight", TensorSpec.of(DType.FLOAT32, 3, 8));
    schema.put("fc2.bias", TensorSpec.of(DType.FLOAT32, 3));
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
    StateSchemaCheck.check("CompiledModes", STATE_SCHEMA, path);
    return super.load(path);
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
    if (x.dtype() != fc1.weight.dtype()) {
      throw InputChecks.dtypeMismatch("CompiledModes", fc1.weight.dtype(), x.dtype());
    }
    int B = x.size(0);
    // Whether this pass records its autograd node (Note [Forward buffers] in the processor).
    boolean record = GradMode.isEnabled() && (x.requiresGrad() || fc1.weight.requiresGrad() ||
        fc1.bias.requiresGrad() || bn.weight.requiresGrad() || bn.bias.requiresGrad() ||
        fc2.weight.requiresGrad() || fc2.bias.requiresGrad());
    Tensor[] set = forwardPoolTraining.claim();

    // Modes.java:19  Tensor h = bn.forward(fc1.forward(x));
    Tensor t1 = Kernels.matmulNT(x, fc1.weight, set[0] = Buffers.reuse(set[0], x.dtype(), B, 8)); // f[B, 8]
    Tensor t2 = Kernels.add(t1, fc1.bias, t1); // f[B, 8], in place: t1 is not needed again
    Tensor t3 = PlannedViews.reshape(set, 1, t2, B, 8, 1); // f[B, 8, 1]
    Tensor t4 = Kernels.sum(t3, DIMS_2, true, set[3] = Buffers.reuse(set[3], t3.dtype(), B, 8, 1)); // f[B, 8, 1]
    Tensor t5 = Kernels.sum(t4, DIMS_0, true, set[4] = Buffers.reuse(set[4], t4.dtype(), 1, 8, 1)); // f[1, 8, 1]
    Tensor t6 = Kernels.mulScalar(t5, 1.0 / B, set[5] = Buffers.reuse(set[5], DTypes.scalarResult(t5.dtype(), 1.0 / B), 1, 8, 1)); // f[1, 8, 1]
    Tensor t7 = Kernels.sub(t3, t6, set[6] = Buffers.reuse(set[6], DType.promote(t3.dtype(), t6.dtype()), B, 8, 1)); // f[B, 8, 1]
    Tensor t8 = Kernels.mul(t7, t7, set[7] = Buffers.reuse(set[7], DType.promote(t7.dtype(), t7.dtype()), B, 8, 1)); // f[B, 8, 1]
    Tensor t9 = Kernels.sum(t8, DIMS_2, true, set[8] = Buffers.reuse(set[8], t8.dtype(), B, 8, 1)); // f[B, 8, 1]
    Tensor t10 = Kernels.sum(t9, DIMS_0, true, set[9] = Buffers.reuse(set[9], t9.dtype(), 1, 8, 1)); // f[1, 8, 1]
    Tensor t11 = Kernels.mulScalar(t10, 1.0 / B, set[10] = Buffers.reuse(set[10], DTypes.scalarResult(t10.dtype(), 1.0 / B), 1, 8, 1)); // f[1, 8, 1]
    Tensor t12 = Kernels.addScalar(t11, 1.0E-5, set[11] = Buffers.reuse(set[11], DTypes.scalarResult(t11.dtype(), 1.0E-5), 1, 8, 1)); // f[1, 8, 1]
    Tensor t13 = Kernels.sqrt(t12, set[12] = Buffers.reuse(set[12], DTypes.toFloat(t12.dtype()), 1, 8, 1)); // f[1, 8, 1]
    Tensor t14 = Kernels.div(t7, t13, set[13] = Buffers.reuse(set[13], DTypes.toFloat(DType.promote(t7.dtype(), t13.dtype())), B, 8, 1)); // f[B, 8, 1]
    LayerKernels.updateRunningStats(bn.runningMean, bn.runningVar, t6, t11, 0.1, B);
    LayerKernels.countBatch(bn.numBatchesTracked);
    Tensor t15 = PlannedViews.reshape(set, 14, bn.weight, SHAPE_1_8_1); // f[1, 8, 1]
    Tensor t16 = Kernels.mul(t14, t15, set[16] = Buffers.reuse(set[16], DType.promote(t14.dtype(), t15.dtype()), B, 8, 1)); // f[B, 8, 1]
    Tensor t17 = PlannedViews.reshape(set, 17, bn.bias, SHAPE_1_8_1); // f[1, 8, 1]
    Tensor t18 = Kernels.add(t16, t17, set[19] = Buffers.reuse(set[19], DType.promote(t16.dtype(), t17.dtype()), B, 8, 1)); // f[B, 8, 1]
    Tensor h = PlannedViews.reshape(set, 20, t18, B, 8); // f[B, 8]

    // Modes.java:21  h = F.dropout(F.relu(h), 0.3, isTraining());
    Tensor t19 = Kernels.relu(h, set[22] = Buffers.reuse(set[22], h.dtype(), B, 8)); // f[B, 8]
    Tensor keep = LayerKernels.dropoutMask(t19, 0.3); // f[B, 8]
    Tensor h2 = Kernels.mul(t19, keep, set[23] = Buffers.reuse(set[23], DType.promote(t19.dtype(), keep.dtype()), B, 8)); // f[B, 8]

    // Modes.java:25  return fc2.forward(h).logSoftmax(1);
    Tensor t20 = Kernels.matmulNT(h2, fc2.weight, set[24] = Buffers.reuse(set[24], h2.dtype(), B, 3)); // f[B, 3]
    Tensor t21 = Kernels.add(t20, fc2.bias, t20); // f[B, 3], in place: t20 is not needed again
    Tensor out = Kernels.logSoftmax(t21, 1, record ? (set[25] = Buffers.reuse(set[25], DTypes.toFloat(t21.dtype()), B, 3)) : null); // f[B, 3], a new tensor when no graph is recorded: the caller keeps the output

    if (!record) {
      forwardPoolTraining.giveBack(set);
      return out;
    }
    // One autograd node for the whole pass: its backward is the generated TrainingBackward.backward. The caller
    // gets a view of the output buffer, valid until a later forward reuses this buffer set.
    return Outputs.lend(out, new TrainingBackward(this, x, fc1.weight, fc1.bias, bn.weight, bn.bias, fc2.weight, fc2.bias, keep, t7, t13, t14, t15, t19, h2, out, B, set, this.backwardBuffersTraining));
  }

  /**
   * The forward pass in evaluation mode.
   */
  private Tensor forwardEval(Tensor x) {
    if (x.dim() != 2 || x.size(1) != 6) {
      throw new IllegalArgumentException("CompiledModes expects input of shape [B, 6], but got " + Arrays.toString(x.shape()));
    }
    if (x.dtype() != fc1.weight.dtype()) {
      throw InputChecks.dtypeMismatch("CompiledModes", fc1.weight.dtype(), x.dtype());
    }
    int B = x.size(0);
    // Whether this pass records its autograd node (Note [Forward buffers] in the processor).
    boolean record = GradMode.isEnabled() && (x.requiresGrad() || fc1.weight.requiresGrad() ||
        fc1.bias.requiresGrad() || bn.weight.requiresGrad() || bn.bias.requiresGrad() ||
        fc2.weight.requiresGrad() || fc2.bias.requiresGrad());
    Tensor[] set = forwardPoolEval.claim();

    // Modes.java:19  Tensor h = bn.forward(fc1.forward(x));
    Tensor t1 = Kernels.matmulNT(x, fc1.weight, set[0] = Buffers.reuse(set[0], x.dtype(), B, 8)); // f[B, 8]
    Tensor t2 = Kernels.add(t1, fc1.bias, t1); // f[B, 8], in place: t1 is not needed again
    Tensor t3 = PlannedViews.reshape(set, 1, t2, B, 8, 1); // f[B, 8, 1]
    Tensor t4 = PlannedViews.reshape(set, 3, bn.runningMean, SHAPE_1_8_1); // f[1, 8, 1]
    Tensor t5 = Kernels.sub(t3, t4, set[5] = Buffers.reuse(set[5], DType.promote(t3.dtype(), t4.dtype()), B, 8, 1)); // f[B, 8, 1]
    Tensor t6 = PlannedViews.reshape(set, 6, bn.runningVar, SHAPE_1_8_1); // f[1, 8, 1]
    Tensor t7 = Kernels.addScalar(t6, 1.0E-5, set[8] = Buffers.reuse(set[8], DTypes.scalarResult(t6.dtype(), 1.0E-5), 1, 8, 1)); // f[1, 8, 1]
    Tensor t8 = Kernels.sqrt(t7, set[9] = Buffers.reuse(set[9], DTypes.toFloat(t7.dtype()), 1, 8, 1)); // f[1, 8, 1]
    Tensor t9 = Kernels.div(t5, t8, set[10] = Buffers.reuse(set[10], DTypes.toFloat(DType.promote(t5.dtype(), t8.dtype())), B, 8, 1)); // f[B, 8, 1]
    Tensor t10 = PlannedViews.reshape(set, 11, bn.weight, SHAPE_1_8_1); // f[1, 8, 1]
    Tensor t11 = Kernels.mul(t9, t10, set[13] = Buffers.reuse(set[13], DType.promote(t9.dtype(), t10.dtype()), B, 8, 1)); // f[B, 8, 1]
    Tensor t12 = PlannedViews.reshape(set, 14, bn.bias, SHAPE_1_8_1); // f[1, 8, 1]
    Tensor t13 = Kernels.add(t11, t12, set[16] = Buffers.reuse(set[16], DType.promote(t11.dtype(), t12.dtype()), B, 8, 1)); // f[B, 8, 1]
    Tensor h = PlannedViews.reshape(set, 17, t13, B, 8); // f[B, 8]

    // Modes.java:23  h = F.relu(h).mul(1.0);
    Tensor t14 = Kernels.relu(h, set[19] = Buffers.reuse(set[19], h.dtype(), B, 8)); // f[B, 8]
    Tensor h2 = Kernels.mulScalar(t14, 1.0, set[20] = Buffers.reuse(set[20], DTypes.scalarResult(t14.dtype(), 1.0), B, 8)); // f[B, 8]

    // Modes.java:25  return fc2.forward(h).logSoftmax(1);
    Tensor t15 = Kernels.matmulNT(h2, fc2.weight, set[21] = Buffers.reuse(set[21], h2.dtype(), B, 3)); // f[B, 3]
    Tensor t16 = Kernels.add(t15, fc2.bias, t15); // f[B, 3], in place: t15 is not needed again
    Tensor out = Kernels.logSoftmax(t16, 1, record ? (set[22] = Buffers.reuse(set[22], DTypes.toFloat(t16.dtype()), B, 3)) : null); // f[B, 3], a new tensor when no graph is recorded: the caller keeps the output

    if (!record) {
      forwardPoolEval.giveBack(set);
      return out;
    }
    // One autograd node for the whole pass: its backward is the generated EvalBackward.backward. The caller
    // gets a view of the output buffer, valid until a later forward reuses this buffer set.
    return Outputs.lend(out, new EvalBackward(this, x, fc1.weight, fc1.bias, bn.weight, bn.bias, fc2.weight, fc2.bias, t8, t9, t10, t14, h2, out, B, set, this.backwardBuffersEval));
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
    ForwardGraph.Builder g = ForwardGraph.builder("CompiledModes");
    g.input("x", ForwardGraph.Elem.FLOAT, "B", "6");
    g.size("B", "x", 0);
    g.parameter("fc1.weight", "8", "6");
    g.parameter("fc1.bias", "8");
    g.buffer("bn.running_mean", "8");
    g.buffer("bn.running_var", "8");
    g.parameter("bn.weight", "8");
    g.parameter("bn.bias", "8");
    g.parameter("fc2.weight", "3", "8");
    g.parameter("fc2.bias", "3");
    g.node("PERMUTE", "t1", ForwardGraph.Elem.FLOAT, "6", "8").in("fc1.weight").attr("perm", new int[] {1, 0}).at("Modes.java:19", "fc1.forward(x)");
    g.node("MATMUL", "t2", ForwardGraph.Elem.FLOAT, "B", "8").in("x", "t1").at("Modes.java:19", "fc1.forward(x)");
    g.node("ADD", "t3", ForwardGraph.Elem.FLOAT, "B", "8").in("t2", "fc1.bias").layer("fc1: Linear 6→8").at("Modes.java:19", "fc1.forward(x)");
    g.node("RESHAPE", "t4", ForwardGraph.Elem.FLOAT, "B", "8", "1").in("t3").attr("shape", new String[] {"B", "8", "1"}).at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("RESHAPE", "t5", ForwardGraph.Elem.FLOAT, "1", "8", "1").in("bn.running_mean").attr("shape", new int[] {1, 8, 1}).at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("SUB", "t6", ForwardGraph.Elem.FLOAT, "B", "8", "1").in("t4", "t5").at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("RESHAPE", "t7", ForwardGraph.Elem.FLOAT, "1", "8", "1").in("bn.running_var").attr("shape", new int[] {1, 8, 1}).at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("ADD_SCALAR", "t8", ForwardGraph.Elem.FLOAT, "1", "8", "1").in("t7").attr("value", 1.0e-5d).at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("SQRT", "t9", ForwardGraph.Elem.FLOAT, "1", "8", "1").in("t8").at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("DIV", "t10", ForwardGraph.Elem.FLOAT, "B", "8", "1").in("t6", "t9").at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("RESHAPE", "t11", ForwardGraph.Elem.FLOAT, "1", "8", "1").in("bn.weight").attr("shape", new int[] {1, 8, 1}).at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("MUL", "t12", ForwardGraph.Elem.FLOAT, "B", "8", "1").in("t10", "t11").at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("RESHAPE", "t13", ForwardGraph.Elem.FLOAT, "1", "8", "1").in("bn.bias").attr("shape", new int[] {1, 8, 1}).at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("ADD", "t14", ForwardGraph.Elem.FLOAT, "B", "8", "1").in("t12", "t13").at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("RESHAPE", "h", ForwardGraph.Elem.FLOAT, "B", "8").in("t14").attr("shape", new String[] {"B", "8"}).layer("bn: BatchNorm1d 8").at("Modes.java:19", "bn.forward(fc1.forward(x))");
    g.node("RELU", "t15", ForwardGraph.Elem.FLOAT, "B", "8").in("h").at("Modes.java:23", "F.relu(h)");
    g.node("MUL_SCALAR", "h2", ForwardGraph.Elem.FLOAT, "B", "8").in("t15").attr("value", 1.0d).at("Modes.java:23", "F.relu(h).mul(1.0)");
    g.node("PERMUTE", "t16", ForwardGraph.Elem.FLOAT, "8", "3").in("fc2.weight").attr("perm", new int[] {1, 0}).at("Modes.java:25", "fc2.forward(h)");
    g.node("MATMUL", "t17", ForwardGraph.Elem.FLOAT, "B", "3").in("h2", "t16").at("Modes.java:25", "fc2.forward(h)");
    g.node("ADD", "t18", ForwardGraph.Elem.FLOAT, "B", "3").in("t17", "fc2.bias").layer("fc2: Linear 8→3").at("Modes.java:25", "fc2.forward(h)");
    g.node("LOG_SOFTMAX", "out", ForwardGraph.Elem.FLOAT, "B", "3").in("t18").attr("dim", 1).at("Modes.java:25", "fc2.forward(h).logSoftmax(1)");
    return g.output("out");
  }

  /**
   * The backward pass of {@code forwardTraining}: the chain rule written out, from {@code dOut} = dL/d(output).
   */
  private static final class TrainingBackward extends Node {
    /**
     * What {@code inputs()} shows once backward has freed the node, as eager nodes do.
     */
    private static final Tensor[] NO_INPUTS = new Tensor[7];

    /**
     * The model whose pools and arrays this pass uses (Note [Forward buffers]).
     */
    private final CompiledModes model;

    /**
     * The inputs in argument order, in an array from the model's pool, given back with the node.
     */
    private Tensor[] inputs;

    private final Tensor x;

    private final Tensor fc1Weight;

    private final Tensor fc1Bias;

    private final Tensor bnWeight;

    private final Tensor bnBias;

    private final Tensor fc2Weight;

    private final Tensor fc2Bias;

    private Tensor keep;

    private Tensor t7;

    private Tensor t13;

    private Tensor t14;

    private Tensor t15;

    private Tensor t19;

    private Tensor h2;

    private Tensor out;

    private final int B;

    /**
     * The forward pass's buffer set: saved values and returned gradients (Note [Forward buffers]).
     */
    private Tensor[] set;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    TrainingBackward(CompiledModes model, Tensor x, Tensor fc1Weight, Tensor fc1Bias,
        Tensor bnWeight, Tensor bnBias, Tensor fc2Weight, Tensor fc2Bias, Tensor keep, Tensor t7,
        Tensor t13, Tensor t14, Tensor t15, Tensor t19, Tensor h2, Tensor out, int B, Tensor[] set,
        Tensor[] buffers) {
      this.model = model;
      // a graph of this model is live: no other thread may train it until the graph is freed
      model.trainingOwner.claim();
      this.x = x;
      this.fc1Weight = fc1Weight;
      this.fc1Bias = fc1Bias;
      this.bnWeight = bnWeight;
      this.bnBias = bnBias;
      this.fc2Weight = fc2Weight;
      this.fc2Bias = fc2Bias;
      this.keep = keep;
      this.t7 = t7;
      this.t13 = t13;
      this.t14 = t14;
      this.t15 = t15;
      this.t19 = t19;
      this.h2 = h2;
      this.out = out;
      this.B = B;
      this.set = set;
      this.buffers = buffers;
      this.inputs = model.nodeInputsTraining.claim();
      inputs[0] = x;
      inputs[1] = fc1Weight;
      inputs[2] = fc1Bias;
      inputs[3] = bnWeight;
      inputs[4] = bnBias;
      inputs[5] = fc2Weight;
      inputs[6] = fc2Bias;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Modes.java:25  return fc2.forward(h).logSoftmax(1);
      Tensor g1 = Kernels.exp(out, buffers[0] = Buffers.reuse(buffers[0], DTypes.toFloat(out.dtype()), B, 3)); // f[B, 3], reused buffer
      Tensor g2 = Kernels.sum(dOut, DIMS_1, true, buffers[1] = Buffers.reuse(buffers[1], dOut.dtype(), B, 1)); // f[B, 1], reused buffer
      Tensor g3 = Kernels.mul(g1, g2, buffers[2] = Buffers.reuse(buffers[2], DType.promote(g1.dtype(), g2.dtype()), B, 3)); // f[B, 3], reused buffer
      Tensor dT21 = Kernels.sub(dOut, g3, buffers[3] = Buffers.reuse(buffers[3], DType.promote(dOut.dtype(), g3.dtype()), B, 3)); // f[B, 3], reused buffer
      Tensor dFc2Bias = Kernels.sumTo(dT21, SHAPE_3, set[26] = Buffers.reuse(set[26], dT21.dtype(), 3)); // f[3], returned
      Tensor dH2 = Kernels.matmul(dT21, fc2Weight, buffers[4] = Buffers.reuse(buffers[4], dT21.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dFc2Weight = Kernels.matmulTN(dT21, h2, set[27] = Buffers.reuse(set[27], dT21.dtype(), 3, 8)); // f[3, 8], returned

      // Modes.java:21  h = F.dropout(F.relu(h), 0.3, isTraining());
      Tensor dT19 = Kernels.mul(dH2, keep, buffers[5] = Buffers.reuse(buffers[5], DType.promote(dH2.dtype(), keep.dtype()), B, 8)); // f[B, 8], reused buffer
      Tensor dH = Kernels.mulSign(dT19, t19, null); // f[B, 8]

      // Modes.java:19  Tensor h = bn.forward(fc1.forward(x));
      Tensor dT18 = PlannedViews.reshape(buffers, 23, dH, B, 8, 1); // f[B, 8, 1], kept view
      Tensor dT17 = Kernels.sumTo(dT18, SHAPE_1_8_1); // f[1, 8, 1]
      Tensor dBnBias = Kernels.reshape(dT17, SHAPE_8); // f[8]
      Tensor dT14 = Kernels.mul(dT18, t15, buffers[6] = Buffers.reuse(buffers[6], DType.promote(dT18.dtype(), t15.dtype()), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g4 = Kernels.mul(dT18, t14); // f[B, 8, 1]
      Tensor dT15 = Kernels.sumTo(g4, SHAPE_1_8_1); // f[1, 8, 1]
      Tensor dBnWeight = Kernels.reshape(dT15, SHAPE_8); // f[8]
      Tensor g5 = Kernels.div(dT14, t13, buffers[7] = Buffers.reuse(buffers[7], DTypes.toFloat(DType.promote(dT14.dtype(), t13.dtype())), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g6 = Kernels.div(t14, t13, buffers[8] = Buffers.reuse(buffers[8], DTypes.toFloat(DType.promote(t14.dtype(), t13.dtype())), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g7 = Kernels.mul(dT14, g6, buffers[9] = Buffers.reuse(buffers[9], DType.promote(dT14.dtype(), g6.dtype()), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g8 = Kernels.neg(g7, buffers[10] = Buffers.reuse(buffers[10], g7.dtype(), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor dT13 = Kernels.sumTo(g8, SHAPE_1_8_1, buffers[11] = Buffers.reuse(buffers[11], g8.dtype(), 1, 8, 1)); // f[1, 8, 1], reused buffer
      Tensor g9 = Kernels.mulScalar(t13, 2.0, buffers[12] = Buffers.reuse(buffers[12], DTypes.scalarResult(t13.dtype(), 2.0), 1, 8, 1)); // f[1, 8, 1], reused buffer
      Tensor dT12 = Kernels.div(dT13, g9, buffers[13] = Buffers.reuse(buffers[13], DTypes.toFloat(DType.promote(dT13.dtype(), g9.dtype())), 1, 8, 1)); // f[1, 8, 1], reused buffer
      Tensor dT10 = Kernels.mulScalar(dT12, 1.0 / B, buffers[14] = Buffers.reuse(buffers[14], DTypes.scalarResult(dT12.dtype(), 1.0 / B), 1, 8, 1)); // f[1, 8, 1], reused buffer
      Tensor dT9 = buffers[25] = PlannedViews.expand(buffers[25], dT10, B, 8, 1); // f[B, 8, 1], kept view
      Tensor g10 = Kernels.mul(dT9, t7, buffers[15] = Buffers.reuse(buffers[15], DType.promote(dT9.dtype(), t7.dtype()), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g11 = Kernels.mul(dT9, t7, buffers[16] = Buffers.reuse(buffers[16], DType.promote(dT9.dtype(), t7.dtype()), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g12 = Kernels.add(g5, g10, buffers[17] = Buffers.reuse(buffers[17], DType.promote(g5.dtype(), g10.dtype()), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor dT7 = Kernels.add(g12, g11, buffers[18] = Buffers.reuse(buffers[18], DType.promote(g12.dtype(), g11.dtype()), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g13 = Kernels.neg(dT7, buffers[19] = Buffers.reuse(buffers[19], dT7.dtype(), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor dT6 = Kernels.sumTo(g13, SHAPE_1_8_1, buffers[20] = Buffers.reuse(buffers[20], g13.dtype(), 1, 8, 1)); // f[1, 8, 1], reused buffer
      Tensor dT5 = Kernels.mulScalar(dT6, 1.0 / B, buffers[21] = Buffers.reuse(buffers[21], DTypes.scalarResult(dT6.dtype(), 1.0 / B), 1, 8, 1)); // f[1, 8, 1], reused buffer
      Tensor dT4 = buffers[26] = PlannedViews.expand(buffers[26], dT5, B, 8, 1); // f[B, 8, 1], kept view
      Tensor dT3 = Kernels.add(dT7, dT4, buffers[22] = Buffers.reuse(buffers[22], DType.promote(dT7.dtype(), dT4.dtype()), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor dT2 = PlannedViews.reshape(buffers, 27, dT3, B, 8); // f[B, 8], kept view
      Tensor dFc1Bias = Kernels.sumTo(dT2, SHAPE_8, set[28] = Buffers.reuse(set[28], dT2.dtype(), 8)); // f[8], returned
      Tensor dFc1Weight = Kernels.matmulTN(dT2, x, set[30] = Buffers.reuse(set[30], dT2.dtype(), 8, 6)); // f[8, 6], returned

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dT2, fc1Weight, set[29] = Buffers.reuse(set[29], dT2.dtype(), B, 6)); // f[B, 6], returned
      }

      // The model's array for the returned gradients: the engine reads them before the next node runs.
      Tensor[] grads = model.inputGradsTraining;
      grads[0] = dX;
      grads[1] = dFc1Weight;
      grads[2] = dFc1Bias;
      grads[3] = dBnWeight;
      grads[4] = dBnBias;
      grads[5] = dFc2Weight;
      grads[6] = dFc2Bias;
      return grads;
    }

    @Override
    protected void releaseSaved() {
      keep = null;
      t7 = null;
      t13 = null;
      t14 = null;
      t15 = null;
      t19 = null;
      h2 = null;
      out = null;
      model.forwardPoolTraining.giveBack(set);
      set = null;
      model.nodeInputsTraining.giveBack(inputs);
      inputs = NO_INPUTS;
      model.trainingOwner.release();
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
    /**
     * What {@code inputs()} shows once backward has freed the node, as eager nodes do.
     */
    private static final Tensor[] NO_INPUTS = new Tensor[7];

    /**
     * The model whose pools and arrays this pass uses (Note [Forward buffers]).
     */
    private final CompiledModes model;

    /**
     * The inputs in argument order, in an array from the model's pool, given back with the node.
     */
    private Tensor[] inputs;

    private final Tensor x;

    private final Tensor fc1Weight;

    private final Tensor fc1Bias;

    private final Tensor bnWeight;

    private final Tensor bnBias;

    private final Tensor fc2Weight;

    private final Tensor fc2Bias;

    private Tensor t8;

    private Tensor t9;

    private Tensor t10;

    private Tensor t14;

    private Tensor h2;

    private Tensor out;

    private final int B;

    /**
     * The forward pass's buffer set: saved values and returned gradients (Note [Forward buffers]).
     */
    private Tensor[] set;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    EvalBackward(CompiledModes model, Tensor x, Tensor fc1Weight, Tensor fc1Bias, Tensor bnWeight,
        Tensor bnBias, Tensor fc2Weight, Tensor fc2Bias, Tensor t8, Tensor t9, Tensor t10,
        Tensor t14, Tensor h2, Tensor out, int B, Tensor[] set, Tensor[] buffers) {
      this.model = model;
      // a graph of this model is live: no other thread may train it until the graph is freed
      model.trainingOwner.claim();
      this.x = x;
      this.fc1Weight = fc1Weight;
      this.fc1Bias = fc1Bias;
      this.bnWeight = bnWeight;
      this.bnBias = bnBias;
      this.fc2Weight = fc2Weight;
      this.fc2Bias = fc2Bias;
      this.t8 = t8;
      this.t9 = t9;
      this.t10 = t10;
      this.t14 = t14;
      this.h2 = h2;
      this.out = out;
      this.B = B;
      this.set = set;
      this.buffers = buffers;
      this.inputs = model.nodeInputsEval.claim();
      inputs[0] = x;
      inputs[1] = fc1Weight;
      inputs[2] = fc1Bias;
      inputs[3] = bnWeight;
      inputs[4] = bnBias;
      inputs[5] = fc2Weight;
      inputs[6] = fc2Bias;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Modes.java:25  return fc2.forward(h).logSoftmax(1);
      Tensor g1 = Kernels.exp(out, buffers[0] = Buffers.reuse(buffers[0], DTypes.toFloat(out.dtype()), B, 3)); // f[B, 3], reused buffer
      Tensor g2 = Kernels.sum(dOut, DIMS_1, true, buffers[1] = Buffers.reuse(buffers[1], dOut.dtype(), B, 1)); // f[B, 1], reused buffer
      Tensor g3 = Kernels.mul(g1, g2, buffers[2] = Buffers.reuse(buffers[2], DType.promote(g1.dtype(), g2.dtype()), B, 3)); // f[B, 3], reused buffer
      Tensor dT16 = Kernels.sub(dOut, g3, buffers[3] = Buffers.reuse(buffers[3], DType.promote(dOut.dtype(), g3.dtype()), B, 3)); // f[B, 3], reused buffer
      Tensor dFc2Bias = Kernels.sumTo(dT16, SHAPE_3, set[23] = Buffers.reuse(set[23], dT16.dtype(), 3)); // f[3], returned
      Tensor dH2 = Kernels.matmul(dT16, fc2Weight, buffers[4] = Buffers.reuse(buffers[4], dT16.dtype(), B, 8)); // f[B, 8], reused buffer
      Tensor dFc2Weight = Kernels.matmulTN(dT16, h2, set[24] = Buffers.reuse(set[24], dT16.dtype(), 3, 8)); // f[3, 8], returned

      // Modes.java:23  h = F.relu(h).mul(1.0);
      Tensor dH = Kernels.mulSign(dH2, t14, null); // f[B, 8]

      // Modes.java:19  Tensor h = bn.forward(fc1.forward(x));
      Tensor dT13 = PlannedViews.reshape(buffers, 7, dH, B, 8, 1); // f[B, 8, 1], kept view
      Tensor dT12 = Kernels.sumTo(dT13, SHAPE_1_8_1); // f[1, 8, 1]
      Tensor dBnBias = Kernels.reshape(dT12, SHAPE_8); // f[8]
      Tensor dT9 = Kernels.mul(dT13, t10, buffers[5] = Buffers.reuse(buffers[5], DType.promote(dT13.dtype(), t10.dtype()), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor g4 = Kernels.mul(dT13, t9); // f[B, 8, 1]
      Tensor dT10 = Kernels.sumTo(g4, SHAPE_1_8_1); // f[1, 8, 1]
      Tensor dBnWeight = Kernels.reshape(dT10, SHAPE_8); // f[8]
      Tensor dT5 = Kernels.div(dT9, t8, buffers[6] = Buffers.reuse(buffers[6], DTypes.toFloat(DType.promote(dT9.dtype(), t8.dtype())), B, 8, 1)); // f[B, 8, 1], reused buffer
      Tensor dT2 = PlannedViews.reshape(buffers, 9, dT5, B, 8); // f[B, 8], kept view
      Tensor dFc1Bias = Kernels.sumTo(dT2, SHAPE_8, set[25] = Buffers.reuse(set[25], dT2.dtype(), 8)); // f[8], returned
      Tensor dFc1Weight = Kernels.matmulTN(dT2, x, set[27] = Buffers.reuse(set[27], dT2.dtype(), 8, 6)); // f[8, 6], returned

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dT2, fc1Weight, set[26] = Buffers.reuse(set[26], dT2.dtype(), B, 6)); // f[B, 6], returned
      }

      // The model's array for the returned gradients: the engine reads them before the next node runs.
      Tensor[] grads = model.inputGradsEval;
      grads[0] = dX;
      grads[1] = dFc1Weight;
      grads[2] = dFc1Bias;
      grads[3] = dBnWeight;
      grads[4] = dBnBias;
      grads[5] = dFc2Weight;
      grads[6] = dFc2Bias;
      return grads;
    }

    @Override
    protected void releaseSaved() {
      t8 = null;
      t9 = null;
      t10 = null;
      t14 = null;
      h2 = null;
      out = null;
      model.forwardPoolEval.giveBack(set);
      set = null;
      model.nodeInputsEval.giveBack(inputs);
      inputs = NO_INPUTS;
      model.trainingOwner.release();
    }

    @Override
    public String name() {
      return "CompiledModesEvalBackward";
    }
  }
}

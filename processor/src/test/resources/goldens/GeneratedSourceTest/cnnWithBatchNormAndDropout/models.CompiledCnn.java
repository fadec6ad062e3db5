// Generated from Cnn.java. Do not edit.
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
 * The compiled form of {@link Cnn}: the same model, whose {@code forward} runs straight-line
 * kernel calls and whose backward pass is one generated autograd node. Create it as
 * {@code Cnn model = new CompiledCnn();}.
 */
@Generated(
    value = "dev.flint.processor.ModelProcessor",
    comments = "from models.Cnn"
)
public class CompiledCnn extends Cnn implements CompiledModel {
  private static final String SUMMARY = "CompiledCnn (compiled from models.Cnn)\n"
      + "===============================================================================================\n"
      + "Layer (type)           Output shape     Param #   FLOPs/sample   FLOPs %   Source\n"
      + "===============================================================================================\n"
      + "input x                [B, 1, 12, 12]\n"
      + "conv1: Conv2d 1→4 k3   [B, 4, 12, 12]        40         10,944     60.8%   Cnn.java:24\n"
      + "bn1: BatchNorm2d 4     [B, 4, 12, 12]         8          4,048     22.5%   Cnn.java:24\n"
      + "F.relu                 [B, 4, 12, 12]        --            576      3.2%   Cnn.java:24\n"
      + "pool: MaxPool2d 2      [B, 4, 6, 6]          --            576      3.2%   Cnn.java:24 → h\n"
      + "conv2: Conv2d 4→6 k3   [B, 6, 2, 2]         222          1,752      9.7%   Cnn.java:25\n"
      + "F.relu                 [B, 6, 2, 2]          --             24      0.1%   Cnn.java:25\n"
      + "avg: AvgPool2d 2, 1    [B, 6, 1, 1]          --             24      0.1%   Cnn.java:25 → h\n"
      + "flatten: Flatten       [B, 6]                --             --        --   Cnn.java:26\n"
      + "drop: Dropout 0.25     [B, 6]                --              6     <0.1%   Cnn.java:26\n"
      + "fc: Linear 6→3         [B, 3]                21             39      0.2%   Cnn.java:26 → return\n"
      + "===============================================================================================\n"
      + "Total params: 291\n"
      + "Trainable params: 291\n"
      + "Buffers (not trained: running statistics, counters): 9 elements\n"
      + "Forward FLOPs per sample: 17,989\n"
      + "Backward FLOPs per sample: 35,897\n"
      + "Saved activations per sample: 7,632 bytes (FLOAT32)\n"
      + "===============================================================================================\n"
      + "FLOPs per sample: a multiply-add counts as 2 (torchinfo's Mult-Adds and fvcore count it as 1);\n"
      + "other ops 1 per output element, views 0; work that does not grow with the batch is left out.\n";

  private static final Map<String, TensorSpec> STATE_SCHEMA = stateSchemaEntries();

  private static final int[] STRIDE_1_1 = {1, 1};

  private static final int[] PADDING_1_1 = {1, 1};

  private static final int[] SHAPE_1_4_1_1 = {1, 4, 1, 1};

  private static final int[] DIMS_2 = {2};

  private static final int[] DIMS_0 = {0};

  private static final int[] SHAPE_1_4_1 = {1, 4, 1};

  private static final int[] KERNEL_2_2 = {2, 2};

  private static final int[] STRIDE_2_2 = {2, 2};

  private static final int[] PADDING_0_0 = {0, 0};

  private static final int[] SHAPE_1_6_1_1 = {1, 6, 1, 1};

  private static final int[] SHAPE_3 = {3};

  private static final int[] SHAPE_6 = {6};

  private static final int[] SHAPE_6_4_3_3 = {6, 4, 3, 3};

  private static final int[] SHAPE_4 = {4};

  private static final int[] SHAPE_4_1_3_3 = {4, 1, 3, 3};

  /**
   * Builds the user's class as this instance was built (ModelCheck compares against it).
   */
  private final Supplier<Module> eagerTwin;

  private final Supplier<Module> compiledTwin;

  /**
   * Sets of 34 buffers for forward values and returned gradients, one per live graph (Note [Forward buffers]).
   */
  private final BufferPool forwardPoolTraining = new BufferPool(34);

  /**
   * The arrays that autograd nodes return from {@code inputs()}, reused once a node is freed.
   */
  private final BufferPool nodeInputsTraining = new BufferPool(9);

  /**
   * The gradients a backward pass returns, one per node input; the engine reads them at once.
   */
  private final Tensor[] inputGradsTraining = new Tensor[9];

  /**
   * Intermediate gradients of the backward pass and its kept views, reused from step to step;
   * one thread trains the instance at a time ({@code trainingOwner}).
   */
  private final Tensor[] backwardBuffersTraining = new Tensor[34];

  /**
   * Sets of 28 buffers for forward values and returned gradients, one per live graph (Note [Forward buffers]).
   */
  private final BufferPool forwardPoolEval = new BufferPool(28);

  /**
   * The arrays that autograd nodes return from {@code inputs()}, reused once a node is freed.
   */
  private final BufferPool nodeInputsEval = new BufferPool(9);

  /**
   * The gradients a backward pass returns, one per node input; the engine reads them at once.
   */
  private final Tensor[] inputGradsEval = new Tensor[9];

  /**
   * Intermediate gradients of the backward pass and its kept views, reused from step to step;
   * one thread trains the instance at a time ({@code trainingOwner}).
   */
  private final Tensor[] backwardBuffersEval = new Tensor[12];

  /**
   * The thread training this instance: its backward buffers are the instance's, so a second
   * thread's training forward fails while a graph of the first is live (concurrent noGrad forwards are fine).
   */
  private final TrainingOwner trainingOwner = new TrainingOwner("CompiledCnn");

  public CompiledCnn() {
    super();
    this.eagerTwin = () -> new Cnn();
    this.compiledTwin = () -> new CompiledCnn();
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
    layers.put("conv1", conv1);
    layers.put("bn1", bn1);
    layers.put("pool", pool);
    layers.put("conv2", conv2);
    layers.put("avg", avg);
    layers.put("flatten", flatten);
    layers.put("drop", drop);
    layers.put("fc", fc);
    layers.values().removeIf(Objects::isNull);
    return layers;
  }

  private static Map<String, TensorSpec> stateSchemaEntries() {
    Map<String, TensorSpec> schema = new LinkedHashMap<>();
    schema.put("conv1.weight", TensorSpec.of(DType.FLOAT32, 4, 1, 3, 3));
    schema.put("conv1.bias", TensorSpec.of(DType.FLOAT32, 4));
    schema.put("bn1.weight", TensorSpec.of(DType.FLOAT32, 4));
    schema.put("bn1.bias", TensorSpec.of(DType.FLOAT32, 4));
    schema.put("bn1.running_mean", TensorSpec.of(DType.FLOAT32, 4));
    schema.put("bn1.running_var", TensorSpec.of(DType.FLOAT32, 4));
    schema.put("bn1.num_batches_tracked", TensorSpec.of(DType.INT64));
    schema.put("conv2.weight", TensorSpec.of(DType.FLOAT32, 6, 4, 3, 3));
    schema.put("conv2.bias", TensorSpec.of(DType.FLOAT32, 6));
    schema.put("fc.weight", TensorSpec.of(DType.FLOAT32, 3, 6));
    schema.put("fc.bias", TensorSpec.of(DType.FLOAT32, 3));
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
    StateSchemaCheck.check("CompiledCnn", STATE_SCHEMA, path);
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
    if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != 12 || x.size(3) != 12) {
      throw new IllegalArgumentException("CompiledCnn expects input of shape [B, 1, 12, 12], but got " + Arrays.toString(x.shape()));
    }
    if (x.dtype() != conv1.weight.dtype()) {
      throw InputChecks.dtypeMismatch("CompiledCnn", conv1.weight.dtype(), x.dtype());
    }
    int B = x.size(0);
    // Whether this pass records its autograd node (Note [Forward buffers] in the processor).
    boolean record = GradMode.isEnabled() && (x.requiresGrad() || conv1.weight.requiresGrad() ||
        conv1.bias.requiresGrad() || bn1.weight.requiresGrad() || bn1.bias.requiresGrad() ||
        conv2.weight.requiresGrad() || conv2.bias.requiresGrad() || fc.weight.requiresGrad() ||
        fc.bias.requiresGrad());
    Tensor[] set = forwardPoolTraining.claim();

    // Cnn.java:24  Tensor h = pool.forward(F.relu(bn1.forward(conv1.forward(x))));
    Tensor t1 = Kernels.conv2d(x, conv1.weight, STRIDE_1_1, PADDING_1_1); // f[B, 4, 12, 12]
    Tensor t2 = PlannedViews.reshape(set, 0, conv1.bias, SHAPE_1_4_1_1); // f[1, 4, 1, 1]
    Tensor t3 = Kernels.add(t1, t2, t1); // f[B, 4, 12, 12], in place: t1 is not needed again
    Tensor t4 = PlannedViews.reshape(set, 2, t3, B, 4, 144); // f[B, 4, 144]
    Tensor t5 = Kernels.sum(t4, DIMS_2, true, set[4] = Buffers.reuse(set[4], t4.dtype(), B, 4, 1)); // f[B, 4, 1]
    Tensor t6 = Kernels.mulScalar(t5, 0.006944444444444444, set[5] = Buffers.reuse(set[5], DTypes.scalarResult(t5.dtype(), 0.006944444444444444), B, 4, 1)); // f[B, 4, 1]
    Tensor t7 = Kernels.sum(t6, DIMS_0, true, set[6] = Buffers.reuse(set[6], t6.dtype(), 1, 4, 1)); // f[1, 4, 1]
    Tensor t8 = Kernels.mulScalar(t7, 1.0 / B, set[7] = Buffers.reuse(set[7], DTypes.scalarResult(t7.dtype(), 1.0 / B), 1, 4, 1)); // f[1, 4, 1]
    Tensor t9 = Kernels.sub(t4, t8, set[8] = Buffers.reuse(set[8], DType.promote(t4.dtype(), t8.dtype()), B, 4, 144)); // f[B, 4, 144]
    Tensor t10 = Kernels.mul(t9, t9, set[9] = Buffers.reuse(set[9], DType.promote(t9.dtype(), t9.dtype()), B, 4, 144)); // f[B, 4, 144]
    Tensor t11 = Kernels.sum(t10, DIMS_2, true, set[10] = Buffers.reuse(set[10], t10.dtype(), B, 4, 1)); // f[B, 4, 1]
    Tensor t12 = Kernels.mulScalar(t11, 0.006944444444444444, set[11] = Buffers.reuse(set[11], DTypes.scalarResult(t11.dtype(), 0.006944444444444444), B, 4, 1)); // f[B, 4, 1]
    Tensor t13 = Kernels.sum(t12, DIMS_0, true, set[12] = Buffers.reuse(set[12], t12.dtype(), 1, 4, 1)); // f[1, 4, 1]
    Tensor t14 = Kernels.mulScalar(t13, 1.0 / B, set[13] = Buffers.reuse(set[13], DTypes.scalarResult(t13.dtype(), 1.0 / B), 1, 4, 1)); // f[1, 4, 1]
    Tensor t15 = Kernels.addScalar(t14, 1.0E-5, set[14] = Buffers.reuse(set[14], DTypes.scalarResult(t14.dtype(), 1.0E-5), 1, 4, 1)); // f[1, 4, 1]
    Tensor t16 = Kernels.sqrt(t15, set[15] = Buffers.reuse(set[15], DTypes.toFloat(t15.dtype()), 1, 4, 1)); // f[1, 4, 1]
    Tensor t17 = Kernels.div(t9, t16, set[16] = Buffers.reuse(set[16], DTypes.toFloat(DType.promote(t9.dtype(), t16.dtype())), B, 4, 144)); // f[B, 4, 144]
    LayerKernels.updateRunningStats(bn1.runningMean, bn1.runningVar, t8, t14, 0.1, B * 144);
    LayerKernels.countBatch(bn1.numBatchesTracked);
    Tensor t18 = PlannedViews.reshape(set, 17, bn1.weight, SHAPE_1_4_1); // f[1, 4, 1]
    Tensor t19 = Kernels.mul(t17, t18, set[19] = Buffers.reuse(set[19], DType.promote(t17.dtype(), t18.dtype()), B, 4, 144)); // f[B, 4, 144]
    Tensor t20 = PlannedViews.reshape(set, 20, bn1.bias, SHAPE_1_4_1); // f[1, 4, 1]
    Tensor t21 = Kernels.add(t19, t20, set[22] = Buffers.reuse(set[22], DType.promote(t19.dtype(), t20.dtype()), B, 4, 144)); // f[B, 4, 144]
    Tensor t22 = PlannedViews.reshape(set, 23, t21, B, 4, 12, 12); // f[B, 4, 12, 12]
    Tensor t23 = Kernels.relu(t22, set[25] = Buffers.reuse(set[25], t22.dtype(), B, 4, 12, 12)); // f[B, 4, 12, 12]
    Tensor h = Kernels.maxPool2d(t23, KERNEL_2_2, STRIDE_2_2, PADDING_0_0); // f[B, 4, 6, 6]

    // Cnn.java:25  h = avg.forward(F.relu(conv2.forward(h)));
    Tensor t24 = Kernels.conv2d(h, conv2.weight, STRIDE_2_2, PADDING_0_0); // f[B, 6, 2, 2]
    Tensor t25 = PlannedViews.reshape(set, 26, conv2.bias, SHAPE_1_6_1_1); // f[1, 6, 1, 1]
    Tensor t26 = Kernels.add(t24, t25, t24); // f[B, 6, 2, 2], in place: t24 is not needed again
    Tensor t27 = Kernels.relu(t26, t26); // f[B, 6, 2, 2], in place: t26 is not needed again
    Tensor h2 = Kernels.avgPool2d(t27, KERNEL_2_2, STRIDE_1_1, PADDING_0_0); // f[B, 6, 1, 1]

    // Cnn.java:26  return fc.forward(drop.forward(flatten.forward(h)));
    Tensor t28 = PlannedViews.reshape(set, 28, h2, B, 6); // f[B, 6]
    Tensor keep = LayerKernels.dropoutMask(t28, 0.25); // f[B, 6]
    Tensor t29 = Kernels.mul(t28, keep, set[30] = Buffers.reuse(set[30], DType.promote(t28.dtype(), keep.dtype()), B, 6)); // f[B, 6]
    Tensor t30 = Kernels.matmulNT(t29, fc.weight, record ? (set[31] = Buffers.reuse(set[31], t29.dtype(), B, 3)) : null); // f[B, 3], a new tensor when no graph is recorded: the caller keeps the output
    Tensor out = Kernels.add(t30, fc.bias, t30); // f[B, 3], in place: t30 is not needed again

    if (!record) {
      forwardPoolTraining.giveBack(set);
      return out;
    }
    // One autograd node for the whole pass: its backward is the generated TrainingBackward.backward. The caller
    // gets a view of the output buffer, valid until a later forward reuses this buffer set.
    return Outputs.lend(out, new TrainingBackward(this, x, conv1.weight, conv1.bias, bn1.weight, bn1.bias, conv2.weight, conv2.bias, fc.weight, fc.bias, keep, t9, t16, t17, t18, t23, h, t27, t29, B, set, this.backwardBuffersTraining));
  }

  /**
   * The forward pass in evaluation mode.
   */
  private Tensor forwardEval(Tensor x) {
    if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != 12 || x.size(3) != 12) {
      throw new IllegalArgumentException("CompiledCnn expects input of shape [B, 1, 12, 12], but got " + Arrays.toString(x.shape()));
    }
    if (x.dtype() != conv1.weight.dtype()) {
      throw InputChecks.dtypeMismatch("CompiledCnn", conv1.weight.dtype(), x.dtype());
    }
    int B = x.size(0);
    // Whether this pass records its autograd node (Note [Forward buffers] in the processor).
    boolean record = GradMode.isEnabled() && (x.requiresGrad() || conv1.weight.requiresGrad() ||
        conv1.bias.requiresGrad() || bn1.weight.requiresGrad() || bn1.bias.requiresGrad() ||
        conv2.weight.requiresGrad() || conv2.bias.requiresGrad() || fc.weight.requiresGrad() ||
        fc.bias.requiresGrad());
    Tensor[] set = forwardPoolEval.claim();

    // Cnn.java:24  Tensor h = pool.forward(F.relu(bn1.forward(conv1.forward(x))));
    Tensor t1 = Kernels.conv2d(x, conv1.weight, STRIDE_1_1, PADDING_1_1); // f[B, 4, 12, 12]
    Tensor t2 = PlannedViews.reshape(set, 0, conv1.bias, SHAPE_1_4_1_1); // f[1, 4, 1, 1]
    Tensor t3 = Kernels.add(t1, t2, t1); // f[B, 4, 12, 12], in place: t1 is not needed again
    Tensor t4 = PlannedViews.reshape(set, 2, t3, B, 4, 144); // f[B, 4, 144]
    Tensor t5 = PlannedViews.reshape(set, 4, bn1.runningMean, SHAPE_1_4_1); // f[1, 4, 1]
    Tensor t6 = Kernels.sub(t4, t5, set[6] = Buffers.reuse(set[6], DType.promote(t4.dtype(), t5.dtype()), B, 4, 144)); // f[B, 4, 144]
    Tensor t7 = PlannedViews.reshape(set, 7, bn1.runningVar, SHAPE_1_4_1); // f[1, 4, 1]
    Tensor t8 = Kernels.addScalar(t7, 1.0E-5, set[9] = Buffers.reuse(set[9], DTypes.scalarResult(t7.dtype(), 1.0E-5), 1, 4, 1)); // f[1, 4, 1]
    Tensor t9 = Kernels.sqrt(t8, set[10] = Buffers.reuse(set[10], DTypes.toFloat(t8.dtype()), 1, 4, 1)); // f[1, 4, 1]
    Tensor t10 = Kernels.div(t6, t9, set[11] = Buffers.reuse(set[11], DTypes.toFloat(DType.promote(t6.dtype(), t9.dtype())), B, 4, 144)); // f[B, 4, 144]
    Tensor t11 = PlannedViews.reshape(set, 12, bn1.weight, SHAPE_1_4_1); // f[1, 4, 1]
    Tensor t12 = Kernels.mul(t10, t11, set[14] = Buffers.reuse(set[14], DType.promote(t10.dtype(), t11.dtype()), B, 4, 144)); // f[B, 4, 144]
    Tensor t13 = PlannedViews.reshape(set, 15, bn1.bias, SHAPE_1_4_1); // f[1, 4, 1]
    Tensor t14 = Kernels.add(t12, t13, set[17] = Buffers.reuse(set[17], DType.promote(t12.dtype(), t13.dtype()), B, 4, 144)); // f[B, 4, 144]
    Tensor t15 = PlannedViews.reshape(set, 18, t14, B, 4, 12, 12); // f[B, 4, 12, 12]
    Tensor t16 = Kernels.relu(t15, set[20] = Buffers.reuse(set[20], t15.dtype(), B, 4, 12, 12)); // f[B, 4, 12, 12]
    Tensor h = Kernels.maxPool2d(t16, KERNEL_2_2, STRIDE_2_2, PADDING_0_0); // f[B, 4, 6, 6]

    // Cnn.java:25  h = avg.forward(F.relu(conv2.forward(h)));
    Tensor t17 = Kernels.conv2d(h, conv2.weight, STRIDE_2_2, PADDING_0_0); // f[B, 6, 2, 2]
    Tensor t18 = PlannedViews.reshape(set, 21, conv2.bias, SHAPE_1_6_1_1); // f[1, 6, 1, 1]
    Tensor t19 = Kernels.add(t17, t18, t17); // f[B, 6, 2, 2], in place: t17 is not needed again
    Tensor t20 = Kernels.relu(t19, t19); // f[B, 6, 2, 2], in place: t19 is not needed again
    Tensor h2 = Kernels.avgPool2d(t20, KERNEL_2_2, STRIDE_1_1, PADDING_0_0); // f[B, 6, 1, 1]

    // Cnn.java:26  return fc.forward(drop.forward(flatten.forward(h)));
    Tensor t21 = PlannedViews.reshape(set, 23, h2, B, 6); // f[B, 6]
    Tensor t22 = Kernels.matmulNT(t21, fc.weight, record ? (set[25] = Buffers.reuse(set[25], t21.dtype(), B, 3)) : null); // f[B, 3], a new tensor when no graph is recorded: the caller keeps the output
    Tensor out = Kernels.add(t22, fc.bias, t22); // f[B, 3], in place: t22 is not needed again

    if (!record) {
      forwardPoolEval.giveBack(set);
      return out;
    }
    // One autograd node for the whole pass: its backward is the generated EvalBackward.backward. The caller
    // gets a view of the output buffer, valid until a later forward reuses this buffer set.
    return Outputs.lend(out, new EvalBackward(this, x, conv1.weight, conv1.bias, bn1.weight, bn1.bias, conv2.weight, conv2.bias, fc.weight, fc.bias, t9, t10, t11, t16, h, t20, t21, B, set, this.backwardBuffersEval));
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
    ForwardGraph.Builder g = ForwardGraph.builder("CompiledCnn");
    g.input("x", ForwardGraph.Elem.FLOAT, "B", "1", "12", "12");
    g.size("B", "x", 0);
    g.parameter("conv1.weight", "4", "1", "3", "3");
    g.parameter("conv1.bias", "4");
    g.buffer("bn1.running_mean", "4");
    g.buffer("bn1.running_var", "4");
    g.parameter("bn1.weight", "4");
    g.parameter("bn1.bias", "4");
    g.parameter("conv2.weight", "6", "4", "3", "3");
    g.parameter("conv2.bias", "6");
    g.parameter("fc.weight", "3", "6");
    g.parameter("fc.bias", "3");
    g.node("CONV2D", "t1", ForwardGraph.Elem.FLOAT, "B", "4", "12", "12").in("x", "conv1.weight").attr("stride", new int[] {1, 1}).attr("padding", new int[] {1, 1}).at("Cnn.java:24", "conv1.forward(x)");
    g.node("RESHAPE", "t2", ForwardGraph.Elem.FLOAT, "1", "4", "1", "1").in("conv1.bias").attr("shape", new int[] {1, 4, 1, 1}).at("Cnn.java:24", "conv1.forward(x)");
    g.node("ADD", "t3", ForwardGraph.Elem.FLOAT, "B", "4", "12", "12").in("t1", "t2").layer("conv1: Conv2d 1→4 k3").at("Cnn.java:24", "conv1.forward(x)");
    g.node("RESHAPE", "t4", ForwardGraph.Elem.FLOAT, "B", "4", "144").in("t3").attr("shape", new String[] {"B", "4", "144"}).at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("RESHAPE", "t5", ForwardGraph.Elem.FLOAT, "1", "4", "1").in("bn1.running_mean").attr("shape", new int[] {1, 4, 1}).at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("SUB", "t6", ForwardGraph.Elem.FLOAT, "B", "4", "144").in("t4", "t5").at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("RESHAPE", "t7", ForwardGraph.Elem.FLOAT, "1", "4", "1").in("bn1.running_var").attr("shape", new int[] {1, 4, 1}).at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("ADD_SCALAR", "t8", ForwardGraph.Elem.FLOAT, "1", "4", "1").in("t7").attr("value", 1.0e-5d).at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("SQRT", "t9", ForwardGraph.Elem.FLOAT, "1", "4", "1").in("t8").at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("DIV", "t10", ForwardGraph.Elem.FLOAT, "B", "4", "144").in("t6", "t9").at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("RESHAPE", "t11", ForwardGraph.Elem.FLOAT, "1", "4", "1").in("bn1.weight").attr("shape", new int[] {1, 4, 1}).at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("MUL", "t12", ForwardGraph.Elem.FLOAT, "B", "4", "144").in("t10", "t11").at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("RESHAPE", "t13", ForwardGraph.Elem.FLOAT, "1", "4", "1").in("bn1.bias").attr("shape", new int[] {1, 4, 1}).at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("ADD", "t14", ForwardGraph.Elem.FLOAT, "B", "4", "144").in("t12", "t13").at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("RESHAPE", "t15", ForwardGraph.Elem.FLOAT, "B", "4", "12", "12").in("t14").attr("shape", new String[] {"B", "4", "12", "12"}).layer("bn1: BatchNorm2d 4").at("Cnn.java:24", "bn1.forward(conv1.forward(x))");
    g.node("RELU", "t16", ForwardGraph.Elem.FLOAT, "B", "4", "12", "12").in("t15").at("Cnn.java:24", "F.relu(bn1.forward(conv1.forward(x)))");
    g.node("MAX_POOL2D", "h", ForwardGraph.Elem.FLOAT, "B", "4", "6", "6").in("t16").attr("kernel", new int[] {2, 2}).attr("stride", new int[] {2, 2}).attr("padding", new int[] {0, 0}).layer("pool: MaxPool2d 2").at("Cnn.java:24", "pool.forward(F.relu(bn1.forward(conv1.forward(x))))");
    g.node("CONV2D", "t17", ForwardGraph.Elem.FLOAT, "B", "6", "2", "2").in("h", "conv2.weight").attr("stride", new int[] {2, 2}).attr("padding", new int[] {0, 0}).at("Cnn.java:25", "conv2.forward(h)");
    g.node("RESHAPE", "t18", ForwardGraph.Elem.FLOAT, "1", "6", "1", "1").in("conv2.bias").attr("shape", new int[] {1, 6, 1, 1}).at("Cnn.java:25", "conv2.forward(h)");
    g.node("ADD", "t19", ForwardGraph.Elem.FLOAT, "B", "6", "2", "2").in("t17", "t18").layer("conv2: Conv2d 4→6 k3").at("Cnn.java:25", "conv2.forward(h)");
    g.node("RELU", "t20", ForwardGraph.Elem.FLOAT, "B", "6", "2", "2").in("t19").at("Cnn.java:25", "F.relu(conv2.forward(h))");
    g.node("AVG_POOL2D", "h2", ForwardGraph.Elem.FLOAT, "B", "6", "1", "1").in("t20").attr("kernel", new int[] {2, 2}).attr("stride", new int[] {1, 1}).attr("padding", new int[] {0, 0}).layer("avg: AvgPool2d 2, 1").at("Cnn.java:25", "avg.forward(F.relu(conv2.forward(h)))");
    g.node("RESHAPE", "t21", ForwardGraph.Elem.FLOAT, "B", "6").in("h2").attr("shape", new String[] {"B", "6"}).layer("flatten: Flatten").at("Cnn.java:26", "flatten.forward(h)");
    g.node("PERMUTE", "t22", ForwardGraph.Elem.FLOAT, "6", "3").in("fc.weight").attr("perm", new int[] {1, 0}).at("Cnn.java:26", "fc.forward(drop.forward(flatten.forward(h)))");
    g.node("MATMUL", "t23", ForwardGraph.Elem.FLOAT, "B", "3").in("t21", "t22").at("Cnn.java:26", "fc.forward(drop.forward(flatten.forward(h)))");
    g.node("ADD", "out", ForwardGraph.Elem.FLOAT, "B", "3").in("t23", "fc.bias").layer("fc: Linear 6→3").at("Cnn.java:26", "fc.forward(drop.forward(flatten.forward(h)))");
    return g.output("out");
  }

  /**
   * The backward pass of {@code forwardTraining}: the chain rule written out, from {@code dOut} = dL/d(output).
   */
  private static final class TrainingBackward extends Node {
    /**
     * What {@code inputs()} shows once backward has freed the node, as eager nodes do.
     */
    private static final Tensor[] NO_INPUTS = new Tensor[9];

    /**
     * The model whose pools and arrays this pass uses (Note [Forward buffers]).
     */
    private final CompiledCnn model;

    /**
     * The inputs in argument order, in an array from the model's pool, given back with the node.
     */
    private Tensor[] inputs;

    private final Tensor x;

    private final Tensor conv1Weight;

    private final Tensor conv1Bias;

    private final Tensor bn1Weight;

    private final Tensor bn1Bias;

    private final Tensor conv2Weight;

    private final Tensor conv2Bias;

    private final Tensor fcWeight;

    private final Tensor fcBias;

    private Tensor keep;

    private Tensor t9;

    private Tensor t16;

    private Tensor t17;

    private Tensor t18;

    private Tensor t23;

    private Tensor h;

    private Tensor t27;

    private Tensor t29;

    private final int B;

    /**
     * The forward pass's buffer set: saved values and returned gradients (Note [Forward buffers]).
     */
    private Tensor[] set;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    TrainingBackward(CompiledCnn model, Tensor x, Tensor conv1Weight, Tensor conv1Bias,
        Tensor bn1Weight, Tensor bn1Bias, Tensor conv2Weight, Tensor conv2Bias, Tensor fcWeight,
        Tensor fcBias, Tensor keep, Tensor t9, Tensor t16, Tensor t17, Tensor t18, Tensor t23,
        Tensor h, Tensor t27, Tensor t29, int B, Tensor[] set, Tensor[] buffers) {
      this.model = model;
      // a graph of this model is live: no other thread may train it until the graph is freed
      model.trainingOwner.claim();
      this.x = x;
      this.conv1Weight = conv1Weight;
      this.conv1Bias = conv1Bias;
      this.bn1Weight = bn1Weight;
      this.bn1Bias = bn1Bias;
      this.conv2Weight = conv2Weight;
      this.conv2Bias = conv2Bias;
      this.fcWeight = fcWeight;
      this.fcBias = fcBias;
      this.keep = keep;
      this.t9 = t9;
      this.t16 = t16;
      this.t17 = t17;
      this.t18 = t18;
      this.t23 = t23;
      this.h = h;
      this.t27 = t27;
      this.t29 = t29;
      this.B = B;
      this.set = set;
      this.buffers = buffers;
      this.inputs = model.nodeInputsTraining.claim();
      inputs[0] = x;
      inputs[1] = conv1Weight;
      inputs[2] = conv1Bias;
      inputs[3] = bn1Weight;
      inputs[4] = bn1Bias;
      inputs[5] = conv2Weight;
      inputs[6] = conv2Bias;
      inputs[7] = fcWeight;
      inputs[8] = fcBias;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Cnn.java:26  return fc.forward(drop.forward(flatten.forward(h)));
      Tensor dFcBias = Kernels.sumTo(dOut, SHAPE_3, set[32] = Buffers.reuse(set[32], dOut.dtype(), 3)); // f[3], returned
      Tensor dT29 = Kernels.matmul(dOut, fcWeight, buffers[0] = Buffers.reuse(buffers[0], dOut.dtype(), B, 6)); // f[B, 6], reused buffer
      Tensor dFcWeight = Kernels.matmulTN(dOut, t29, set[33] = Buffers.reuse(set[33], dOut.dtype(), 3, 6)); // f[3, 6], returned
      Tensor dT28 = Kernels.mul(dT29, keep, buffers[1] = Buffers.reuse(buffers[1], DType.promote(dT29.dtype(), keep.dtype()), B, 6)); // f[B, 6], reused buffer
      Tensor dH2 = PlannedViews.reshape(buffers, 24, dT28, B, 6, 1, 1); // f[B, 6, 1, 1], kept view

      // Cnn.java:25  h = avg.forward(F.relu(conv2.forward(h)));
      Tensor dT27 = Kernels.avgPool2dBackward(dH2, new int[] {B, 6, 2, 2}, KERNEL_2_2, STRIDE_1_1, PADDING_0_0); // f[B, 6, 2, 2]
      Tensor dT26 = Kernels.mulSign(dT27, t27, buffers[2] = Buffers.reuse(buffers[2], DType.promote(dT27.dtype(), t27.dtype()), B, 6, 2, 2)); // f[B, 6, 2, 2], reused buffer
      Tensor dT25 = Kernels.sumTo(dT26, SHAPE_1_6_1_1); // f[1, 6, 1, 1]
      Tensor dConv2Bias = Kernels.reshape(dT25, SHAPE_6); // f[6]
      Tensor dH = Kernels.conv2dInputGrad(dT26, conv2Weight, new int[] {B, 4, 6, 6}, STRIDE_2_2, PADDING_0_0); // f[B, 4, 6, 6]
      Tensor dConv2Weight = Kernels.conv2dWeightGrad(dT26, h, SHAPE_6_4_3_3, STRIDE_2_2, PADDING_0_0); // f[6, 4, 3, 3]

      // Cnn.java:24  Tensor h = pool.forward(F.relu(bn1.forward(conv1.forward(x))));
      Tensor dT23 = Kernels.maxPool2dBackward(dH, t23, KERNEL_2_2, STRIDE_2_2, PADDING_0_0); // f[B, 4, 12, 12]
      Tensor dT22 = Kernels.mulSign(dT23, t23, buffers[3] = Buffers.reuse(buffers[3], DType.promote(dT23.dtype(), t23.dtype()), B, 4, 12, 12)); // f[B, 4, 12, 12], reused buffer
      Tensor dT21 = PlannedViews.reshape(buffers, 26, dT22, B, 4, 144); // f[B, 4, 144], kept view
      Tensor dT20 = Kernels.sumTo(dT21, SHAPE_1_4_1); // f[1, 4, 1]
      Tensor dBn1Bias = Kernels.reshape(dT20, SHAPE_4); // f[4]
      Tensor dT17 = Kernels.mul(dT21, t18, buffers[4] = Buffers.reuse(buffers[4], DType.promote(dT21.dtype(), t18.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor g1 = Kernels.mul(dT21, t17, buffers[5] = Buffers.reuse(buffers[5], DType.promote(dT21.dtype(), t17.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor dT18 = Kernels.sumTo(g1, SHAPE_1_4_1); // f[1, 4, 1]
      Tensor dBn1Weight = Kernels.reshape(dT18, SHAPE_4); // f[4]
      Tensor g2 = Kernels.div(dT17, t16, buffers[6] = Buffers.reuse(buffers[6], DTypes.toFloat(DType.promote(dT17.dtype(), t16.dtype())), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor g3 = Kernels.div(t17, t16, buffers[7] = Buffers.reuse(buffers[7], DTypes.toFloat(DType.promote(t17.dtype(), t16.dtype())), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor g4 = Kernels.mul(dT17, g3, buffers[8] = Buffers.reuse(buffers[8], DType.promote(dT17.dtype(), g3.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor g5 = Kernels.neg(g4, buffers[9] = Buffers.reuse(buffers[9], g4.dtype(), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor dT16 = Kernels.sumTo(g5, SHAPE_1_4_1, buffers[10] = Buffers.reuse(buffers[10], g5.dtype(), 1, 4, 1)); // f[1, 4, 1], reused buffer
      Tensor g6 = Kernels.mulScalar(t16, 2.0, buffers[11] = Buffers.reuse(buffers[11], DTypes.scalarResult(t16.dtype(), 2.0), 1, 4, 1)); // f[1, 4, 1], reused buffer
      Tensor dT15 = Kernels.div(dT16, g6, buffers[12] = Buffers.reuse(buffers[12], DTypes.toFloat(DType.promote(dT16.dtype(), g6.dtype())), 1, 4, 1)); // f[1, 4, 1], reused buffer
      Tensor dT13 = Kernels.mulScalar(dT15, 1.0 / B, buffers[13] = Buffers.reuse(buffers[13], DTypes.scalarResult(dT15.dtype(), 1.0 / B), 1, 4, 1)); // f[1, 4, 1], reused buffer
      Tensor dT12 = buffers[28] = PlannedViews.expand(buffers[28], dT13, B, 4, 1); // f[B, 4, 1], kept view
      Tensor dT11 = Kernels.mulScalar(dT12, 0.006944444444444444, buffers[14] = Buffers.reuse(buffers[14], DTypes.scalarResult(dT12.dtype(), 0.006944444444444444), B, 4, 1)); // f[B, 4, 1], reused buffer
      Tensor dT10 = buffers[29] = PlannedViews.expand(buffers[29], dT11, B, 4, 144); // f[B, 4, 144], kept view
      Tensor g7 = Kernels.mul(dT10, t9, buffers[15] = Buffers.reuse(buffers[15], DType.promote(dT10.dtype(), t9.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor g8 = Kernels.mul(dT10, t9, buffers[16] = Buffers.reuse(buffers[16], DType.promote(dT10.dtype(), t9.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor g9 = Kernels.add(g2, g7, buffers[17] = Buffers.reuse(buffers[17], DType.promote(g2.dtype(), g7.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor dT9 = Kernels.add(g9, g8, buffers[18] = Buffers.reuse(buffers[18], DType.promote(g9.dtype(), g8.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor g10 = Kernels.neg(dT9, buffers[19] = Buffers.reuse(buffers[19], dT9.dtype(), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor dT8 = Kernels.sumTo(g10, SHAPE_1_4_1, buffers[20] = Buffers.reuse(buffers[20], g10.dtype(), 1, 4, 1)); // f[1, 4, 1], reused buffer
      Tensor dT7 = Kernels.mulScalar(dT8, 1.0 / B, buffers[21] = Buffers.reuse(buffers[21], DTypes.scalarResult(dT8.dtype(), 1.0 / B), 1, 4, 1)); // f[1, 4, 1], reused buffer
      Tensor dT6 = buffers[30] = PlannedViews.expand(buffers[30], dT7, B, 4, 1); // f[B, 4, 1], kept view
      Tensor dT5 = Kernels.mulScalar(dT6, 0.006944444444444444, buffers[22] = Buffers.reuse(buffers[22], DTypes.scalarResult(dT6.dtype(), 0.006944444444444444), B, 4, 1)); // f[B, 4, 1], reused buffer
      Tensor g11 = buffers[31] = PlannedViews.expand(buffers[31], dT5, B, 4, 144); // f[B, 4, 144], kept view
      Tensor dT4 = Kernels.add(dT9, g11, buffers[23] = Buffers.reuse(buffers[23], DType.promote(dT9.dtype(), g11.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor dT3 = PlannedViews.reshape(buffers, 32, dT4, B, 4, 12, 12); // f[B, 4, 12, 12], kept view
      Tensor dT2 = Kernels.sumTo(dT3, SHAPE_1_4_1_1); // f[1, 4, 1, 1]
      Tensor dConv1Bias = Kernels.reshape(dT2, SHAPE_4); // f[4]
      Tensor dConv1Weight = Kernels.conv2dWeightGrad(dT3, x, SHAPE_4_1_3_3, STRIDE_1_1, PADDING_1_1); // f[4, 1, 3, 3]

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.conv2dInputGrad(dT3, conv1Weight, new int[] {B, 1, 12, 12}, STRIDE_1_1, PADDING_1_1); // f[B, 1, 12, 12]
      }

      // The model's array for the returned gradients: the engine reads them before the next node runs.
      Tensor[] grads = model.inputGradsTraining;
      grads[0] = dX;
      grads[1] = dConv1Weight;
      grads[2] = dConv1Bias;
      grads[3] = dBn1Weight;
      grads[4] = dBn1Bias;
      grads[5] = dConv2Weight;
      grads[6] = dConv2Bias;
      grads[7] = dFcWeight;
      grads[8] = dFcBias;
      return grads;
    }

    @Override
    protected void releaseSaved() {
      keep = null;
      t9 = null;
      t16 = null;
      t17 = null;
      t18 = null;
      t23 = null;
      h = null;
      t27 = null;
      t29 = null;
      model.forwardPoolTraining.giveBack(set);
      set = null;
      model.nodeInputsTraining.giveBack(inputs);
      inputs = NO_INPUTS;
      model.trainingOwner.release();
    }

    @Override
    public String name() {
      return "CompiledCnnTrainingBackward";
    }
  }

  /**
   * The backward pass of {@code forwardEval}: the chain rule written out, from {@code dOut} = dL/d(output).
   */
  private static final class EvalBackward extends Node {
    /**
     * What {@code inputs()} shows once backward has freed the node, as eager nodes do.
     */
    private static final Tensor[] NO_INPUTS = new Tensor[9];

    /**
     * The model whose pools and arrays this pass uses (Note [Forward buffers]).
     */
    private final CompiledCnn model;

    /**
     * The inputs in argument order, in an array from the model's pool, given back with the node.
     */
    private Tensor[] inputs;

    private final Tensor x;

    private final Tensor conv1Weight;

    private final Tensor conv1Bias;

    private final Tensor bn1Weight;

    private final Tensor bn1Bias;

    private final Tensor conv2Weight;

    private final Tensor conv2Bias;

    private final Tensor fcWeight;

    private final Tensor fcBias;

    private Tensor t9;

    private Tensor t10;

    private Tensor t11;

    private Tensor t16;

    private Tensor h;

    private Tensor t20;

    private Tensor t21;

    private final int B;

    /**
     * The forward pass's buffer set: saved values and returned gradients (Note [Forward buffers]).
     */
    private Tensor[] set;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    EvalBackward(CompiledCnn model, Tensor x, Tensor conv1Weight, Tensor conv1Bias,
        Tensor bn1Weight, Tensor bn1Bias, Tensor conv2Weight, Tensor conv2Bias, Tensor fcWeight,
        Tensor fcBias, Tensor t9, Tensor t10, Tensor t11, Tensor t16, Tensor h, Tensor t20,
        Tensor t21, int B, Tensor[] set, Tensor[] buffers) {
      this.model = model;
      // a graph of this model is live: no other thread may train it until the graph is freed
      model.trainingOwner.claim();
      this.x = x;
      this.conv1Weight = conv1Weight;
      this.conv1Bias = conv1Bias;
      this.bn1Weight = bn1Weight;
      this.bn1Bias = bn1Bias;
      this.conv2Weight = conv2Weight;
      this.conv2Bias = conv2Bias;
      this.fcWeight = fcWeight;
      this.fcBias = fcBias;
      this.t9 = t9;
      this.t10 = t10;
      this.t11 = t11;
      this.t16 = t16;
      this.h = h;
      this.t20 = t20;
      this.t21 = t21;
      this.B = B;
      this.set = set;
      this.buffers = buffers;
      this.inputs = model.nodeInputsEval.claim();
      inputs[0] = x;
      inputs[1] = conv1Weight;
      inputs[2] = conv1Bias;
      inputs[3] = bn1Weight;
      inputs[4] = bn1Bias;
      inputs[5] = conv2Weight;
      inputs[6] = conv2Bias;
      inputs[7] = fcWeight;
      inputs[8] = fcBias;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Cnn.java:26  return fc.forward(drop.forward(flatten.forward(h)));
      Tensor dFcBias = Kernels.sumTo(dOut, SHAPE_3, set[26] = Buffers.reuse(set[26], dOut.dtype(), 3)); // f[3], returned
      Tensor dT21 = Kernels.matmul(dOut, fcWeight, buffers[0] = Buffers.reuse(buffers[0], dOut.dtype(), B, 6)); // f[B, 6], reused buffer
      Tensor dFcWeight = Kernels.matmulTN(dOut, t21, set[27] = Buffers.reuse(set[27], dOut.dtype(), 3, 6)); // f[3, 6], returned
      Tensor dH2 = PlannedViews.reshape(buffers, 6, dT21, B, 6, 1, 1); // f[B, 6, 1, 1], kept view

      // Cnn.java:25  h = avg.forward(F.relu(conv2.forward(h)));
      Tensor dT20 = Kernels.avgPool2dBackward(dH2, new int[] {B, 6, 2, 2}, KERNEL_2_2, STRIDE_1_1, PADDING_0_0); // f[B, 6, 2, 2]
      Tensor dT19 = Kernels.mulSign(dT20, t20, buffers[1] = Buffers.reuse(buffers[1], DType.promote(dT20.dtype(), t20.dtype()), B, 6, 2, 2)); // f[B, 6, 2, 2], reused buffer
      Tensor dT18 = Kernels.sumTo(dT19, SHAPE_1_6_1_1); // f[1, 6, 1, 1]
      Tensor dConv2Bias = Kernels.reshape(dT18, SHAPE_6); // f[6]
      Tensor dH = Kernels.conv2dInputGrad(dT19, conv2Weight, new int[] {B, 4, 6, 6}, STRIDE_2_2, PADDING_0_0); // f[B, 4, 6, 6]
      Tensor dConv2Weight = Kernels.conv2dWeightGrad(dT19, h, SHAPE_6_4_3_3, STRIDE_2_2, PADDING_0_0); // f[6, 4, 3, 3]

      // Cnn.java:24  Tensor h = pool.forward(F.relu(bn1.forward(conv1.forward(x))));
      Tensor dT16 = Kernels.maxPool2dBackward(dH, t16, KERNEL_2_2, STRIDE_2_2, PADDING_0_0); // f[B, 4, 12, 12]
      Tensor dT15 = Kernels.mulSign(dT16, t16, buffers[2] = Buffers.reuse(buffers[2], DType.promote(dT16.dtype(), t16.dtype()), B, 4, 12, 12)); // f[B, 4, 12, 12], reused buffer
      Tensor dT14 = PlannedViews.reshape(buffers, 8, dT15, B, 4, 144); // f[B, 4, 144], kept view
      Tensor dT13 = Kernels.sumTo(dT14, SHAPE_1_4_1); // f[1, 4, 1]
      Tensor dBn1Bias = Kernels.reshape(dT13, SHAPE_4); // f[4]
      Tensor dT10 = Kernels.mul(dT14, t11, buffers[3] = Buffers.reuse(buffers[3], DType.promote(dT14.dtype(), t11.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor g1 = Kernels.mul(dT14, t10, buffers[4] = Buffers.reuse(buffers[4], DType.promote(dT14.dtype(), t10.dtype()), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor dT11 = Kernels.sumTo(g1, SHAPE_1_4_1); // f[1, 4, 1]
      Tensor dBn1Weight = Kernels.reshape(dT11, SHAPE_4); // f[4]
      Tensor dT6 = Kernels.div(dT10, t9, buffers[5] = Buffers.reuse(buffers[5], DTypes.toFloat(DType.promote(dT10.dtype(), t9.dtype())), B, 4, 144)); // f[B, 4, 144], reused buffer
      Tensor dT3 = PlannedViews.reshape(buffers, 10, dT6, B, 4, 12, 12); // f[B, 4, 12, 12], kept view
      Tensor dT2 = Kernels.sumTo(dT3, SHAPE_1_4_1_1); // f[1, 4, 1, 1]
      Tensor dConv1Bias = Kernels.reshape(dT2, SHAPE_4); // f[4]
      Tensor dConv1Weight = Kernels.conv2dWeightGrad(dT3, x, SHAPE_4_1_3_3, STRIDE_1_1, PADDING_1_1); // f[4, 1, 3, 3]

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.conv2dInputGrad(dT3, conv1Weight, new int[] {B, 1, 12, 12}, STRIDE_1_1, PADDING_1_1); // f[B, 1, 12, 12]
      }

      // The model's array for the returned gradients: the engine reads them before the next node runs.
      Tensor[] grads = model.inputGradsEval;
      grads[0] = dX;
      grads[1] = dConv1Weight;
      grads[2] = dConv1Bias;
      grads[3] = dBn1Weight;
      grads[4] = dBn1Bias;
      grads[5] = dConv2Weight;
      grads[6] = dConv2Bias;
      grads[7] = dFcWeight;
      grads[8] = dFcBias;
      return grads;
    }

    @Override
    protected void releaseSaved() {
      t9 = null;
      t10 = null;
      t11 = null;
      t16 = null;
      h = null;
      t20 = null;
      t21 = null;
      model.forwardPoolEval.giveBack(set);
      set = null;
      model.nodeInputsEval.giveBack(inputs);
      inputs = NO_INPUTS;
      model.trainingOwner.release();
    }

    @Override
    public String name() {
      return "CompiledCnnEvalBackward";
    }
  }
}

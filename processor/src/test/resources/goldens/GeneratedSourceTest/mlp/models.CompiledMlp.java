// Generated from Mlp.java. Do not edit.
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
 * The compiled form of {@link Mlp}: the same model, whose {@code forward} runs straight-line
 * kernel calls and whose backward pass is one generated autograd node. Create it as
 * {@code Mlp model = new CompiledMlp();}.
 */
@Generated(
    value = "dev.flint.processor.ModelProcessor",
    comments = "from models.Mlp"
)
public class CompiledMlp extends Mlp implements CompiledModel {
  private static final String SUMMARY = "CompiledMlp (compiled from models.Mlp)\n"
      + "==========================================================================================\n"
      + "Layer (type)        Output shape   Param #   FLOPs/sample   FLOPs %   Source\n"
      + "==========================================================================================\n"
      + "input x             [B, 10]\n"
      + "fc1: Linear 10→20   [B, 20]            220            420     65.1%   Mlp.java:18\n"
      + "F.relu              [B, 20]             --             20      3.1%   Mlp.java:18 → h\n"
      + "fc2: Linear 20→5    [B, 5]             105            205     31.8%   Mlp.java:19 → return\n"
      + "==========================================================================================\n"
      + "Total params: 325\n"
      + "Trainable params: 325\n"
      + "Forward FLOPs per sample: 645\n"
      + "Backward FLOPs per sample: 1,265\n"
      + "Saved activations per sample: 80 bytes (FLOAT32)\n"
      + "==========================================================================================\n"
      + "FLOPs per sample: a multiply-add counts as 2 (torchinfo's Mult-Adds and fvcore count it as 1);\n"
      + "other ops 1 per output element, views 0; work that does not grow with the batch is left out.\n";

  private static final Map<String, TensorSpec> STATE_SCHEMA = stateSchemaEntries();

  private static final int[] SHAPE_5 = {5};

  private static final int[] SHAPE_20 = {20};

  /**
   * Builds the user's class as this instance was built (ModelCheck compares against it).
   */
  private final Supplier<Module> eagerTwin;

  private final Supplier<Module> compiledTwin;

  /**
   * Sets of 7 buffers for forward values and returned gradients, one per live graph (Note [Forward buffers]).
   */
  private final BufferPool forwardPool = new BufferPool(7);

  /**
   * The arrays that autograd nodes return from {@code inputs()}, reused once a node is freed.
   */
  private final BufferPool nodeInputs = new BufferPool(5);

  /**
   * The gradients a backward pass returns, one per node input; the engine reads them at once.
   */
  private final Tensor[] inputGrads = new Tensor[5];

  /**
   * Intermediate gradients of the backward pass and its kept views, reused from step to step;
   * one thread trains the instance at a time ({@code trainingOwner}).
   */
  private final Tensor[] backwardBuffers = new Tensor[2];

  /**
   * The thread training this instance: its backward buffers are the instance's, so a second
   * thread's training forward fails while a graph of the first is live (concurrent noGrad forwards are fine).
   */
  private final TrainingOwner trainingOwner = new TrainingOwner("CompiledMlp");

  public CompiledMlp() {
    super();
    this.eagerTwin = () -> new Mlp();
    this.compiledTwin = () -> new CompiledMlp();
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
    layers.put("fc2", fc2);
    layers.values().removeIf(Objects::isNull);
    return layers;
  }

  private static Map<String, TensorSpec> stateSchemaEntries() {
    Map<String, TensorSpec> schema = new LinkedHashMap<>();
    schema.put("fc1.weight", TensorSpec.of(DType.FLOAT32, 20, 10));
    schema.put("fc1.bias", TensorSpec.of(DType.FLOAT32, 20));
    schema.put("fc2.weight", TensorSpec.of(DType.FLOAT32, 5, 20));
    schema.put("fc2.bias", TensorSpec.of(DType.FLOAT32, 5));
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
    StateSchemaCheck.check("CompiledMlp", STATE_SCHEMA, path);
    return super.load(path);
  }

  @Override
  public Tensor forward(Tensor x) {
    if (x.dim() != 2 || x.size(1) != 10) {
      throw new IllegalArgumentException("CompiledMlp expects input of shape [B, 10], but got " + Arrays.toString(x.shape()));
    }
    if (x.dtype() != fc1.weight.dtype()) {
      throw InputChecks.dtypeMismatch("CompiledMlp", fc1.weight.dtype(), x.dtype());
    }
    int B = x.size(0);
    // Whether this pass records its autograd node (Note [Forward buffers] in the processor).
    boolean record = GradMode.isEnabled() && (x.requiresGrad() || fc1.weight.requiresGrad() ||
        fc1.bias.requiresGrad() || fc2.weight.requiresGrad() || fc2.bias.requiresGrad());
    Tensor[] set = forwardPool.claim();

    // Mlp.java:18  Tensor h = F.relu(fc1.forward(x));
    Tensor t1 = Kernels.matmulNT(x, fc1.weight, set[0] = Buffers.reuse(set[0], x.dtype(), B, 20)); // f[B, 20]
    Tensor t2 = Kernels.add(t1, fc1.bias, t1); // f[B, 20], in place: t1 is not needed again
    Tensor h = Kernels.relu(t2, t2); // f[B, 20], in place: t2 is not needed again

    // Mlp.java:19  return fc2.forward(h);
    Tensor t3 = Kernels.matmulNT(h, fc2.weight, record ? (set[1] = Buffers.reuse(set[1], h.dtype(), B, 5)) : null); // f[B, 5], a new tensor when no graph is recorded: the caller keeps the output
    Tensor out = Kernels.add(t3, fc2.bias, t3); // f[B, 5], in place: t3 is not needed again

    if (!record) {
      forwardPool.giveBack(set);
      return out;
    }
    // One autograd node for the whole pass: its backward is the generated Backward.backward. The caller
    // gets a view of the output buffer, valid until a later forward reuses this buffer set.
    return Outputs.lend(out, new Backward(this, x, fc1.weight, fc1.bias, fc2.weight, fc2.bias, h, B, set, this.backwardBuffers));
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
    ForwardGraph.Builder g = ForwardGraph.builder("CompiledMlp");
    g.input("x", ForwardGraph.Elem.FLOAT, "B", "10");
    g.size("B", "x", 0);
    g.parameter("fc1.weight", "20", "10");
    g.parameter("fc1.bias", "20");
    g.parameter("fc2.weight", "5", "20");
    g.parameter("fc2.bias", "5");
    g.node("PERMUTE", "t1", ForwardGraph.Elem.FLOAT, "10", "20").in("fc1.weight").attr("perm", new int[] {1, 0}).at("Mlp.java:18", "fc1.forward(x)");
    g.node("MATMUL", "t2", ForwardGraph.Elem.FLOAT, "B", "20").in("x", "t1").at("Mlp.java:18", "fc1.forward(x)");
    g.node("ADD", "t3", ForwardGraph.Elem.FLOAT, "B", "20").in("t2", "fc1.bias").layer("fc1: Linear 10→20").at("Mlp.java:18", "fc1.forward(x)");
    g.node("RELU", "h", ForwardGraph.Elem.FLOAT, "B", "20").in("t3").at("Mlp.java:18", "F.relu(fc1.forward(x))");
    g.node("PERMUTE", "t4", ForwardGraph.Elem.FLOAT, "20", "5").in("fc2.weight").attr("perm", new int[] {1, 0}).at("Mlp.java:19", "fc2.forward(h)");
    g.node("MATMUL", "t5", ForwardGraph.Elem.FLOAT, "B", "5").in("h", "t4").at("Mlp.java:19", "fc2.forward(h)");
    g.node("ADD", "out", ForwardGraph.Elem.FLOAT, "B", "5").in("t5", "fc2.bias").layer("fc2: Linear 20→5").at("Mlp.java:19", "fc2.forward(h)");
    return g.output("out");
  }

  /**
   * The backward pass of {@code forward}: the chain rule written out, from {@code dOut} = dL/d(output).
   */
  private static final class Backward extends Node {
    /**
     * What {@code inputs()} shows once backward has freed the node, as eager nodes do.
     */
    private static final Tensor[] NO_INPUTS = new Tensor[5];

    /**
     * The model whose pools and arrays this pass uses (Note [Forward buffers]).
     */
    private final CompiledMlp model;

    /**
     * The inputs in argument order, in an array from the model's pool, given back with the node.
     */
    private Tensor[] inputs;

    private final Tensor x;

    private final Tensor fc1Weight;

    private final Tensor fc1Bias;

    private final Tensor fc2Weight;

    private final Tensor fc2Bias;

    private Tensor h;

    private final int B;

    /**
     * The forward pass's buffer set: saved values and returned gradients (Note [Forward buffers]).
     */
    private Tensor[] set;

    /**
     * The model's reused buffers for intermediate gradients (Note [Backward buffers]).
     */
    private final Tensor[] buffers;

    Backward(CompiledMlp model, Tensor x, Tensor fc1Weight, Tensor fc1Bias, Tensor fc2Weight,
        Tensor fc2Bias, Tensor h, int B, Tensor[] set, Tensor[] buffers) {
      this.model = model;
      // a graph of this model is live: no other thread may train it until the graph is freed
      model.trainingOwner.claim();
      this.x = x;
      this.fc1Weight = fc1Weight;
      this.fc1Bias = fc1Bias;
      this.fc2Weight = fc2Weight;
      this.fc2Bias = fc2Bias;
      this.h = h;
      this.B = B;
      this.set = set;
      this.buffers = buffers;
      this.inputs = model.nodeInputs.claim();
      inputs[0] = x;
      inputs[1] = fc1Weight;
      inputs[2] = fc1Bias;
      inputs[3] = fc2Weight;
      inputs[4] = fc2Bias;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor dOut) {

      // Mlp.java:19  return fc2.forward(h);
      Tensor dFc2Bias = Kernels.sumTo(dOut, SHAPE_5, set[2] = Buffers.reuse(set[2], dOut.dtype(), 5)); // f[5], returned
      Tensor dH = Kernels.matmul(dOut, fc2Weight, buffers[0] = Buffers.reuse(buffers[0], dOut.dtype(), B, 20)); // f[B, 20], reused buffer
      Tensor dFc2Weight = Kernels.matmulTN(dOut, h, set[3] = Buffers.reuse(set[3], dOut.dtype(), 5, 20)); // f[5, 20], returned

      // Mlp.java:18  Tensor h = F.relu(fc1.forward(x));
      Tensor dT2 = Kernels.mulSign(dH, h, buffers[1] = Buffers.reuse(buffers[1], DType.promote(dH.dtype(), h.dtype()), B, 20)); // f[B, 20], reused buffer
      Tensor dFc1Bias = Kernels.sumTo(dT2, SHAPE_20, set[4] = Buffers.reuse(set[4], dT2.dtype(), 20)); // f[20], returned
      Tensor dFc1Weight = Kernels.matmulTN(dT2, x, set[6] = Buffers.reuse(set[6], dT2.dtype(), 20, 10)); // f[20, 10], returned

      Tensor dX = null;
      if (x.requiresGrad()) {
        dX = Kernels.matmul(dT2, fc1Weight, set[5] = Buffers.reuse(set[5], dT2.dtype(), B, 10)); // f[B, 10], returned
      }

      // The model's array for the returned gradients: the engine reads them before the next node runs.
      Tensor[] grads = model.inputGrads;
      grads[0] = dX;
      grads[1] = dFc1Weight;
      grads[2] = dFc1Bias;
      grads[3] = dFc2Weight;
      grads[4] = dFc2Bias;
      return grads;
    }

    @Override
    protected void releaseSaved() {
      h = null;
      model.forwardPool.giveBack(set);
      set = null;
      model.nodeInputs.giveBack(inputs);
      inputs = NO_INPUTS;
      model.trainingOwner.release();
    }

    @Override
    public String name() {
      return "CompiledMlpBackward";
    }
  }
}

package dev.flint.processor.lower;

import dev.flint.layers.LayerArgs;
import dev.flint.layers.LayerContext;
import dev.flint.layers.StateSpec;
import dev.flint.ops.DimAlgebra;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.SymbolicDims;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import java.util.List;

/**
 * A layer's context while its spec's forward is traced into the IR: parameters and buffers become
 * leaves read from the layer's public fields, the masks become leaves computed by the runtime's
 * {@code LayerKernels}, and batch norm's running update becomes an effect calling it. A functional
 * call ({@code F.dropout(x, p, training)}) has no layer: no state, and its own training flag.
 */
final class LoweredLayer implements LayerContext<Value> {
  static final String LAYER_KERNELS = "{T:dev.flint.compiled.LayerKernels}";

  private final Lowering low;
  private final List<StateSpec> state;
  private final String access;
  private final String stateName;
  private final boolean training;
  private final SourceRef at;

  /** The layer read as {@code access}, named {@code stateName} in the state dict. */
  LoweredLayer(Lowering low, LayerArgs args, String access, String stateName, SourceRef at) {
    this(low, args.spec().state(args), access, stateName, low.training(), at);
  }

  /** A functional call: no state. */
  static LoweredLayer functional(Lowering low, boolean training, SourceRef at) {
    return new LoweredLayer(low, List.of(), null, null, training, at);
  }

  private LoweredLayer(Lowering low, List<StateSpec> state, String access, String stateName, boolean training,
      SourceRef at) {
    this.low = low;
    this.state = state;
    this.access = access;
    this.stateName = stateName;
    this.training = training;
    this.at = at;
  }

  @Override
  public DimAlgebra dims() {
    return SymbolicDims.INSTANCE;
  }

  @Override
  public double reciprocal(int n) {
    return Dim.of(n).reciprocal();
  }

  @Override
  public int[] shape(Value x) {
    return x.type().shape();
  }

  @Override
  public boolean has(String field) {
    return spec(field) != null;
  }

  @Override
  public Value state(String field) {
    StateSpec s = spec(field);
    if (s == null || s.counts()) {
      throw new IllegalStateException("layer " + stateName + " has no tensor " + field);
    }
    return read(s);
  }

  /** The leaf reading state {@code s} from the layer's field. */
  Value read(StateSpec s) {
    String member = s.field();
    String hint = Lowering.hint(stateName + "." + member);   // member may be an accessor: weightIh(0)
    return low.state(s.buffer() ? Leaf.Role.BUFFER : Leaf.Role.PARAM, access + "." + member,
        TensorType.floating(s.shape()), hint, stateName + "." + s.stateName());
  }

  StateSpec spec(String field) {
    for (StateSpec s : state) {
      if (s.field().equals(field)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public boolean training() {
    return training;
  }

  @Override
  public Value dropoutMask(Value x, double p) {
    return low.graph.leaf(Leaf.Role.COMPUTED, LAYER_KERNELS + ".dropoutMask(%s, " + p + ")", List.of(x), x.type(),
        "keep", "");
  }

  @Override
  public Value leakyReluSlopes(Value x, double slope) {
    return low.graph.leaf(Leaf.Role.COMPUTED, LAYER_KERNELS + ".leakyReluSlopes(%s, " + slope + ")", List.of(x),
        x.type(), "slopes", "");
  }

  @Override
  public Value attentionBias(Value mask, Value x) {
    if (mask.type().elem() != TensorType.Elem.BOOL) {
      return mask;
    }
    TensorType type = new TensorType(x.type().elem(), mask.type().shape());
    return low.graph.leaf(Leaf.Role.COMPUTED, LAYER_KERNELS + ".attentionBias(%s, %s)", List.of(mask, x), type,
        "maskBias", "");
  }

  @Override
  public Value causalBias(Value x) {
    int t = x.type().shape()[1];
    TensorType type = new TensorType(x.type().elem(), new int[] {t, t});
    return low.graph.leaf(Leaf.Role.COMPUTED, LAYER_KERNELS + ".causalBias(%s)", List.of(x), type, "causal", "");
  }

  @Override
  public Value zeroState(Value x, int hidden) {
    TensorType type = new TensorType(x.type().elem(), new int[] {x.type().shape()[0], hidden});
    return low.graph.leaf(Leaf.Role.COMPUTED, LAYER_KERNELS + ".zeroState(%s, " + hidden + ")", List.of(x), type,
        "zeros", "");
  }

  @Override
  public void updateRunningStats(Value x3, Value mean, Value var, double momentum) {
    String count = x3.type().dim(0).times(x3.type().dim(2)).java();
    low.graph.effect(LAYER_KERNELS + ".updateRunningStats(" + access + ".runningMean, " + access + ".runningVar, %s, %s, "
        + momentum + ", " + count + ");", List.of(mean, var), low.here(at));
    if (has("numBatchesTracked")) {
      low.graph.effect(LAYER_KERNELS + ".countBatch(" + access + ".numBatchesTracked);", List.of(), low.here(at));
    }
  }
}

package dev.flint.onnx;

import dev.flint.layers.LayerSpec;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How each layer the compiler knows ({@link LayerSpec}) reaches ONNX, declared once per layer. The
 * processor traces a layer's forward into op rows ({@code dev.flint.layers.Composites}), so a layer
 * exports as those rows, each through {@link OpMappings}; an entry here says which rows, or why the
 * layer does not export. {@code OpMappingsTest} fails when a layer has no entry, and the ONNX Runtime
 * tests export a model with each layer marked as exported.
 */
final class LayerMappings {
  private LayerMappings() {}

  /** A layer's entry: the ONNX ops it becomes, or (null) why it does not export. */
  record Entry(String onnx, String unsupported) {
    boolean exported() {
      return onnx != null;
    }
  }

  private static final Map<LayerSpec, Entry> TABLE = table();

  /** The entry of {@code spec}, or null when it has none. */
  static Entry entry(LayerSpec spec) {
    return TABLE.get(spec);
  }

  static Map<LayerSpec, Entry> all() {
    return Collections.unmodifiableMap(TABLE);
  }

  private static Map<LayerSpec, Entry> table() {
    Map<LayerSpec, Entry> m = new EnumMap<>(LayerSpec.class);
    m.put(LayerSpec.LINEAR, rows("Transpose(weight), MatMul, Add(bias)"));
    m.put(LayerSpec.RELU, rows("Relu"));
    m.put(LayerSpec.SIGMOID, rows("Sigmoid"));
    m.put(LayerSpec.TANH, rows("Tanh"));
    m.put(LayerSpec.GELU, rows("exact: x/2·(1 + Erf(x/√2)) as Mul, Erf, Add; tanh: Pow, Mul, Add, Tanh"));
    m.put(LayerSpec.LEAKY_RELU, rows("Mul by the slopes, Where(Greater(x, 0), 1, slope)"));
    m.put(LayerSpec.SOFTMAX, rows("Softmax"));
    m.put(LayerSpec.LOG_SOFTMAX, rows("LogSoftmax"));
    m.put(LayerSpec.DROPOUT, rows("nothing: the identity in evaluation"));
    m.put(LayerSpec.BATCH_NORM_1D, rows("Reshape, Sub(running_mean), Div(Sqrt(running_var + eps)), Mul, Add"));
    m.put(LayerSpec.BATCH_NORM_2D, rows("Reshape, Sub(running_mean), Div(Sqrt(running_var + eps)), Mul, Add"));
    m.put(LayerSpec.LAYER_NORM, rows("Reshape, ReduceSum, Mul, Sub, Div(Sqrt(variance + eps)), Mul(weight), Add(bias)"));
    m.put(LayerSpec.CONV2D, rows("Conv, Add(bias)"));
    m.put(LayerSpec.CONV1D, rows("Reshape to height 1, Conv with a 1×k kernel, Reshape, Add(bias)"));
    m.put(LayerSpec.LSTM, unsupported("its fused step loop (the op row LSTM_SCAN) has no ONNX form yet"));
    m.put(LayerSpec.GRU, unsupported("its fused step loop (the op row GRU_SCAN) has no ONNX form yet"));
    m.put(LayerSpec.MAX_POOL2D, rows("MaxPool"));
    m.put(LayerSpec.AVG_POOL2D, rows("AveragePool (zero padding counts)"));
    m.put(LayerSpec.FLATTEN, rows("Reshape"));
    m.put(LayerSpec.EMBEDDING, rows("Reshape, Gather(weight), Reshape"));
    return m;
  }

  private static Entry rows(String onnx) {
    return new Entry(onnx, null);
  }

  private static Entry unsupported(String why) {
    return new Entry(null, why);
  }
}

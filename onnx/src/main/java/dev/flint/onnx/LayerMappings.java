package dev.flint.onnx;

import dev.flint.layers.LayerSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each layer the compiler knows ({@link LayerSpec}, by its class name) reaches ONNX, declared once
 * per layer. The processor traces a layer's forward into op rows ({@code dev.flint.layers.Composites}),
 * so a layer exports as those rows, each through {@link OpMappings}; an entry here says which ONNX ops
 * they become and whether a model holding the layer runs in ONNX Runtime in this module's tests, or why
 * the layer does not export. {@code OpMappingsTest} fails when a layer has no entry, and when a layer
 * marked as verified is in none of the tests' models.
 */
final class LayerMappings {
  private LayerMappings() {}

  /**
   * A layer's entry.
   *
   * @param onnx the ONNX ops it becomes, or null when it does not export
   * @param verified whether a model holding it runs in ONNX Runtime in OnnxExportTest
   * @param note why it does not export, or why it is not verified yet; null otherwise
   */
  record Entry(String onnx, boolean verified, String note) {
    boolean exported() {
      return onnx != null;
    }
  }

  private static final Map<String, Entry> TABLE = table();

  /** The entry of {@code spec}, or null when it has none. */
  static Entry entry(LayerSpec spec) {
    return TABLE.get(spec.className());
  }

  /** The entries by layer class name ({@code Linear}); a name may precede its spec. */
  static Map<String, Entry> all() {
    return Collections.unmodifiableMap(TABLE);
  }

  private static Map<String, Entry> table() {
    Map<String, Entry> m = new LinkedHashMap<>();
    m.put("Linear", rows("Transpose(weight), MatMul, Add(bias)"));
    m.put("ReLU", rows("Relu"));
    m.put("Sigmoid", rows("Sigmoid"));
    m.put("Tanh", rows("Tanh"));
    m.put("GELU", rows("exact: x/2·(1 + Erf(x/√2)) as Mul, Erf, Add; tanh: Pow, Mul, Add, Tanh"));
    m.put("LeakyReLU", rows("Mul by the slopes, Where(Greater(x, 0), 1, slope)"));
    m.put("Softmax", rows("Softmax"));
    m.put("LogSoftmax", rows("LogSoftmax"));
    m.put("Dropout", rows("nothing: the identity in evaluation"));
    m.put("BatchNorm1d", rows("Reshape, Sub(running_mean), Div(Sqrt(running_var + eps)), Mul, Add"));
    m.put("BatchNorm2d", rows("Reshape, Sub(running_mean), Div(Sqrt(running_var + eps)), Mul, Add"));
    m.put("LayerNorm", rows("Reshape, ReduceMean, Sub, Mul, ReduceMean, Div(Sqrt(variance + eps)), Mul(weight), Add(bias)"));
    m.put("Conv2d", rows("Conv, Add(bias)"));
    m.put("Conv1d", rows("Reshape to height 1, Conv with a 1×k kernel, Reshape, Add(bias)"));
    m.put("LSTM", rows("per layer: MatMul, Add (input projections), Scan over T (one step: MatMul, Add, Split,"
        + " Sigmoid, Tanh, Mul, Add), Slice of h_t"));
    m.put("GRU", rows("per layer: MatMul, Add (input projections), Scan over T (one step: MatMul, Add, Split,"
        + " Sigmoid, Tanh, Mul, Sub, Add), Slice of h_t"));
    m.put("MultiheadAttention", rows("MatMul, Add (projections), Reshape, Transpose, MatMul, Mul, Softmax, the"
        + " masks as Where(mask, -inf, 0) or Trilu"));
    m.put("MaxPool2d", rows("MaxPool"));
    m.put("AvgPool2d", rows("AveragePool (zero padding counts)"));
    m.put("Flatten", rows("Reshape"));
    m.put("Embedding", rows("Reshape, Gather(weight), Reshape"));
    return m;
  }

  private static Entry rows(String onnx) {
    return new Entry(onnx, true, null);
  }

  private static Entry unverified(String onnx, String why) {
    return new Entry(onnx, false, why);
  }
}

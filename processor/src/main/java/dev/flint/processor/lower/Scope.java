package dev.flint.processor.lower;

import dev.flint.processor.ir.Value;
import dev.flint.processor.parse.ModelSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local variables of one {@code @Forward} body being lowered (each inlined nested model has its
 * own): tensors as IR values, {@code int}/{@code double} locals as compile-time {@link Scalar}s, and
 * {@code List<Tensor>} locals from {@code split}/{@code chunk} as lists of values, and records a layer
 * returns ({@code LSTM.Output}) as their components' values.
 */
final class Scope {
  private final Map<String, Value> tensors = new HashMap<>();
  private final Map<String, Scalar> scalars = new HashMap<>();
  private final Map<String, List<Value>> lists = new HashMap<>();
  private final Map<String, LayerRef> layers = new HashMap<>();
  private final Map<String, RecordValue> records = new HashMap<>();

  /** A module of a ModuleList that a for-each variable names: how it is built, read and keyed. */
  record LayerRef(ModelSource.LayerInit init, String access, String state) {}

  Value get(String name) {
    return tensors.get(name);
  }

  void put(String name, Value v) {
    tensors.put(name, v);
  }

  Scalar scalar(String name) {
    return scalars.get(name);
  }

  void putScalar(String name, Scalar s) {
    scalars.put(name, s);
  }

  List<Value> list(String name) {
    return lists.get(name);
  }

  LayerRef layer(String name) {
    return layers.get(name);
  }

  void putLayer(String name, LayerRef ref) {
    layers.put(name, ref);
  }

  void removeLayer(String name) {
    layers.remove(name);
  }

  void putList(String name, List<Value> parts) {
    lists.put(name, List.copyOf(parts));
  }

  RecordValue record(String name) {
    return records.get(name);
  }

  void putRecord(String name, RecordValue r) {
    records.put(name, r);
  }
}

package dev.flint.processor.lower;

import dev.flint.processor.ir.Value;
import java.util.List;

/**
 * The record a layer's forward returns ({@code LSTM.Output o = lstm.forward(x, h0, c0)}): its type as Java
 * names it, and one IR value per component, read in the body with the record's accessors ({@code o.hn()}).
 */
record RecordValue(String type, List<String> accessors, List<Value> values) {
  RecordValue {
    accessors = List.copyOf(accessors);
    values = List.copyOf(values);
  }

  /** The component that {@code accessor} reads, or null when the record has none of that name. */
  Value get(String accessor) {
    int i = accessors.indexOf(accessor);
    return i < 0 ? null : values.get(i);
  }

  /** {@code o.output(), o.hn(), o.cn()}: how messages list the accessors of a record named {@code name}. */
  String readers(String name) {
    return String.join(", ", accessors.stream().map(a -> name + "." + a + "()").toList());
  }
}

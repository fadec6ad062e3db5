package dev.flint.compiled;

import dev.flint.io.SafeTensors;
import dev.flint.tensor.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The check a compiled model's {@code load(path)} runs before reading any tensor data: the file's header
 * against the model's compile-time {@code stateSchema()}. Every missing, unexpected, mis-shaped and
 * mis-typed key is named in one message. A floating-point entry may be stored in any floating-point type
 * (F16, BF16, F32, F64: loading converts, as PyTorch's {@code load_state_dict}); an integer one (a
 * counter) in an integer type.
 */
public final class StateSchemaCheck {
  private StateSchemaCheck() {}

  /** Throws {@link IllegalArgumentException} listing every way the file at {@code path} does not fit {@code schema}. */
  public static void check(String model, Map<String, TensorSpec> schema, Path path) {
    Map<String, SafeTensors.TensorEntry> file = new LinkedHashMap<>();
    for (SafeTensors.TensorEntry e : SafeTensors.readHeader(path).tensors()) {
      file.put(e.name(), e);
    }
    List<String> missing = new ArrayList<>();
    List<String> misShaped = new ArrayList<>();
    List<String> misTyped = new ArrayList<>();
    schema.forEach((key, spec) -> {
      SafeTensors.TensorEntry e = file.get(key);
      if (e == null) {
        missing.add(key + " " + spec);
        return;
      }
      if (!Arrays.equals(e.shape(), spec.shape())) {
        misShaped.add(key + ": the file has " + Arrays.toString(e.shape()) + ", the model " + Arrays.toString(spec.shape()));
      }
      if (e.loadsAs().isFloatingPoint() != spec.dtype().isFloatingPoint()) {
        misTyped.add(key + ": the file has " + e.dtype() + ", the model " + spec.dtype()
            + (spec.dtype().isFloatingPoint() ? " (any of F16, BF16, F32, F64)" : " (I64 or I32)"));
      }
    });
    List<String> unexpected = new ArrayList<>();
    file.forEach((key, e) -> {
      if (!schema.containsKey(key)) {
        unexpected.add(key + " " + e.dtype() + Arrays.toString(e.shape()));
      }
    });
    if (missing.isEmpty() && unexpected.isEmpty() && misShaped.isEmpty() && misTyped.isEmpty()) {
      return;
    }
    StringBuilder msg = new StringBuilder(path + " does not fit " + model + "'s state schema (nothing was loaded):");
    section(msg, "missing", missing);
    section(msg, "unexpected", unexpected);
    section(msg, "wrong shape", misShaped);
    section(msg, "wrong dtype", misTyped);
    throw new IllegalArgumentException(msg.toString());
  }

  private static void section(StringBuilder msg, String title, List<String> lines) {
    if (!lines.isEmpty()) {
      msg.append("\n  ").append(title).append(" (").append(lines.size()).append("):");
      lines.forEach(l -> msg.append("\n    ").append(l));
    }
  }
}

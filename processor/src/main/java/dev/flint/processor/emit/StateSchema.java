package dev.flint.processor.emit;

import dev.flint.layers.LayerArgs;
import dev.flint.layers.LayerSpec;
import dev.flint.layers.StateSpec;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state-dict schema of a model at compile time: each key ({@code fc1.weight}) with its shape and
 * whether it is an integer counter, in the order {@code Module.stateDict()} lists them (for each module
 * in pre-order, its parameters, then its buffers, then its layers), from the layers' specs
 * ({@link LayerSpec#state}) and their constant constructor arguments.
 */
public final class StateSchema {

  /** One entry: a floating-point tensor of {@code shape} (a parameter, or a buffer), or (counter) a 0-d INT64 count. */
  public record Entry(int[] shape, boolean buffer, boolean counter) {}

  private StateSchema() {}

  /** The schema, or null when some layer's state is not known at compile time. */
  public static Map<String, Entry> of(ModelSource model) {
    Map<String, Entry> out = new LinkedHashMap<>();
    for (ModelSource.LayerField f : model.layers()) {
      if (!layer(f.init(), f.name(), out)) {
        return null;
      }
    }
    return out;
  }

  private static boolean layer(ModelSource.LayerInit init, String prefix, Map<String, Entry> out) {
    if (init == null) {
      return false;
    }
    if (init.nested() != null) {
      for (ModelSource.LayerField f : init.nested().layers()) {
        if (!layer(f.init(), prefix + "." + f.name(), out)) {
          return false;
        }
      }
      return true;
    }
    if (init.args() == null) {
      return false;
    }
    if (init.type().equals("dev.flint.nn.Sequential") || init.type().equals("dev.flint.nn.ModuleList")) {
      for (int i = 0; i < init.children().size(); i++) {
        if (!layer(init.children().get(i), prefix + "." + i, out)) {
          return false;
        }
      }
      return true;
    }
    LayerSpec spec = LayerSpec.forClass(init.type());
    if (spec == null) {
      return false;
    }
    List<Object> values = new ArrayList<>();
    for (ModelSource.Arg a : init.args()) {
      if (!a.isConstant()) {
        return false;
      }
      values.add(a.value());
    }
    List<StateSpec> state;
    try {
      state = spec.state(LayerArgs.bind(spec, values));
    } catch (IllegalArgumentException e) {
      return false;
    }
    state.stream().filter(s -> !s.buffer())
        .forEach(s -> out.put(prefix + "." + s.stateName(), new Entry(s.shape(), false, false)));
    state.stream().filter(StateSpec::buffer)
        .forEach(s -> out.put(prefix + "." + s.stateName(), new Entry(s.shape(), true, s.counts())));
    return true;
  }
}

package dev.flint.processor.emit;

import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import dev.flint.processor.parse.ModelSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The budgets of {@code @Model(maxParameters = ..., maxFlopsPerSample = ..., maxSavedBytesPerSample = ...)}
 * checked against the figures of the summary: parameters (from the state schema), forward FLOPs per
 * sample and bytes of activations saved for the backward pass per sample (training mode, FLOAT32). A
 * figure over its budget is an {@code [over-budget]} error naming the figure, the budget and the three
 * largest contributors (layers for parameters, source lines for FLOPs and saved bytes).
 */
public final class Budgets {
  public static final String PARAMETERS = "maxParameters";
  public static final String FLOPS = "maxFlopsPerSample";
  public static final String SAVED_BYTES = "maxSavedBytesPerSample";

  private Budgets() {}

  /** Reports each budget of {@code model} that {@code training}'s figures exceed. */
  public static void check(ModelSource model, CompiledMode training, Diagnostics diags) {
    for (ModelSource.Budget b : model.budgets()) {
      Map<String, Dim> parts = switch (b.name()) {
        case PARAMETERS -> parameters(model);
        case FLOPS -> flops(training);
        case SAVED_BYTES -> savedBytes(training);
        default -> throw new IllegalStateException("unknown budget " + b.name());
      };
      if (parts == null) {
        continue;
      }
      Dim total = Dim.constant(0);
      for (Dim d : parts.values()) {
        total = total.plus(d);
      }
      String figure = switch (b.name()) {
        case PARAMETERS -> "parameters";
        case FLOPS -> "forward FLOPs per sample";
        default -> "bytes of saved activations per sample (FLOAT32)";
      };
      Long value = total.constantValue();
      if (value == null) {
        diags.warning(Message.BUDGET_SYMBOLIC, b.where(), b.name(), model.compiledName(), figure, total);
      } else if (value > b.limit()) {
        diags.error(Message.OVER_BUDGET, b.where(), model.compiledName(), String.format("%,d", value), figure,
            b.name(), String.format("%,d", b.limit()), largest(parts));
      }
    }
  }

  /** The three largest parts: {@code fc1 100,480; fc2 1,290; ...}. */
  private static String largest(Map<String, Dim> parts) {
    return parts.entrySet().stream()
        .filter(e -> e.getValue().constantValue() != null && e.getValue().constantValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue().constantValue(), a.getValue().constantValue()))
        .limit(3)
        .map(e -> e.getKey() + " " + String.format("%,d", e.getValue().constantValue()))
        .collect(Collectors.joining(", "));
  }

  /** Parameters per layer (the state key without its last part), from the state schema; null when unknown. */
  private static Map<String, Dim> parameters(ModelSource model) {
    Map<String, StateSchema.Entry> schema = StateSchema.of(model);
    if (schema == null) {
      return null;
    }
    Map<String, Dim> out = new LinkedHashMap<>();
    schema.forEach((key, e) -> {
      if (!e.buffer()) {
        long n = 1;
        for (int d : e.shape()) {
          n *= d;
        }
        String layer = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : key;
        out.merge(layer, Dim.constant(n), Dim::plus);
      }
    });
    return out;
  }

  /** Forward FLOPs per sample by the source line of each node (a layer's nodes share its call's line). */
  private static Map<String, Dim> flops(CompiledMode training) {
    Map<String, Dim> out = new LinkedHashMap<>();
    for (Node n : training.forward().nodes()) {
      out.merge(where(n), SummaryWriter.flops(List.of(n)), Dim::plus);
    }
    return out;
  }

  /** Saved bytes per sample by the source line that computed each saved value (or the input). */
  private static Map<String, Dim> savedBytes(CompiledMode training) {
    Map<Value, Node> producer = new HashMap<>();
    training.forward().nodes().forEach(n -> producer.put(n.out(), n));
    Map<String, Dim> out = new LinkedHashMap<>();
    for (Value v : training.saved()) {
      Node n = producer.get(v);
      String key = n == null ? (v.origin().isEmpty() ? "the input" : v.origin()) : where(n);
      out.merge(key, SummaryWriter.perSample(v.type().numel().times(Dim.constant(4))), Dim::plus);
    }
    return out;
  }

  private static String where(Node n) {
    return n.where() == null ? n.name() : n.where().location() + " `" + n.where().lineText().strip() + "`";
  }
}

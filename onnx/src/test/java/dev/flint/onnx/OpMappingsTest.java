package dev.flint.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.compiled.LayerKernels;
import dev.flint.layers.LayerSpec;
import dev.flint.nn.Module;
import dev.flint.ops.Op;
import dev.flint.onnx.models.CompiledExportAttention;
import dev.flint.onnx.models.CompiledExportCnn;
import dev.flint.onnx.models.CompiledExportConv1d;
import dev.flint.onnx.models.CompiledExportGpt;
import dev.flint.onnx.models.CompiledExportRecurrent;
import dev.flint.onnx.models.CompiledExportJoin;
import dev.flint.onnx.models.CompiledExportMha;
import dev.flint.onnx.models.CompiledExportMlp;
import dev.flint.onnx.models.CompiledExportResidual;
import dev.flint.onnx.models.CompiledExportTokens;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The mapping tables cover everything a compiled graph can hold: every op-table row and every
 * {@code LayerKernels} value has an entry (a mapping or the reason it has none), every layer the
 * compiler knows has one, and every layer marked as exported is in a model that {@link OnnxExportTest}
 * runs in ONNX Runtime.
 */
class OpMappingsTest {
  /** The models of OnnxExportTest. */
  static final List<Class<? extends Module>> EXPORTED = List.of(CompiledExportMlp.class, CompiledExportCnn.class,
      CompiledExportResidual.class, CompiledExportJoin.class, CompiledExportTokens.class, CompiledExportAttention.class,
      CompiledExportConv1d.class, CompiledExportGpt.class, CompiledExportRecurrent.class, CompiledExportMha.class);

  @Test
  void everyOpRowHasAnEntry() {
    List<String> missing = new ArrayList<>();
    for (Op op : Op.values()) {
      if (OpMappings.entry(op.name()) == null) {
        missing.add(op.name());
      }
    }
    assertEquals(List.of(), missing, "op rows with neither an ONNX mapping nor an unsupported entry in"
        + " dev.flint.onnx.OpMappings");
  }

  @Test
  void everyComputedLayerValueHasAnEntry() {
    List<String> missing = new ArrayList<>();
    for (Method m : LayerKernels.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == dev.flint.tensor.Tensor.class
          && OpMappings.entry("LayerKernels." + m.getName()) == null) {
        missing.add("LayerKernels." + m.getName());
      }
    }
    assertEquals(List.of(), missing, "LayerKernels values with no entry in OpMappings");
  }

  @Test
  void everyEntryIsAMappingOrAReason() {
    OpMappings.all().forEach((op, e) -> assertTrue(e.mapping() != null ^ e.unsupported() != null, op));
    LayerMappings.all().forEach((layer, e) -> assertTrue(e.verified() ? e.onnx() != null && e.note() == null
        : e.note() != null, layer));
  }

  @Test
  void everyLayerHasAnEntryAndEachExportedOneRunsInOnnxRuntime() {
    List<String> missing = new ArrayList<>();
    for (LayerSpec s : LayerSpec.values()) {
      if (LayerMappings.entry(s) == null) {
        missing.add(s.name());
      }
    }
    assertEquals(List.of(), missing, "layers with no entry in dev.flint.onnx.LayerMappings (say which ONNX ops the"
        + " layer becomes and hold it in an OnnxExportTest model, or why it does not export)");
    Set<String> tested = new TreeSet<>();
    for (Class<? extends Module> model : EXPORTED) {
      for (Field f : model.getSuperclass().getDeclaredFields()) {   // the user's class declares the @Layer fields
        LayerSpec s = LayerSpec.forClass(f.getType().getName());
        if (s != null) {
          tested.add(s.className());
        }
      }
    }
    Set<String> untested = new TreeSet<>();
    for (LayerSpec s : LayerSpec.values()) {
      if (LayerMappings.entry(s).verified() && !tested.contains(s.className())) {
        untested.add(s.className());
      }
    }
    assertEquals(Set.of(), untested, "layers marked as verified in LayerMappings that no ONNX Runtime test model holds");
  }
}

package dev.flint.onnx;

import dev.flint.compiled.ForwardGraph;
import dev.flint.io.AtomicFiles;
import dev.flint.nn.CompiledModel;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Exports a compiled model's evaluation-mode forward pass as an ONNX file (IR version 8, opset 17),
 * for ONNX Runtime, TensorRT and the other ONNX back ends:
 *
 * <pre>{@code
 * Mlp model = new CompiledMlp();
 * model.load(Path.of("mlp.safetensors"));
 * Onnx.export(model, Path.of("mlp.onnx"));
 * }</pre>
 *
 * <p>The graph is the one the annotation processor compiled ({@link CompiledModel#forwardGraph()}),
 * not a trace: parameters and buffers become initializers named by their state-dict keys, with the
 * model's current values in its floating dtype; the batch and any size named in
 * {@code @Model(inputDims)} stay symbolic ({@code dim_param} {@code B}, {@code T}), so one file takes
 * every batch size and sequence length. The input and output keep the forward method's names.
 */
public final class Onnx {
  private Onnx() {}

  /** The producer name written into the file. */
  static final String PRODUCER = "flint";

  /**
   * Writes {@code model}'s evaluation forward pass to {@code path}, atomically: the file appears
   * complete or not at all (an existing file stays as it was when export fails).
   *
   * @param model a compiled model ({@code new CompiledMlp()}), whatever its declared type
   * @throws OnnxExportException when the model has no compiled graph (an eager module, or one whose
   *     forward the processor left eager) or uses an op with no ONNX form; the message names it and the
   *     user's source line
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public static void export(Module model, Path path) {
    Objects.requireNonNull(path, "path");
    byte[] bytes = toBytes(model);
    AtomicFiles.writeBytes(path, bytes);
  }

  /** The ONNX ModelProto of {@code model}'s evaluation forward pass, as {@link #export} writes it. */
  public static byte[] toBytes(Module model) {
    Objects.requireNonNull(model, "model");
    if (!(model instanceof CompiledModel compiled)) {
      String name = model.getClass().getSimpleName();
      throw new OnnxExportException(name + " is an eager module, which has no compiled graph to export: export its"
          + " compiled class instead (new Compiled" + name + "(...) for a @Model class; load its weights with load(path)"
          + " or loadStateDict)");
    }
    ForwardGraph graph;
    try {
      graph = compiled.forwardGraph();
    } catch (UnsupportedOperationException e) {
      throw new OnnxExportException(e.getMessage(), e);
    }
    Map<String, Tensor> state = model.stateDict();
    DType floatType = floatType(state);
    ProtoWriter graphProto = new GraphTranslation(graph, state, floatType).translate();
    String version = Onnx.class.getPackage() == null || Onnx.class.getPackage().getImplementationVersion() == null
        ? "dev" : Onnx.class.getPackage().getImplementationVersion();
    String doc = "The evaluation forward pass of " + graph.model() + ", exported by Flint from its compiled graph.";
    return OnnxProto.model(PRODUCER, version, doc, graphProto).toByteArray();
  }

  /** FLOAT64 when the model's floating state is (model.to(DType.FLOAT64)), else FLOAT32. */
  private static DType floatType(Map<String, Tensor> state) {
    for (Tensor t : state.values()) {
      if (t.dtype() == DType.FLOAT64) {
        return DType.FLOAT64;
      }
      if (t.dtype() == DType.FLOAT32) {
        return DType.FLOAT32;
      }
    }
    return DType.FLOAT32;
  }
}

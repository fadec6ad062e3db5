package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.flint.io.SafeTensors;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import dev.flint.tensor.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Compiled<Name>.stateSchema()}, written at compile time, against the truth at run time: the
 * keys, order, shapes and dtypes of a constructed model's {@code stateDict()}; and {@code load(path)}
 * refusing a file that does not fit, naming every problem, with the model unchanged.
 */
class StateSchemaTest {
  private static final String[] MODELS = {"Mlp", "Cnn", "Modes", "Seq", "ConvSeq", "Embed", "Tied", "NoBias", "Shapes3d",
      "Conv1dNet", "LstmClassifier", "GruClassifier", "MhaEncoder"};

  @TempDir Path dir;

  @Test
  void theSchemaIsTheStateDictOfEveryModel() throws Exception {
    List<String> names = new ArrayList<>(List.of(MODELS));
    names.add("Nested");
    names.add("Block");
    Compilation c = Compile.models(names.toArray(String[]::new));
    assertThat(c).succeeded();
    ClassLoader loader = Compile.loader(c);
    for (String name : List.of(MODELS[0], MODELS[1], MODELS[2], MODELS[3], MODELS[4], MODELS[5], MODELS[6], MODELS[7],
        MODELS[8], "Nested")) {
      Class<?> type = loader.loadClass("models.Compiled" + name);
      @SuppressWarnings("unchecked")
      Map<String, TensorSpec> schema = (Map<String, TensorSpec>) type.getMethod("stateSchema").invoke(null);
      Map<String, Tensor> state = ((Module) type.getConstructor().newInstance()).stateDict();
      Map<String, TensorSpec> truth = new LinkedHashMap<>();
      state.forEach((k, v) -> truth.put(k, TensorSpec.of(v)));
      assertEquals(new ArrayList<>(truth.entrySet()), new ArrayList<>(schema.entrySet()), name);
    }
  }

  @Test
  void loadChecksTheHeaderFirstAndNamesEveryProblem() throws Exception {
    Compilation c = Compile.models("Mlp");
    Module model = (Module) Compile.loader(c).loadClass("models.CompiledMlp").getConstructor().newInstance();
    Map<String, Tensor> good = model.stateDict();
    Path ok = dir.resolve("ok.safetensors");
    model.save(ok);
    model.load(ok);

    Map<String, Tensor> bad = new LinkedHashMap<>();
    bad.put("fc1.weight", Tensor.zeros(10, 20));
    bad.put("fc2.weight", good.get("fc2.weight").to(dev.flint.tensor.DType.INT64));
    bad.put("fc2.bias", good.get("fc2.bias"));
    bad.put("fc3.bias", Tensor.zeros(5));
    Path file = dir.resolve("bad.safetensors");
    SafeTensors.save(bad, file);
    double[] before = model.stateDict().get("fc2.bias").toDoubleArray();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.load(file));
    assertEquals(file + " does not fit CompiledMlp's state schema (nothing was loaded):\n"
        + "  missing (1):\n"
        + "    fc1.bias FLOAT32[20]\n"
        + "  unexpected (1):\n"
        + "    fc3.bias F32[5]\n"
        + "  wrong shape (1):\n"
        + "    fc1.weight: the file has [10, 20], the model [20, 10]\n"
        + "  wrong dtype (1):\n"
        + "    fc2.weight: the file has I64, the model FLOAT32 (any of F16, BF16, F32, F64)", e.getMessage());
    assertArrayEquals(before, model.stateDict().get("fc2.bias").toDoubleArray());
    assertTrue(Compile.generatedSource(c, "models.CompiledMlp").contains(
        "schema.put(\"fc1.weight\", TensorSpec.of(DType.FLOAT32, 20, 10));"));
  }
}

package dev.flint.compiled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flint.io.SafeTensors;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import dev.flint.tensor.TensorSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header check against a schema, on crafted files: one message naming every problem. */
class StateSchemaCheckTest {
  @TempDir Path dir;

  private static Map<String, TensorSpec> schema() {
    Map<String, TensorSpec> s = new LinkedHashMap<>();
    s.put("fc.weight", TensorSpec.of(DType.FLOAT32, 3, 4));
    s.put("fc.bias", TensorSpec.of(DType.FLOAT32, 3));
    s.put("bn.running_mean", TensorSpec.of(DType.FLOAT32, 3));
    s.put("bn.num_batches_tracked", TensorSpec.of(DType.INT64));
    return s;
  }

  @Test
  void aFileThatFitsPassesInAnyFloatingPointType() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("fc.weight", Tensor.zeros(DType.FLOAT64, 3, 4));
    t.put("fc.bias", Tensor.zeros(3));
    t.put("bn.running_mean", Tensor.zeros(3));
    t.put("bn.num_batches_tracked", Tensor.scalar(7L));
    Path file = dir.resolve("ok.safetensors");
    SafeTensors.save(t, file);
    StateSchemaCheck.check("CompiledNet", schema(), file);
  }

  @Test
  void everyMissingUnexpectedMisShapedAndMisTypedKeyIsNamedInOneMessage() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("fc.weight", Tensor.zeros(4, 3));                       // transposed
    t.put("bn.running_mean", Tensor.zeros(DType.INT64, 3));      // integers for floats
    t.put("bn.num_batches_tracked", Tensor.zeros(1));             // a float counter, and a shape [1] for []
    t.put("head.weight", Tensor.zeros(2, 3));                     // not in the model
    Path file = dir.resolve("bad.safetensors");
    SafeTensors.save(t, file);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StateSchemaCheck.check("CompiledNet", schema(), file));
    assertEquals(file + " does not fit CompiledNet's state schema (nothing was loaded):\n"
        + "  missing (1):\n"
        + "    fc.bias FLOAT32[3]\n"
        + "  unexpected (1):\n"
        + "    head.weight F32[2, 3]\n"
        + "  wrong shape (2):\n"
        + "    fc.weight: the file has [4, 3], the model [3, 4]\n"
        + "    bn.num_batches_tracked: the file has [1], the model []\n"
        + "  wrong dtype (2):\n"
        + "    bn.running_mean: the file has I64, the model FLOAT32 (any of F16, BF16, F32, F64)\n"
        + "    bn.num_batches_tracked: the file has F32, the model INT64 (I64 or I32)", e.getMessage());
  }
}

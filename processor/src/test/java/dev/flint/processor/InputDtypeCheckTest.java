package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The compiled forward checks its input's dtype against the model's and names both fixes. */
class InputDtypeCheckTest {
  @Test
  void aFloat64InputToAFloat32ModelSaysHowToConvertEither() throws Exception {
    Compilation c = Compile.models("Mlp");
    assertThat(c).succeeded();
    Module model = (Module) Compile.loader(c).loadClass("models.CompiledMlp").getConstructor().newInstance();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.forward(Tensor.zeros(DType.FLOAT64, 2, 10)));
    assertEquals("CompiledMlp: the model is FLOAT32, the input FLOAT64: convert the input with x.to(DType.FLOAT32) "
        + "or the model with model.to(DType.FLOAT64)", e.getMessage());

    IllegalArgumentException ints = assertThrows(IllegalArgumentException.class,
        () -> model.forward(Tensor.zeros(DType.INT64, 2, 10)));
    assertEquals("CompiledMlp: the model is FLOAT32, the input INT64: convert the input with x.to(DType.FLOAT32)",
        ints.getMessage());

    model.to(DType.FLOAT64);   // the check reads the model's dtype at run time
    assertArrayEquals(new int[] {2, 5}, model.forward(Tensor.zeros(DType.FLOAT64, 2, 10)).shape());
    IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
        () -> model.forward(Tensor.zeros(2, 10)));
    assertEquals("CompiledMlp: the model is FLOAT64, the input FLOAT32: convert the input with x.to(DType.FLOAT64) "
        + "or the model with model.to(DType.FLOAT32)", back.getMessage());
  }
}

package dev.flint.processor;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.processor.diag.Diagnostics;
import org.junit.jupiter.api.Test;

class ModelCompilerTest {
  @Test
  void mlpCompilesToOneForwardAndOneBackwardNode() {
    Diagnostics diags = new Diagnostics();
    ModelCompiler.Output out = new ModelCompiler().compile(TestModels.mlp(10, 20, 20, 5), diags);
    assertNotNull(out, diags.entries().toString());
    String code = out.file().toString();
    assertTrue(code.contains("public Tensor forward(Tensor x)"), code);
    assertTrue(code.contains("private static final class Backward extends Node"), code);
  }
}

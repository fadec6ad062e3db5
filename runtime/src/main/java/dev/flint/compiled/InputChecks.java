package dev.flint.compiled;

import dev.flint.tensor.DType;

/** The errors a compiled forward raises for an input it cannot take, worded with the fix. */
public final class InputChecks {
  private InputChecks() {}

  /**
   * A floating-point model given an input of another dtype: {@code the model is FLOAT32, the input
   * FLOAT64: convert the input with x.to(DType.FLOAT32) or the model with model.to(DType.FLOAT64)}.
   */
  public static IllegalArgumentException dtypeMismatch(String model, DType modelDtype, DType inputDtype) {
    String fix = "convert the input with x.to(DType." + modelDtype + ")"
        + (inputDtype.isFloatingPoint() ? " or the model with model.to(DType." + inputDtype + ")" : "");
    return new IllegalArgumentException(model + ": the model is " + modelDtype + ", the input " + inputDtype + ": " + fix);
  }
}

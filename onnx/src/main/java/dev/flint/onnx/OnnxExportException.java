package dev.flint.onnx;

/**
 * A model that cannot be exported: no compiled graph (an eager module), an op with no ONNX form, or
 * state that does not match the compiled graph. The message names the model, the op and the user's
 * source line; no file is written.
 */
public class OnnxExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OnnxExportException(String message) {
    super(message);
  }

  public OnnxExportException(String message, Throwable cause) {
    super(message, cause);
  }
}

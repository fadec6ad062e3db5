package dev.flint.io;

/**
 * A safetensors file that is corrupt, hostile or otherwise not readable as one, or tensors that
 * cannot be written as one. The message names the file, the tensor and what was expected.
 */
public final class SafeTensorsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SafeTensorsException(String message) {
    super(message);
  }

  public SafeTensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}

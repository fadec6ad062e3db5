package dev.flint.ops;

/**
 * A shape rule's refusal: the operands of an op do not fit together. The message names the op and
 * the operand shapes. Eager code throws it; the processor turns it into a diagnostic at the user's
 * expression.
 */
public class ShapeError extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ShapeError(String message) {
    super(message);
  }
}

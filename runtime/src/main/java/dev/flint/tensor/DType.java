package dev.flint.tensor;

/** The element types of a tensor, with PyTorch's type-promotion rules for mixed operands. */
public enum DType {
  BOOL(1, "BOOL", 0),
  INT32(4, "I32", 1),
  INT64(8, "I64", 2),
  FLOAT32(4, "F32", 3),
  FLOAT64(8, "F64", 4);

  private final int byteSize;
  private final String safetensorsName;
  private final int rank;

  DType(int byteSize, String safetensorsName, int rank) {
    this.byteSize = byteSize;
    this.safetensorsName = safetensorsName;
    this.rank = rank;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** The dtype's name in a safetensors header ({@code F32}, {@code I64}, ...). */
  public String safetensorsName() {
    return safetensorsName;
  }

  /** Whether this is FLOAT32 or FLOAT64. */
  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** The result dtype of a binary op on tensors of these dtypes, as {@code torch.result_type}. */
  public static DType promote(DType a, DType b) {
    return a.rank >= b.rank ? a : b;
  }

  /**
   * The result dtype of a binary op between a tensor of this dtype and a Java {@code double}
   * scalar: integer and bool tensors become FLOAT32 (PyTorch's default float), floats keep theirs.
   */
  public DType promoteWithFloatScalar() {
    return isFloatingPoint() ? this : FLOAT32;
  }

  /** The short name used in printed tensors and messages: {@code f32}, {@code i64}, ... */
  public String shortName() {
    switch (this) {
      case BOOL: return "bool";
      case INT32: return "i32";
      case INT64: return "i64";
      case FLOAT32: return "f32";
      default: return "f64";
    }
  }

  /** The dtype named in a safetensors header, or null when Flint does not read it natively. */
  public static DType fromSafetensorsName(String name) {
    for (DType t : values()) {
      if (t.safetensorsName.equals(name)) {
        return t;
      }
    }
    return null;
  }
}
